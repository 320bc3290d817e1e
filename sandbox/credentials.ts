/**
 * The credentials the sandbox accepts, and the settings that point the extension at it. Used by
 * the simulators, the e2e fixtures and `npm run demo`. Anything else gets each service's 401.
 */
export const SANDBOX_CREDENTIALS = {
  upcall: { token: 'upcall-sandbox-token-7f3a' },
  sipcaller: { apiKey: 'sipcaller-sandbox-key-91c2', accountId: 'acc-5001' },
  callemall: {
    appKey: 'cea-sandbox-appkey',
    secretKey: 'cea-sandbox-secret-55d1',
    authToken: '2b7e1c9a-0000-4a4a-9c9c-5f1d2e3a4b5c',
  },
  multisender: { token: 'multisender-sandbox-token-0b8e' },
  crm: { userId: '5f0c1a2b3c4d5e6f70818283', apiKey: 'crm-sandbox-apikey-c41d' },
} as const;

export const SERVICE_PREFIXES = {
  upcall: '/upcall/api/v1',
  sipcaller: '/sipcaller/v1',
  callemall: '/callemall/v1',
  multisender: '/multisender/v1',
  crm: '/crm/api/v3',
} as const;

/** Settings (lib/settings.ts input shape) that point every service at a sandbox. */
export function sandboxSettings(sandboxUrl: string) {
  return {
    defaultCountry: 'US',
    upcall: { baseUrl: `${sandboxUrl}${SERVICE_PREFIXES.upcall}` },
    sipcaller: { baseUrl: `${sandboxUrl}${SERVICE_PREFIXES.sipcaller}`, accountId: SANDBOX_CREDENTIALS.sipcaller.accountId },
    callemall: { baseUrl: `${sandboxUrl}${SERVICE_PREFIXES.callemall}` },
    multisender: { baseUrl: `${sandboxUrl}${SERVICE_PREFIXES.multisender}` },
    crm: {
      baseUrl: `${sandboxUrl}${SERVICE_PREFIXES.crm}`,
      userId: SANDBOX_CREDENTIALS.crm.userId,
      contactPagePattern: `${sandboxUrl}/demo/contacts/{id}`,
    },
  };
}

/** Secrets patch (lib/protocol/settings.ts shape) with the sandbox's credentials. */
export function sandboxSecrets() {
  const { upcall, sipcaller, callemall, multisender, crm } = SANDBOX_CREDENTIALS;
  return {
    upcall: { token: upcall.token },
    sipcaller: { apiKey: sipcaller.apiKey },
    callemall: { appKey: callemall.appKey, secretKey: callemall.secretKey, authToken: callemall.authToken },
    multisender: { token: multisender.token },
    crm: { apiKey: crm.apiKey },
  };
}
