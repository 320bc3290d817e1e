/**
 * Reads each campaign service's campaigns into the cache (./cache.ts): at start-up, on a timer
 * and when settings change (lib/background/campaign-handlers.ts decides when). A service without
 * credentials is emptied quietly; a failing one keeps its last list and records why.
 */
import { isServiceError, toFailure } from '../errors.ts';
import { campaignProviders } from '../providers/index.ts';
import type { Campaign } from '../providers/types.ts';
import { CAMPAIGN_SERVICE_IDS, SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import {
  clearCampaigns,
  readCampaigns,
  recordRefreshFailure,
  replaceCampaigns,
  type ServiceCampaigns,
} from './cache.ts';

/** A service's list is read again when it is older than this (and on the timer). */
export const CAMPAIGNS_MAX_AGE_MS = 30 * 60_000;
const REFRESH_TIMEOUT_MS = 60_000;

export interface RefreshDeps {
  /** The client config; throws a ServiceError 'not-configured' or 'permission' (service-config.ts). */
  config(service: CampaignServiceId): Promise<unknown>;
  /** Reads a service's campaigns (the providers' `listCampaigns` by default). */
  list?(service: CampaignServiceId, config: unknown, signal: AbortSignal): Promise<Campaign[]>;
  now(): number;
}

const inFlight = new Map<CampaignServiceId, Promise<void>>();

function listWithProvider(service: CampaignServiceId, config: unknown, signal: AbortSignal): Promise<Campaign[]> {
  return campaignProviders[service].listCampaigns(config as never, signal);
}

async function refreshOne(service: CampaignServiceId, deps: RefreshDeps): Promise<void> {
  let config: unknown;
  try {
    config = await deps.config(service);
  } catch (error) {
    if (isServiceError(error) && error.failure.kind === 'not-configured') {
      await clearCampaigns(service);
      return;
    }
    await recordRefreshFailure(service, toFailure(error, SERVICE_NAMES[service]), deps.now());
    return;
  }
  try {
    const campaigns = await (deps.list ?? listWithProvider)(service, config, AbortSignal.timeout(REFRESH_TIMEOUT_MS));
    await replaceCampaigns(service, campaigns, deps.now());
  } catch (error) {
    await recordRefreshFailure(service, toFailure(error, SERVICE_NAMES[service]), deps.now());
  }
}

/**
 * Refreshes the given services (all three by default) and answers the cache as it then is. A
 * refresh already running for a service is joined, not repeated.
 */
export async function refreshCampaigns(
  deps: RefreshDeps,
  services: readonly CampaignServiceId[] = CAMPAIGN_SERVICE_IDS,
): Promise<ServiceCampaigns[]> {
  await Promise.all(
    services.map((service) => {
      let running = inFlight.get(service);
      if (!running) {
        running = refreshOne(service, deps).finally(() => inFlight.delete(service));
        inFlight.set(service, running);
      }
      return running;
    }),
  );
  return readCampaigns();
}

/** Services whose list was never read, or was read longer ago than `maxAge`. */
export function staleServices(
  cached: readonly ServiceCampaigns[],
  now: number,
  maxAge = CAMPAIGNS_MAX_AGE_MS,
): CampaignServiceId[] {
  return cached
    .filter(({ cache }) => {
      if (cache.state === 'ok') return now - cache.refreshedAt >= maxAge;
      if (cache.state === 'error') return now - cache.failedAt >= maxAge;
      return false;
    })
    .map(({ service }) => service);
}
