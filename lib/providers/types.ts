/**
 * The small interfaces every service client implements. A client is a set of functions over a
 * resolved config (base URL, credentials, options); all HTTP goes through lib/http.ts and every
 * expected failure is a thrown ServiceError carrying a Failure (lib/errors.ts).
 */
import type { Settings } from '../settings.ts';
import type { AllSecrets, CampaignServiceId, ServiceId } from '../services.ts';

export type ResolvedConfig<Config> = { ok: true; config: Config } | { ok: false; missing: string[] };

export interface ServiceDefinition<Config> {
  id: ServiceId;
  /** As users know it: "Upcall", "SIP Caller", "Call-Em-All", "Multisender", "CRM". */
  name: string;
  /**
   * Builds the client config from settings and secrets, or names what is missing in words a
   * user recognises ("API token", "account ID").
   */
  resolveConfig(settings: Settings, secrets: AllSecrets): ResolvedConfig<Config>;
  /** The base URL requests go to (for host permissions and "Cannot reach …"). */
  baseUrl(config: Config): string;
  /** Calls a cheap read endpoint and answers with a sentence: "Connected: 12 campaigns". */
  testConnection(config: Config, signal?: AbortSignal): Promise<string>;
}

/** A campaign (Upcall, SIP Caller) or a contact list (Call-Em-All) a number can be added to. */
export interface Campaign {
  service: CampaignServiceId;
  id: string;
  name: string;
  /** The service's own status word, shown beside the name ("ready", "Active", "User list"). */
  status: string;
}

/** A number and what we know of its owner; only `e164` is required. */
export interface ContactDetails {
  /** E.164 without extension, e.g. "+16505550100". */
  e164: string;
  extension?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  email?: string;
}

export type AddOutcome =
  | { outcome: 'added'; remoteId?: string }
  /** The number is already in that campaign or list. */
  | { outcome: 'duplicate'; remoteId?: string; status?: string }
  /** The service marks the number do-not-call; nothing was sent. */
  | { outcome: 'do-not-call'; detail: string };

export interface AddOptions {
  /**
   * Our own reference for what this add creates, stored where the service keeps the caller's
   * references (Call-Em-All's IntegrationData), so copies made beneath us can be recognised.
   */
  reference?: string;
}

export interface CampaignProvider<Config> extends ServiceDefinition<Config> {
  id: CampaignServiceId;
  /** Every campaign or list numbers can be added to now, following the service's paging. */
  listCampaigns(config: Config, signal?: AbortSignal): Promise<Campaign[]>;
  /**
   * Adds one number. Checks for an existing entry first where the service allows, so calling it
   * again after a lost answer does not add the number twice.
   */
  addNumber(
    config: Config,
    campaignId: string,
    contact: ContactDetails,
    signal?: AbortSignal,
    options?: AddOptions,
  ): Promise<AddOutcome>;
  /** A bulk path, where the service has one (SIP Caller's CSV upload); numbers already there are skipped. */
  addNumbers?(
    config: Config,
    campaignId: string,
    contacts: ContactDetails[],
    signal?: AbortSignal,
  ): Promise<{ added: number; duplicates?: number }>;
}
