/**
 * What the Log a call form opens with: the number (page action, selection), the contact (tab
 * address, last logged), "Called via" (last action) — through the real memory in IndexedDB.
 */
import { describe, expect, it } from 'vitest';
import { enqueue } from '../../../lib/outbox/store.ts';
import {
  calledViaFromMemory,
  readLastNumberUsed,
  readNumberMemory,
  rememberLoggedCall,
  rememberNumberUsed,
} from '../../../lib/log-call/number-memory.ts';
import { choosePrefill, JUST_USED_MS, RECENTLY_USED_MS, type PrefillInput } from '../../../lib/log-call/prefill.ts';
import { callRequest } from '../outbox/fixtures.ts';

const NOW = 1_800_000_000_000;
const CONTACT_PAGE = 'https://app.onepagecrm.com/contacts/{id}';
const TAB_CONTACT = '5f0c000000000000000000aa';
const LOGGED_CONTACT = '5f0c000000000000000000bb';

async function input(overrides: Partial<PrefillInput> = {}): Promise<PrefillInput> {
  return {
    now: NOW,
    defaultCountry: 'US',
    contactPagePattern: CONTACT_PAGE,
    lastUsed: await readLastNumberUsed(),
    memoryOf: readNumberMemory,
    ...overrides,
  };
}

describe('the number', () => {
  it('is the one just used from a page, over a selection', async () => {
    await rememberNumberUsed({ e164: '+16505550100', action: 'log-call', at: NOW - 5_000 });
    const prefill = await choosePrefill(await input({ selection: '(212) 555-0199' }));
    expect(prefill.phoneNumber).toBe('+1 650 555 0100');
    expect(prefill.sources.phoneNumber).toBe('page-action');
  });

  it('is the selection when no page action is that recent', async () => {
    await rememberNumberUsed({ e164: '+16505550100', action: 'log-call', at: NOW - JUST_USED_MS - 1 });
    const prefill = await choosePrefill(await input({ selection: ' Call (212) 555-0199 ' }));
    expect(prefill).toMatchObject({ phoneNumber: '+1 212 555 0199', sources: { phoneNumber: 'selection' } });
  });

  it('falls back to a page action in the last half hour, and forgets older ones', async () => {
    await rememberNumberUsed({ e164: '+442079460958', action: 'campaign-add', service: 'upcall', at: NOW - RECENTLY_USED_MS + 1 });
    expect((await choosePrefill(await input({ selection: 'not a number' }))).phoneNumber).toBe('+44 20 7946 0958');
    expect((await choosePrefill(await input({ now: NOW + 2 }))).phoneNumber).toBeUndefined();
  });

  it('is left empty when there is nothing to go on', async () => {
    expect(await choosePrefill(await input())).toEqual({ sources: {} });
  });
});

describe('the contact and "Called via"', () => {
  it('reads the contact from the tab when it is a CRM contact page', async () => {
    const prefill = await choosePrefill(await input({ tabUrl: `https://app.onepagecrm.com/contacts/${TAB_CONTACT}` }));
    expect(prefill).toMatchObject({ contactId: TAB_CONTACT, sources: { contactId: 'tab' } });
  });

  it('else takes the contact the number was last logged against, and its service', async () => {
    await enqueue({ kind: 'crm-call', request: callRequest({ contactId: LOGGED_CONTACT, calledVia: 'Call-Em-All' }) }, NOW - 60_000, (tx) =>
      rememberLoggedCall(tx, '+16505550100', callRequest({ contactId: LOGGED_CONTACT, calledVia: 'Call-Em-All' }), NOW - 60_000),
    );
    const prefill = await choosePrefill(await input({ selection: '650-555-0100', tabUrl: 'https://app.onepagecrm.com/deals' }));
    expect(prefill).toEqual({
      phoneNumber: '+1 650 555 0100',
      contactId: LOGGED_CONTACT,
      calledVia: 'Call-Em-All',
      sources: { phoneNumber: 'selection', contactId: 'last-logged', calledVia: 'last-action' },
    });
    // The tab still wins for the contact.
    const onPage = await choosePrefill(await input({ selection: '650-555-0100', tabUrl: `https://app.onepagecrm.com/contacts/${TAB_CONTACT}` }));
    expect(onPage.contactId).toBe(TAB_CONTACT);
  });

  it('"Called via" follows the last action on the number, whichever came last', async () => {
    await rememberNumberUsed({ e164: '+16505550100', action: 'click-to-call', service: 'multisender', at: NOW - 10_000 });
    expect((await choosePrefill(await input())).calledVia).toBe('Multisender');
    expect(calledViaFromMemory({ e164: '+1', calledVia: 'Upcall', loggedAt: NOW, lastUse: { e164: '+1', action: 'campaign-add', service: 'sipcaller', at: NOW - 1 } })).toBe('Upcall');
    expect(calledViaFromMemory({ e164: '+1', calledVia: 'Upcall', loggedAt: NOW, lastUse: { e164: '+1', action: 'campaign-add', service: 'sipcaller', at: NOW + 1 } })).toBe('SIP Caller');
    expect(calledViaFromMemory({ e164: '+1', lastUse: { e164: '+1', action: 'copy', at: NOW } })).toBeUndefined();
  });
});
