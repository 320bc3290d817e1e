import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CONTENT_SCRIPT_ID,
  disableSite,
  enableSite,
  isSiteEnabled,
  listSites,
  siteOf,
  syncRegistration,
} from '../../lib/sites.ts';
import { createSitesHandlers } from '../../lib/background/sites-handlers.ts';
import { loadSettings, storeSettings } from '../../lib/settings-storage.ts';

interface Registered {
  id: string;
  matches: string[];
}

let granted: Set<string>;
let registered: Registered[];

beforeEach(() => {
  granted = new Set();
  registered = [];
  const permissions = fakeBrowser.permissions as unknown as Record<string, unknown>;
  permissions.contains = async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o));
  permissions.remove = async ({ origins }: { origins: string[] }) => {
    for (const o of origins) granted.delete(o);
    return true;
  };
  const scripting = fakeBrowser.scripting as unknown as Record<string, unknown>;
  scripting.getRegisteredContentScripts = async ({ ids }: { ids: string[] }) => registered.filter((r) => ids.includes(r.id));
  scripting.registerContentScripts = async (scripts: Registered[]) => {
    registered.push(...scripts.map((s) => ({ id: s.id, matches: s.matches })));
  };
  scripting.updateContentScripts = async (scripts: Registered[]) => {
    for (const s of scripts) registered = registered.map((r) => (r.id === s.id ? { id: s.id, matches: s.matches } : r));
  };
  scripting.unregisterContentScripts = async ({ ids }: { ids: string[] }) => {
    registered = registered.filter((r) => !ids.includes(r.id));
  };
});

describe('sites', () => {
  it('a site is scheme and host, as host permissions are', () => {
    expect(siteOf('https://crm.example.com:8443/contacts/1?x#y')).toBe('https://crm.example.com');
    expect(siteOf('chrome://settings')).toBeUndefined();
    expect(siteOf('not a url')).toBeUndefined();
  });

  it('enabling needs the permission, then registers one content script for every site', async () => {
    expect(await enableSite('https://crm.example.com')).toMatchObject({ ok: false });
    expect(registered).toEqual([]);

    granted.add('https://crm.example.com/*');
    granted.add('https://other.example/*');
    expect(await enableSite('https://crm.example.com')).toEqual({ ok: true });
    expect(await enableSite('https://other.example')).toEqual({ ok: true });
    expect(registered).toEqual([{ id: CONTENT_SCRIPT_ID, matches: ['https://crm.example.com/*', 'https://other.example/*'] }]);
    expect(await isSiteEnabled('https://crm.example.com:444')).toBe(true);
    expect(await isSiteEnabled('https://elsewhere.example')).toBe(false);
  });

  it('disabling removes the site, its registration and its permission', async () => {
    granted.add('https://crm.example.com/*');
    await enableSite('https://crm.example.com');
    await disableSite('https://crm.example.com');
    expect(await listSites()).toEqual([]);
    expect(registered).toEqual([]);
    expect(granted.has('https://crm.example.com/*')).toBe(false);
  });

  it('turning detection off keeps the permission a configured service needs (the CRM site is its API too)', async () => {
    const { settings } = await loadSettings();
    await storeSettings({ ...settings, crm: { ...settings.crm, baseUrl: 'https://crm.example.com/api/v3' } });
    granted.add('https://crm.example.com/*');
    granted.add('https://other.example/*');
    (fakeBrowser.tabs as unknown as Record<string, unknown>).sendMessage = async () => undefined;
    const handlers = createSitesHandlers();
    await handlers['sites/enable']({ site: 'https://crm.example.com' }, {} as never);
    await handlers['sites/enable']({ site: 'https://other.example' }, {} as never);
    await handlers['sites/disable']({ site: 'https://crm.example.com' }, {} as never);
    await handlers['sites/disable']({ site: 'https://other.example' }, {} as never);
    expect(await listSites()).toEqual([]);
    expect(registered).toEqual([]);
    // Detection is off on both; the CRM's API can still be reached, the other site's permission went.
    expect(granted.has('https://crm.example.com/*')).toBe(true);
    expect(granted.has('https://other.example/*')).toBe(false);
  });

  it('notices a permission revoked in the browser', async () => {
    granted.add('https://crm.example.com/*');
    granted.add('https://other.example/*');
    await enableSite('https://crm.example.com');
    await enableSite('https://other.example');
    granted.delete('https://crm.example.com/*');
    expect(await isSiteEnabled('https://crm.example.com')).toBe(false);
    expect(await syncRegistration()).toEqual(['https://crm.example.com']);
    expect(await listSites()).toEqual(['https://other.example']);
    expect(registered[0]?.matches).toEqual(['https://other.example/*']);
  });
});
