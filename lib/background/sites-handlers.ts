/** The background's answers about where detection runs, and its reaction to revoked permissions. */
import browser from 'webextension-polyfill';
import type { Handlers } from '../messaging.ts';
import { originPattern } from '../permissions.ts';
import { SERVICE_IDS } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import {
  CONTENT_SCRIPT_FILE,
  disableSite,
  enableSite,
  listSites,
  siteOf,
  sitePattern,
  syncRegistration,
} from '../sites.ts';

type SitesHandlers = Pick<Handlers, 'sites/list' | 'sites/status' | 'sites/enable' | 'sites/disable'>;

/** What the background tells a tab's content script when its site is switched off. */
export const STOP_DETECTION = { type: 'detection/stop' } as const;

export function createSitesHandlers(): SitesHandlers {
  return {
    'sites/list': () => listSites(),
    'sites/status': async ({ url }) => {
      const site = siteOf(url);
      if (!site) return { enabled: false };
      const enabled =
        (await listSites()).includes(site) && (await browser.permissions.contains({ origins: [sitePattern(site)] }));
      return { site, enabled };
    },
    'sites/enable': async ({ site, tabId }) => {
      const result = await enableSite(site);
      // Registered scripts apply to pages loaded from now on; start on the open page too.
      if (result.ok && tabId !== undefined) {
        await browser.scripting
          .executeScript({ target: { tabId, allFrames: true }, files: [CONTENT_SCRIPT_FILE] })
          .catch((error: unknown) => console.warn('[sites] could not start detection in the open tab', error));
      }
      return result;
    },
    'sites/disable': async ({ site }) => {
      await disableSite(site, await serviceOriginPatterns());
      await stopDetectionIn([site]);
      return { ok: true };
    },
  };
}

/** The origins the services are set to reach (every service with a base URL, set up or not). */
export async function serviceOriginPatterns(): Promise<string[]> {
  const { settings } = await loadSettings();
  const patterns = SERVICE_IDS.map((id) => {
    const baseUrl = (settings[id] as { baseUrl?: unknown }).baseUrl;
    return typeof baseUrl === 'string' && baseUrl.trim() !== '' ? originPattern(baseUrl.trim()) : undefined;
  });
  return patterns.filter((p): p is string => p !== undefined);
}

/**
 * The browser revoked host permissions (from its extension settings, or we removed them):
 * forget those sites, and tell pages already decorated to take their buttons away at once.
 */
export async function handlePermissionsRemoved(origins: string[]): Promise<void> {
  const before = await listSites();
  const dropped = await syncRegistration();
  const affected = before.filter((site) => dropped.includes(site) || origins.includes(sitePattern(site)));
  if (affected.length > 0) await stopDetectionIn(affected);
}

/**
 * Without the "tabs" permission we cannot see tab URLs, so every tab is told which sites are
 * off; a content script stops if its page is on one of them. Tabs without it ignore the error.
 */
async function stopDetectionIn(sites: string[]): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : browser.tabs.sendMessage(tab.id, { ...STOP_DETECTION, sites }).catch(() => undefined),
    ),
  );
}
