/**
 * Per-site opt-in: the content script runs only on sites the user enabled. Enabling a site
 * needs its host permission (asked from a gesture in the popup or options) and registers the
 * content script for it at run time; disabling removes both. The list survives restarts; the
 * registration is re-synced at start-up and whenever the browser revokes a permission.
 */
import browser from 'webextension-polyfill';

export const SITES_KEY = 'sites';
export const CONTENT_SCRIPT_ID = 'crm-number-detection';
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';

/** A site is a scheme and host: what a host permission grants (match patterns have no port). */
export function siteOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return `${parsed.protocol}//${parsed.hostname}`;
  } catch {
    return undefined;
  }
}

export function sitePattern(site: string): string {
  return `${site}/*`;
}

export async function listSites(): Promise<string[]> {
  const stored = await browser.storage.local.get(SITES_KEY);
  const value = stored[SITES_KEY];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && siteOf(s) === s) : [];
}

async function storeSites(sites: string[]): Promise<void> {
  await browser.storage.local.set({ [SITES_KEY]: [...new Set(sites)].sort() });
}

/** Whether detection may run for this page origin: enabled by the user and still permitted. */
export async function isSiteEnabled(origin: string): Promise<boolean> {
  const site = siteOf(origin);
  if (!site) return false;
  const sites = await listSites();
  if (!sites.includes(site)) return false;
  return browser.permissions.contains({ origins: [sitePattern(site)] });
}

/** Adds the site (its permission must already be granted) and registers the script for it. */
export async function enableSite(site: string): Promise<{ ok: boolean; reason?: string }> {
  if (siteOf(site) !== site) return { ok: false, reason: 'Not a web page address.' };
  if (!(await browser.permissions.contains({ origins: [sitePattern(site)] }))) {
    return { ok: false, reason: `The browser has not allowed the extension on ${new URL(site).hostname}.` };
  }
  await storeSites([...(await listSites()), site]);
  await syncRegistration();
  return { ok: true };
}

/**
 * Removes the site, its registration and (where the browser allows) its permission — unless a
 * service needs that permission (`keep`, the origin patterns of the configured services): a CRM's
 * site is often its API's origin too, and removing it would stop every note going out.
 */
export async function disableSite(site: string, keep: readonly string[] = []): Promise<void> {
  await storeSites((await listSites()).filter((s) => s !== site));
  await syncRegistration();
  if (keep.includes(sitePattern(site))) return;
  try {
    await browser.permissions.remove({ origins: [sitePattern(site)] });
  } catch {
    // Required host permissions (the e2e build's loopback hosts) cannot be removed; the site is
    // off all the same because it is no longer registered nor listed.
  }
}

/**
 * Drops sites whose permission is gone, then makes the one registration match the list.
 * Returns the sites that were dropped.
 */
export async function syncRegistration(): Promise<string[]> {
  const sites = await listSites();
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const site of sites) {
    if (await browser.permissions.contains({ origins: [sitePattern(site)] })) kept.push(site);
    else dropped.push(site);
  }
  if (dropped.length > 0) await storeSites(kept);

  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  const matches = kept.map(sitePattern);
  if (matches.length === 0) {
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return dropped;
  }
  const script = {
    id: CONTENT_SCRIPT_ID,
    matches,
    js: [CONTENT_SCRIPT_FILE],
    runAt: 'document_idle' as const,
    allFrames: true,
    persistAcrossSessions: true,
  };
  if (registered.length === 0) await browser.scripting.registerContentScripts([script]);
  else await browser.scripting.updateContentScripts([script]);
  return dropped;
}
