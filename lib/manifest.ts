/**
 * The manifest, as a function of the target browser and build mode. Kept apart from
 * `wxt.config.ts` so a test can read the exact permissions each build asks for.
 */

/** Default API origins of the services (../shared/api/NOTES.md); asked for at run time. */
export const SERVICE_ORIGINS = [
  'https://api.upcall.com/*',
  'https://api.sipcaller.com/*',
  'https://rest.call-em-all.com/*',
  'https://staging-rest.call-em-all.com/*',
  'https://app.onepagecrm.com/*',
] as const;

export const E2E_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;

export const FIREFOX_ID = 'crm-call-companion@example.org';

export interface ManifestInput {
  browser: string;
  mode: string;
}

export function buildManifest({ browser, mode }: ManifestInput): Record<string, unknown> {
  const e2e = mode === 'e2e';
  const manifest: Record<string, unknown> = {
    name: 'CRM Call Companion',
    description:
      'Finds phone numbers on the CRM pages you choose; add them to call campaigns, click-to-call, and log calls that are never lost.',
    // declarativeNetRequestWithHostAccess: only to mark the extension's own requests
    // `Connection: close` (lib/background/fresh-connections.ts); it acts only where a host
    // permission was granted, and adds no install warning.
    permissions: [
      'storage',
      'alarms',
      'contextMenus',
      'notifications',
      'scripting',
      'activeTab',
      'declarativeNetRequestWithHostAccess',
    ],
    // Every site and service origin is optional: asked for when the user enables a site or
    // saves a service (a user gesture). Nothing runs on <all_urls> at install.
    optional_host_permissions: ['*://*/*'],
    host_permissions: e2e ? [...E2E_HOSTS] : [],
    // No web page and no other extension may message us.
    externally_connectable: { ids: [], matches: [] },
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Open the popup to log a call',
      },
    },
  };
  if (browser === 'firefox') {
    manifest.browser_specific_settings = {
      gecko: {
        id: FIREFOX_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    };
    // Firefox does not know externally_connectable.
    delete manifest.externally_connectable;
  }
  return manifest;
}
