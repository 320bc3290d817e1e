/**
 * Tokens stay in the background (issue 7). The real background, configured with every service's
 * sandbox credentials through the options page's own message, runs what users do against the
 * sandbox over real HTTP: connection tests, campaign lists and adds (single and bulk) from a
 * content script, a click-to-call, a logged call delivered through the outbox, do-not-call,
 * export, switching a site off; and a refused token. Afterwards no token, key or secret (nor the
 * CRM's Basic credentials) appears in any answer to a page or content script, any message to a
 * tab, any notification, any storage area (local, sync, session), any console line, or any
 * IndexedDB store but the secrets store.
 */
import { inspect } from 'node:util';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDatabase } from '../../lib/db.ts';
import { basicAuthorization } from '../../lib/crm/client.ts';
import type { MessageSenderLike } from '../../lib/messaging.ts';
import { SITES_KEY } from '../../lib/sites.ts';
import { SANDBOX_CREDENTIALS, sandboxSecrets, sandboxSettings } from '../../sandbox/credentials.ts';
import { contactId } from '../../sandbox/demo/data.ts';
import { startTestBackground, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN, type TestBackground } from '../support/background-harness.ts';
import { useSandbox } from '../support/sandbox.ts';

const sandbox = useSandbox();
const SITE = 'https://crm.example.com';
const WRONG_TOKEN = 'upcall-wrong-token-5e5e5e';

const page: MessageSenderLike = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}/options.html` };
const content: MessageSenderLike = { id: TEST_EXTENSION_ID, url: `${SITE}/contacts/1`, tab: { id: 5, url: `${SITE}/contacts/1` }, frameId: 0 };

/** Every secret value, and the forms it travels in (the CRM's Basic header carries user and key). */
function secretForms(): string[] {
  const values = Object.values(sandboxSecrets()).flatMap((fields) => Object.values(fields));
  const basic = basicAuthorization(SANDBOX_CREDENTIALS.crm.userId, SANDBOX_CREDENTIALS.crm.apiKey);
  return [...values, basic, basic.replace(/^Basic /, ''), WRONG_TOKEN];
}

let background: TestBackground;
const replies: unknown[] = [];
const consoleLines: string[] = [];

async function send<T = unknown>(type: string, payload: unknown, sender = page): Promise<T> {
  const reply = (await background.send({ type, payload }, sender)) as { ok: boolean; value: T } | undefined;
  replies.push({ type, reply });
  if (!reply?.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
  return reply.value;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(-1500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeEach(async () => {
  replies.length = 0;
  consoleLines.length = 0;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleLines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '));
    });
  }
  await fakeBrowser.storage.local.set({ [SITES_KEY]: [SITE] });
  await fakeBrowser.tabs.create({ url: `${SITE}/contacts/1` });
  background = startTestBackground({ granted: () => true });
});

describe('tokens', () => {
  it('never leave the background, whatever the user does', async () => {
    // Options: save every service with its credentials, then pick a voice file.
    const saved = await send<{ ok: boolean; view: unknown }>('settings/save', { settings: sandboxSettings(sandbox.current.url), secrets: sandboxSecrets() });
    expect(saved.ok).toBe(true);
    const files = await send<{ voiceFileId: string; status: string }[]>('multisender/voice-files', {});
    const settings = sandboxSettings(sandbox.current.url);
    await send('settings/save', {
      settings: { ...settings, multisender: { ...settings.multisender, voiceFileId: files.find((f) => f.status === 'ready')!.voiceFileId } },
      secrets: {},
    });
    await send('settings/get', {});
    for (const service of ['upcall', 'sipcaller', 'callemall', 'multisender', 'crm']) {
      const tested = await send<{ ok: boolean }>('service/test', { service, settings, secrets: {} });
      expect(tested.ok, service).toBe(true);
    }

    // A CRM page: its configuration, the campaigns, a check and an add to each campaign service.
    await send('content/config', {}, content);
    await send('campaigns/list', { refresh: true }, content);
    await send('campaigns/check', { e164: '+16505550142' }, content);
    for (const [service, campaignId, e164] of [
      ['upcall', '1001', '+16505550142'],
      ['sipcaller', 'cmp-101', '+16505550143'],
      ['callemall', '31', '+12145550144'],
    ] as const) {
      const added = await send<{ status: string }>(
        'campaigns/add',
        { service, campaignId, contact: { e164, firstName: 'Ada', lastName: 'Abbott', company: 'Globex' } },
        content,
      );
      expect(added.status, service).toBe('added');
    }
    await send('number/intent', { action: 'log-call', e164: '+16505550142', details: { full_name: 'Ada Abbott' } }, content);

    // Click-to-call from the page, followed from the popup.
    await send('click-to-call/prepare', { numbers: ['+16505550145'] }, content);
    await send('click-to-call/create', { receivers: ['+16505550145'], requestId: 'token-leak-test-1' }, content);
    await send('click-to-call/list', { refresh: true });

    // Log a call; the outbox delivers it to the CRM.
    await send('log-call/prefill', {});
    const logged = await send<{ ok: boolean }>('log-call/save', {
      draft: {
        phoneNumber: '+1 650 555 0142',
        contactId: contactId(3),
        callResult: 'conversation',
        text: 'Talked about the renewal.',
        recordingLink: '',
        calledVia: 'Upcall',
        calledAt: '2024-03-01T10:00',
      },
    });
    expect(logged.ok).toBe(true);
    await until(() => send<{ entries: { state: string }[] }>('outbox/list', {}), (v) => v.entries.every((e) => e.state === "sent"), "delivery");
    await send('outbox/history', {});

    // A bulk add from the popup's This page tab.
    await send('bulk/preview', { numbers: ['+16505550146', '+16505550147'] });
    await send('bulk/start', { service: 'upcall', campaignId: '1001', contacts: [{ e164: '+16505550146' }, { e164: '+16505550147' }] });
    await until(() => send<{ state: string } | null>('bulk/status', {}), (job) => job?.state === 'done', 'the bulk job');

    // Do-not-call, export, and the site switched off (every tab is told).
    await send('dnc/add', { number: '650 555 0148' });
    await send('dnc/list', {});
    await send('settings/export', {});
    await send('sites/disable', { site: SITE });

    // A token the service refuses: its sentence must not repeat it either.
    await send('settings/save', { settings, secrets: { upcall: { token: WRONG_TOKEN } } });
    const refused = await send<{ ok: boolean; sentence: string }>('service/test', { service: 'upcall', settings, secrets: {} });
    expect(refused.ok).toBe(false);
    await send('campaigns/list', { refresh: true });

    // The flows did reach every service with the credentials (so there was something to leak).
    const services = new Set(sandbox.current.requests.map((r) => r.service));
    expect([...services].sort()).toEqual(['callemall', 'crm', 'multisender', 'sipcaller', 'upcall']);
    expect(background.effects.map((e) => e.api)).toEqual(expect.arrayContaining(['tabs.sendMessage', 'notifications.create']));

    // Where a token must never be.
    const db = await openDatabase();
    const stores: Record<string, unknown> = {};
    for (const name of [...db.objectStoreNames].filter((n) => n !== 'secrets')) stores[name] = await db.getAll(name);
    const places: Record<string, string> = {
      'answers to pages and content scripts': JSON.stringify(replies),
      'messages to tabs': JSON.stringify(background.effects.filter((e) => e.api === 'tabs.sendMessage')),
      notifications: JSON.stringify(background.effects.filter((e) => e.api === 'notifications.create')),
      'other effects': JSON.stringify(background.effects),
      'storage.local': JSON.stringify(await fakeBrowser.storage.local.get()),
      'storage.sync': JSON.stringify(await fakeBrowser.storage.sync.get()),
      'storage.session': JSON.stringify(await fakeBrowser.storage.session.get()),
      console: consoleLines.join('\n'),
      'IndexedDB (but secrets)': JSON.stringify(stores),
    };
    const leaks = Object.entries(places).flatMap(([place, text]) =>
      secretForms()
        .filter((secret) => text.includes(secret))
        .map((secret) => `${place}: ${secret}`),
    );
    expect(leaks).toEqual([]);
    // The secrets store does hold them: the check above would have seen them had they spread.
    expect(JSON.stringify(await db.getAll('secrets'))).toContain(SANDBOX_CREDENTIALS.multisender.token);
    // Pages saw masks only.
    expect(JSON.stringify(replies)).toContain('••••');
  }, 60_000);
});
