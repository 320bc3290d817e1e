/**
 * The campaigns and lists numbers can be added to, cached per service in IndexedDB's `campaigns`
 * store (lib/db.ts) so the right-click menu and the page panel never wait for a service. Each
 * service also has a state in `meta`: when its list was read, or why it could not be. A service
 * without credentials has no campaigns and no error: it simply shows nothing. Background only.
 */
import { openDatabase, type CompanionDB } from '../db.ts';
import type { Failure } from '../errors.ts';
import type { Campaign } from '../providers/types.ts';
import { CAMPAIGN_SERVICE_IDS, type CampaignServiceId } from '../services.ts';

const STATE_PREFIX = 'campaigns/state/';

export interface CachedCampaign extends Campaign {
  /** `${service}|${id}` */
  key: string;
  /** The service's own order (Upcall's, SIP Caller's by name, Call-Em-All's). */
  position: number;
}

export type CampaignCacheState =
  | { state: 'ok'; refreshedAt: number }
  /** The last read failed; the campaigns of the read before (if any) are still offered. */
  | { state: 'error'; failure: Failure; failedAt: number; refreshedAt?: number }
  | { state: 'not-configured' };

export interface ServiceCampaigns {
  service: CampaignServiceId;
  cache: CampaignCacheState;
  campaigns: CachedCampaign[];
}

type StoreRecord = CompanionDB['campaigns']['value'];

export function campaignKey(service: CampaignServiceId, id: string): string {
  return `${service}|${id}`;
}

/** Replaces a service's campaigns with a fresh read, in one transaction. */
export async function replaceCampaigns(
  service: CampaignServiceId,
  campaigns: readonly Campaign[],
  now: number,
): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(['campaigns', 'meta'], 'readwrite');
  const store = tx.objectStore('campaigns');
  let cursor = await store.index('by-service').openCursor(service);
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  let position = 0;
  for (const campaign of campaigns) {
    const record: CachedCampaign = {
      ...campaign,
      service,
      key: campaignKey(service, campaign.id),
      position: position++,
    };
    await store.put(record as unknown as StoreRecord);
  }
  await tx
    .objectStore('meta')
    .put({ state: 'ok', refreshedAt: now } satisfies CampaignCacheState, STATE_PREFIX + service);
  await tx.done;
}

/** The service has no credentials (any more): nothing to offer, and nothing wrong. */
export async function clearCampaigns(service: CampaignServiceId): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(['campaigns', 'meta'], 'readwrite');
  let cursor = await tx.objectStore('campaigns').index('by-service').openCursor(service);
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.objectStore('meta').put({ state: 'not-configured' } satisfies CampaignCacheState, STATE_PREFIX + service);
  await tx.done;
}

/** The read failed: keep what was there, remember why. */
export async function recordRefreshFailure(service: CampaignServiceId, failure: Failure, now: number): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  const previous = (await tx.store.get(STATE_PREFIX + service)) as CampaignCacheState | undefined;
  const refreshedAt =
    previous?.state === 'ok' ? previous.refreshedAt : previous?.state === 'error' ? previous.refreshedAt : undefined;
  const state: CampaignCacheState = { state: 'error', failure, failedAt: now, ...(refreshedAt ? { refreshedAt } : {}) };
  await tx.store.put(state, STATE_PREFIX + service);
  await tx.done;
}

/** Every service's cached campaigns, in the services' order and each service's own order. */
export async function readCampaigns(): Promise<ServiceCampaigns[]> {
  const db = await openDatabase();
  const tx = db.transaction(['campaigns', 'meta'], 'readonly');
  const result: ServiceCampaigns[] = [];
  for (const service of CAMPAIGN_SERVICE_IDS) {
    const records = (await tx
      .objectStore('campaigns')
      .index('by-service')
      .getAll(service)) as unknown as CachedCampaign[];
    const cache = ((await tx.objectStore('meta').get(STATE_PREFIX + service)) as CampaignCacheState | undefined) ?? {
      state: 'not-configured',
    };
    result.push({ service, cache, campaigns: records.sort((a, b) => a.position - b.position) });
  }
  await tx.done;
  return result;
}

/** One cached campaign, if it is still offered. */
export async function findCampaign(service: CampaignServiceId, id: string): Promise<CachedCampaign | undefined> {
  const db = await openDatabase();
  return (await db.get('campaigns', campaignKey(service, id))) as unknown as CachedCampaign | undefined;
}
