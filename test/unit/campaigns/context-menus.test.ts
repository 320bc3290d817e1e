import type { Menus } from 'webextension-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ServiceCampaigns } from '../../../lib/campaigns/cache.ts';
import {
  MENU_CAMPAIGNS_MAX,
  handleContextMenuClick,
  menuItems,
  parseMenuItemId,
  rebuildContextMenus,
  rememberButtonContext,
  requestLogCall,
  resolveMenuNumber,
  setContextMenuRoute,
  type MenuClickHandlers,
} from '../../../lib/background/context-menus.ts';
import { readLastNumber } from '../../../lib/background/content-handlers.ts';
import { readLastNumberUsed } from '../../../lib/log-call/number-memory.ts';

const info = (overrides: Partial<Menus.OnClickData>): Menus.OnClickData =>
  ({ menuItemId: 'campaign|upcall|1001', editable: false, modifiers: [], ...overrides }) as Menus.OnClickData;

function cached(counts: Partial<Record<'upcall' | 'sipcaller' | 'callemall', number>>): ServiceCampaigns[] {
  return (['upcall', 'sipcaller', 'callemall'] as const).map((service) => {
    const n = counts[service];
    if (n === undefined) return { service, cache: { state: 'not-configured' }, campaigns: [] };
    return {
      service,
      cache: { state: 'ok', refreshedAt: 1 },
      campaigns: Array.from({ length: n }, (_, i) => ({
        service,
        id: String(100 + i),
        name: i === 0 ? '50%s off' : `Campaign ${i}`,
        status: i === 1 ? 'pending' : 'ready',
        key: `${service}|${100 + i}`,
        position: i,
      })),
    };
  });
}

describe('menuItems', () => {
  it('groups campaigns by service, shows nothing for a service without credentials, then the two actions', () => {
    const items = menuItems(cached({ upcall: 2, callemall: 1 }));
    expect(items.map((i) => [i.id, i.parentId ?? '', i.title])).toEqual([
      ['add-to-campaign', '', 'Add to campaign'],
      ['service|upcall', 'add-to-campaign', 'Upcall'],
      // "%s" would be replaced by the selection: it is broken up.
      ['campaign|upcall|100', 'service|upcall', '50%\u200bs off'],
      ['campaign|upcall|101', 'service|upcall', 'Campaign 1 (pending)'],
      ['service|callemall', 'add-to-campaign', 'Call-Em-All'],
      ['campaign|callemall|100', 'service|callemall', '50%\u200bs off'],
      ['click-to-call', '', 'Click-to-call via Multisender'],
      ['log-call', '', 'Log a call'],
    ]);
  });

  it('points to options when no campaign service is set up', () => {
    expect(menuItems(cached({})).map((i) => i.title)).toEqual([
      'Add to campaign',
      'Set up Upcall, SIP Caller or Call-Em-All in options…',
      'Click-to-call via Multisender',
      'Log a call',
    ]);
  });

  it('shows the first campaigns and a way to all of them when a service has many', () => {
    const items = menuItems(cached({ sipcaller: 40 }), 'p:');
    const under = items.filter((i) => i.parentId === 'p:service|sipcaller');
    expect(under).toHaveLength(MENU_CAMPAIGNS_MAX + 1);
    expect(under.at(-1)).toEqual({
      id: 'p:more|sipcaller',
      parentId: 'p:service|sipcaller',
      title: 'All 40 SIP Caller campaigns…',
    });
    expect(items.every((i) => i.id.startsWith('p:'))).toBe(true);
  });

  it('says so when a service has nothing to add to', () => {
    expect(menuItems(cached({ upcall: 0 }))).toContainEqual({
      id: 'none|upcall',
      parentId: 'service|upcall',
      title: 'No campaigns to add to',
      enabled: false,
    });
  });
});

describe('parseMenuItemId', () => {
  it('reads the ids the menu was built with, from either set', () => {
    expect(parseMenuItemId('campaign|sipcaller|cmp|101')).toEqual({
      kind: 'campaign',
      service: 'sipcaller',
      campaignId: 'cmp|101',
    });
    expect(parseMenuItemId('p:campaign|upcall|1001')).toEqual({
      kind: 'campaign',
      service: 'upcall',
      campaignId: '1001',
    });
    expect(parseMenuItemId('p:more|callemall')).toEqual({ kind: 'more', service: 'callemall' });
    expect(parseMenuItemId('log-call')).toEqual({ kind: 'log-call' });
    expect(parseMenuItemId('campaign|evil|1')).toEqual({ kind: 'other' });
  });
});

describe('resolveMenuNumber', () => {
  it('reads a selection with the default country, and says when it is not a number', () => {
    expect(resolveMenuNumber(info({ selectionText: ' (650) 555-0100 ext. 45 ' }), 1, 'US')).toEqual({
      ok: true,
      number: { e164: '+16505550100', extension: '45', details: {}, source: 'selection' },
    });
    expect(resolveMenuNumber(info({ selectionText: 'Invoice INV-2024' }), 1, 'US')).toEqual({
      ok: false,
      sentence:
        '“Invoice INV-2024” is not a phone number. Select just the number (with its country code if it is not a US number) and try again.',
    });
  });

  it('does not read order numbers as phone numbers, and does not guess between two numbers', () => {
    // libphonenumber-js alone reads "2024-000731" as +1 202-400-0731.
    expect(resolveMenuNumber(info({ selectionText: 'Invoice INV-2024-000731' }), 1, 'US')).toMatchObject({ ok: false });
    expect(resolveMenuNumber(info({ selectionText: '650-555-0100 or 415-555-0100' }), 1, 'US')).toEqual({
      ok: false,
      sentence: '“650-555-0100 or 415-555-0100” holds 2 phone numbers. Select just one and try again.',
    });
    expect(resolveMenuNumber(info({ selectionText: 'Phone: +44 20 7946 0123' }), 1, 'US')).toMatchObject({
      ok: true,
      number: { e164: '+442079460123' },
    });
  });

  it('reads tel: links, extension included', () => {
    expect(resolveMenuNumber(info({ linkUrl: 'tel:+1-415-555-2671;ext=12' }), 1, 'GB')).toMatchObject({
      ok: true,
      number: { e164: '+14155552671', extension: '12', source: 'link' },
    });
    expect(resolveMenuNumber(info({ linkUrl: 'tel:123' }), 1, 'US')).toMatchObject({ ok: false });
  });

  it('uses the number button right-clicked in that tab, with its details', () => {
    const now = Date.now();
    rememberButtonContext(7, 3, { e164: '+16505550100', details: { full_name: 'Ada Abbott' } }, now);
    expect(resolveMenuNumber(info({}), 7, 'US', now + 1000)).toEqual({
      ok: true,
      number: { e164: '+16505550100', details: { full_name: 'Ada Abbott' }, source: 'button' },
      frameId: 3,
    });
    // A selection of the same number takes the button's details.
    expect(resolveMenuNumber(info({ selectionText: '650-555-0100' }), 7, 'US', now + 1000)).toMatchObject({
      ok: true,
      number: { details: { full_name: 'Ada Abbott' }, source: 'selection' },
    });
    // Not in another tab, and not long after.
    expect(resolveMenuNumber(info({}), 8, 'US', now + 1000).ok).toBe(false);
    expect(resolveMenuNumber(info({}), 7, 'US', now + 10 * 60_000).ok).toBe(false);
  });
});

describe('handleContextMenuClick', () => {
  function handlers(): MenuClickHandlers & { calls: unknown[] } {
    const calls: unknown[] = [];
    return {
      calls,
      defaultCountry: async () => 'US',
      onCampaign: async (number, target, tab) => void calls.push(['campaign', number.e164, target, tab.id]),
      explain: async (sentence) => void calls.push(['explain', sentence]),
    };
  }

  it('sends a campaign item to the campaign handler with the number and the tab', async () => {
    const h = handlers();
    await handleContextMenuClick(
      info({ menuItemId: 'campaign|callemall|31', selectionText: '+1 214 555 0142' }),
      { id: 4 } as never,
      h,
    );
    expect(h.calls).toEqual([
      ['campaign', '+12145550142', { kind: 'campaign', service: 'callemall', campaignId: '31' }, 4],
    ]);
  });

  it('explains instead of sending when the selection is not a number', async () => {
    const h = handlers();
    await handleContextMenuClick(info({ selectionText: 'hello' }), { id: 4 } as never, h);
    expect(h.calls).toEqual([['explain', expect.stringContaining('“hello” is not a phone number')]]);
  });

  it('routes click-to-call to whoever registered for it', async () => {
    const route = vi.fn(async () => undefined);
    setContextMenuRoute('click-to-call', route);
    await handleContextMenuClick(
      info({ menuItemId: 'click-to-call', selectionText: '650 555 0100' }),
      { id: 9 } as never,
      handlers(),
    );
    expect(route).toHaveBeenCalledWith(
      { e164: '+16505550100', extension: undefined, details: {}, source: 'selection' },
      9,
    );
  });
});

describe('requestLogCall', () => {
  it('remembers the number for the Log a call form and as the last number used', async () => {
    await requestLogCall(
      { e164: '+16505550100', extension: '45', details: { company: 'Initech' }, source: 'button' },
      3,
    );
    expect(await readLastNumberUsed()).toMatchObject({ e164: '+16505550100;ext=45', action: 'log-call' });
    expect(await readLastNumber()).toMatchObject({
      action: 'log-call',
      e164: '+16505550100',
      extension: '45',
      details: { company: 'Initech' },
    });
  });
});

describe('rebuildContextMenus', () => {
  function stubMenus(rejectTel: boolean) {
    const created: Record<string, unknown>[] = [];
    const menus = fakeBrowser.contextMenus as unknown as Record<string, unknown>;
    menus.removeAll = async () => void created.splice(0);
    menus.create = (properties: Record<string, unknown>, done: () => void) => {
      if (rejectTel && Array.isArray(properties.targetUrlPatterns)) throw new Error('Invalid url pattern: tel:*');
      created.push(properties);
      done();
      return properties.id;
    };
    return created;
  }

  it('offers selections and tel: links everywhere, and a copy for number buttons on enabled sites', async () => {
    const created = stubMenus(false);
    await rebuildContextMenus(cached({ upcall: 1 }), ['https://crm.example.com']);
    const base = created.filter((c) => !String(c.id).startsWith('p:'));
    const page = created.filter((c) => String(c.id).startsWith('p:'));
    expect(base.map((c) => [c.id, c.contexts, c.targetUrlPatterns])).toContainEqual([
      'add-to-campaign',
      ['selection', 'link'],
      ['tel:*'],
    ]);
    expect(page.map((c) => [c.id, c.contexts, c.documentUrlPatterns])).toContainEqual([
      'p:campaign|upcall|100',
      ['page'],
      ['https://crm.example.com/*'],
    ]);
    expect(page).toHaveLength(base.length);
  });

  it('falls back to selections only where tel: patterns are refused (Firefox)', async () => {
    const created = stubMenus(true);
    await rebuildContextMenus(cached({ upcall: 1 }), []);
    expect(created.map((c) => c.contexts)).toEqual(created.map(() => ['selection']));
    expect(created.map((c) => c.id)).toEqual(menuItems(cached({ upcall: 1 })).map((i) => i.id));
  });
});
