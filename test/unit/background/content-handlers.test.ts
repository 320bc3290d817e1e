/**
 * The background's side of the content script, through the real router: a content script gets
 * its site's configuration, marks numbers "Not a phone number" for its own site only, and its
 * intents are validated and recorded as the last number used.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  createContentHandlers,
  ignoredNumbersFor,
  MAX_IGNORED_PER_SITE,
  ignoreNumber,
  readLastNumber,
} from '../../../lib/background/content-handlers.ts';
import { openDatabase } from '../../../lib/db.ts';
import { createRouter, type Handlers, type MessageSenderLike } from '../../../lib/messaging.ts';
import { storeSettings } from '../../../lib/settings-storage.ts';
import { settingsSchema } from '../../../lib/settings.ts';

const EXTENSION_ID = 'test-extension';
const enabled = new Set(['https://crm.example.com', 'https://other.example.org']);

function route() {
  const logs: string[] = [];
  const router = createRouter(createContentHandlers() as unknown as Handlers, {
    extensionId: EXTENSION_ID,
    extensionOrigin: 'chrome-extension://test-extension',
    isSiteEnabled: (origin) => enabled.has(new URL(origin).origin),
    log: (line) => logs.push(line),
  });
  return { router, logs };
}

function fromPage(url: string): MessageSenderLike {
  return { id: EXTENSION_ID, url, origin: new URL(url).origin, tab: { id: 3, url }, frameId: 0 };
}

const intent = {
  action: 'log-call',
  e164: '+16505550100',
  extension: '45',
  details: { full_name: 'Ada Abbott', first_name: 'Ada', last_name: 'Abbott', company: 'Globex', email: 'ada@globex.example' },
};

beforeEach(async () => {
  await storeSettings(settingsSchema.parse({ defaultCountry: 'GB' }));
});

describe('content/config', () => {
  it('answers the default country and the numbers ignored on the sender’s site only', async () => {
    await ignoreNumber('https://crm.example.com', '+12024000731');
    await ignoreNumber('https://other.example.org', '+442079460018');
    const { router } = route();
    const reply = await router({ type: 'content/config', payload: {} }, fromPage('https://crm.example.com/contacts/1'));
    expect(reply).toEqual({ ok: true, value: { defaultCountry: 'GB', ignored: ['+12024000731'] } });
  });

  it('is refused to a page whose site is not enabled', async () => {
    const { router, logs } = route();
    expect(await router({ type: 'content/config', payload: {} }, fromPage('https://evil.example.net/'))).toBeUndefined();
    expect(logs.join('\n')).toContain('sender not recognised');
  });
});

describe('number/ignore', () => {
  it('stores the number for the sender’s site, once', async () => {
    const { router } = route();
    const page = fromPage('https://crm.example.com/contacts/1');
    for (let i = 0; i < 2; i += 1) {
      expect(await router({ type: 'number/ignore', payload: { e164: '+12024000731' } }, page)).toEqual({
        ok: true,
        value: { ok: true },
      });
    }
    expect(await ignoredNumbersFor('https://crm.example.com')).toEqual(['+12024000731']);
    expect(await ignoredNumbersFor('https://other.example.org')).toEqual([]);
  });

  it('keeps concurrent marks and drops the oldest beyond the limit', async () => {
    await Promise.all(['+16505550100', '+16505550101', '+16505550102'].map((n) => ignoreNumber('https://a.example', n)));
    expect((await ignoredNumbersFor('https://a.example')).sort()).toEqual(['+16505550100', '+16505550101', '+16505550102']);
    await fakeBrowser.storage.local.set({
      ignoredNumbers: { 'https://a.example': Array.from({ length: MAX_IGNORED_PER_SITE }, (_, i) => `+1650555${String(i).padStart(4, '0')}`) },
    });
    await ignoreNumber('https://a.example', '+442079460018');
    const list = await ignoredNumbersFor('https://a.example');
    expect(list).toHaveLength(MAX_IGNORED_PER_SITE);
    expect(list[0]).toBe('+16505550001');
    expect(list.at(-1)).toBe('+442079460018');
  });

  it('rejects what is not E.164', async () => {
    const { router } = route();
    const reply = await router({ type: 'number/ignore', payload: { e164: '650-555-0100' } }, fromPage('https://crm.example.com/'));
    expect(reply).toBeUndefined();
  });
});

describe('number/intent', () => {
  it('"Log a call" remembers the number for the form and opens it', async () => {
    const { router } = route();
    let opened = 0;
    (fakeBrowser.action as unknown as Record<string, unknown>).openPopup = async () => {
      opened += 1;
    };
    const reply = await router({ type: 'number/intent', payload: intent }, fromPage('https://crm.example.com/contacts/1'));
    expect(reply).toEqual({ ok: true, value: { ok: true, message: 'Log a call is open in the toolbar popup, with this number.' } });
    expect(opened).toBe(1);
    const last = await readLastNumber();
    expect(last).toMatchObject(intent);
    expect(Math.abs(Date.now() - last!.at)).toBeLessThan(5000);
    const memory = await (await openDatabase()).get('meta', 'log-call/last-number');
    expect(memory).toMatchObject({ e164: '+16505550100;ext=45', action: 'log-call' });
  });

  it('records other intents as the last number used', async () => {
    const { router } = route();
    const reply = await router(
      { type: 'number/intent', payload: { ...intent, action: 'click-to-call' } },
      fromPage('https://crm.example.com/contacts/1'),
    );
    expect(reply).toEqual({ ok: true, value: { ok: true } });
    expect(await readLastNumber()).toMatchObject({ action: 'click-to-call' });
  });

  it('refuses unknown actions, extra fields and oversized details', async () => {
    const { router } = route();
    const page = fromPage('https://crm.example.com/');
    const bad = [
      { ...intent, action: 'delete-contact' },
      { ...intent, token: 'x' },
      { ...intent, details: { ...intent.details, phone: '+1' } },
      { ...intent, details: { full_name: 'x'.repeat(201) } },
      { ...intent, extension: 'ext45' },
    ];
    for (const payload of bad) expect(await router({ type: 'number/intent', payload }, page)).toBeUndefined();
    expect(await readLastNumber()).toBeUndefined();
  });

  it('is not accepted from extension pages', async () => {
    const { router } = route();
    const reply = await router(
      { type: 'number/intent', payload: intent },
      { id: EXTENSION_ID, url: 'chrome-extension://test-extension/popup.html' },
    );
    expect(reply).toBeUndefined();
  });
});
