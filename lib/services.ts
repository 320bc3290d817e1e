/**
 * The five services the extension talks to, by id. Names are what users see in labels and
 * sentences ("Upcall API token", "SIP Caller rejected the token").
 */
export const SERVICE_IDS = ['upcall', 'sipcaller', 'callemall', 'multisender', 'crm'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** Services that own campaigns or lists a number can be added to. */
export const CAMPAIGN_SERVICE_IDS = ['upcall', 'sipcaller', 'callemall'] as const;
export type CampaignServiceId = (typeof CAMPAIGN_SERVICE_IDS)[number];

export const SERVICE_NAMES: Record<ServiceId, string> = {
  upcall: 'Upcall',
  sipcaller: 'SIP Caller',
  callemall: 'Call-Em-All',
  multisender: 'Multisender',
  crm: 'CRM',
};

/** Secret fields per service, with the label the options page shows. Never in storage.* areas. */
export const SECRET_FIELDS = {
  upcall: [{ key: 'token', label: 'Upcall API token' }],
  sipcaller: [{ key: 'apiKey', label: 'SIP Caller API key' }],
  callemall: [
    { key: 'appKey', label: 'Call-Em-All app key' },
    { key: 'secretKey', label: 'Call-Em-All secret key' },
    { key: 'authToken', label: 'Call-Em-All auth token' },
  ],
  multisender: [{ key: 'token', label: 'Multisender access token' }],
  crm: [{ key: 'apiKey', label: 'CRM API key' }],
} as const satisfies Record<ServiceId, readonly { key: string; label: string }[]>;

export type SecretKey<S extends ServiceId> = (typeof SECRET_FIELDS)[S][number]['key'];
export type ServiceSecrets<S extends ServiceId> = Record<SecretKey<S>, string>;
export type AllSecrets = { [S in ServiceId]: ServiceSecrets<S> };

export function isServiceId(value: unknown): value is ServiceId {
  return typeof value === 'string' && (SERVICE_IDS as readonly string[]).includes(value);
}
