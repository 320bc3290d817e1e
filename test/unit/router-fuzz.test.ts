/**
 * The background's router under 10,000 generated hostile messages (issue 7, "Messages are
 * checked"). It is the REAL router with the REAL handler set: `startBackground()` registers it on
 * the (fake) browser's runtime.onMessage exactly as the service worker does, and the messages go
 * in through that listener. Each message is wrong in at least one way: a forged sender (another
 * extension, a site the user did not enable, no tab, extension-URL lookalikes), a sender of the
 * wrong kind, a payload with a wrong type, an extra key (`__proto__`, `constructor` …), a huge
 * string, a junk envelope or an unknown name. The router must answer nothing (undefined) and run
 * no handler: no fetch, no tab message, no notification, no window, and IndexedDB and every
 * storage area byte-for-byte as before. Free-form fields the schemas accept on purpose
 * (settings objects, an import file, a number as typed) get invalid junk from a real extension
 * page: the handler refuses it and nothing changes either.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EXPORT_FORMAT } from '../../lib/background/settings-handlers.ts';
import { openDatabase } from '../../lib/db.ts';
import { addLocalDoNotCall } from '../../lib/dnc/store.ts';
import type { MessageSenderLike } from '../../lib/messaging.ts';
import { protocol } from '../../lib/protocol/index.ts';
import type { SenderKind } from '../../lib/protocol/define.ts';
import { updateSecrets } from '../../lib/secrets.ts';
import { storeSettings } from '../../lib/settings-storage.ts';
import { settingsSchema, validateSettings } from '../../lib/settings.ts';
import { SITES_KEY, siteOf } from '../../lib/sites.ts';
import { sandboxSecrets } from '../../sandbox/credentials.ts';
import { startTestBackground, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../support/background-harness.ts';

type MessageType = keyof typeof protocol;

const EXT_ID = TEST_EXTENSION_ID;
const EXT_ORIGIN = TEST_EXTENSION_ORIGIN;
const ENABLED_SITE = 'https://crm.example.com';

const E164 = '+16505550100';
const DETAILS = { full_name: 'Ada Abbott', first_name: 'Ada', last_name: 'Abbott', company: 'Globex', email: 'ada@globex.example' };
const CONTACT = { e164: E164, extension: '45', firstName: 'Ada', lastName: 'Abbott', company: 'Globex', email: 'ada@globex.example' };
const DRAFT = {
  phoneNumber: E164,
  contactId: '5f0c1a2b3c4d5e6f70818283',
  callResult: 'conversation',
  text: 'Called about the renewal.',
  recordingLink: 'https://rec.example.com/1',
  calledVia: 'Other',
  calledAt: '2024-03-01T10:00',
};
const MS_DRAFT = { baseUrl: 'https://ms.example.com/v1', token: 'draft-token' };

/**
 * One valid payload per message, with every optional field present so that mutations reach it.
 * A message added to the protocol without a sample here fails the coverage test below.
 */
const SAMPLES: Record<MessageType, unknown> = {
  'settings/get': {},
  'settings/save': { settings: { defaultCountry: 'US' }, secrets: { upcall: { token: 'new-token-123456' } } },
  'service/test': { service: 'upcall', settings: {}, secrets: { upcall: { token: 'typed-token-1234' } } },
  'settings/export': {},
  'settings/import': { json: '{}' },
  'sites/list': {},
  'sites/status': { url: `${ENABLED_SITE}/contacts/1` },
  'sites/enable': { site: ENABLED_SITE, tabId: 3 },
  'sites/disable': { site: ENABLED_SITE },
  'log-call/save': { draft: DRAFT, id: '0b6c3f0e-3c8e-4f55-9d7a-1f2e3d4c5b6a' },
  'log-call/prefill': { tabId: 3, tabUrl: `${ENABLED_SITE}/contacts/1` },
  'log-call/number-memory': { phoneNumber: E164 },
  'log-call/start': { e164: `${E164};ext=45` },
  'outbox/list': {},
  'outbox/kick': {},
  'outbox/retry': { id: 'entry-1' },
  'outbox/edit': { id: 'entry-1', change: { kind: 'crm-call', draft: DRAFT } },
  'outbox/discard': { id: 'entry-1' },
  'outbox/send-anyway': { id: 'entry-1' },
  'outbox/history': { limit: 10 },
  'content/config': {},
  'number/ignore': { e164: E164 },
  'number/intent': { action: 'log-call', e164: E164, extension: '45', details: DETAILS },
  'click-to-call/prepare': { numbers: [E164] },
  'click-to-call/create': { receivers: [E164], requestId: 'req-12345678', overrideDoNotCall: [E164], source: 'popup' },
  'click-to-call/list': { refresh: true },
  'click-to-call/cancel': { id: 'call-1' },
  'click-to-call/pending': {},
  'click-to-call/open-options': {},
  'multisender/voice-files': { draft: MS_DRAFT },
  'multisender/voice-file': { draft: MS_DRAFT, voiceFileId: 'vf-1' },
  'multisender/voice-codes': { draft: MS_DRAFT },
  'multisender/text-to-speech': { draft: MS_DRAFT, name: 'Greeting', text: 'Hello there', voiceCode: 'en-US-female' },
  'campaigns/list': { refresh: true },
  'campaigns/check': { e164: E164, extension: '45' },
  'campaigns/add': { service: 'upcall', campaignId: '1001', contact: CONTACT, overrideDoNotCall: true },
  'campaigns/context-number': { e164: E164, extension: '45', details: DETAILS },
  'bulk/preview': { numbers: [E164] },
  'bulk/stage': { stageId: '7c0a4e3e-4bd9-4a7e-9c43-4f6f2b1d2a10', contacts: [CONTACT] },
  'bulk/start': { service: 'upcall', campaignId: '1001', contacts: [CONTACT] },
  'bulk/status': {},
  'bulk/cancel': {},
  'bulk/dismiss': {},
  'dnc/list': {},
  'dnc/add': { number: '650 555 0177', note: 'asked not to be called' },
  'dnc/remove': { e164: E164 },
};

/** Fields declared `z.unknown()` on purpose (validated by the handler): junk there is property D. */
const FREE_FORM: Partial<Record<MessageType, string[]>> = { 'settings/save': ['settings'], 'service/test': ['settings'] };

const TYPES = Object.keys(protocol) as MessageType[];

// ---------------------------------------------------------------------------------------------
// Senders.

const extensionPage: MessageSenderLike = { id: EXT_ID, url: `${EXT_ORIGIN}/popup.html`, origin: EXT_ORIGIN };
const contentScript: MessageSenderLike = {
  id: EXT_ID,
  url: `${ENABLED_SITE}/contacts/1`,
  origin: ENABLED_SITE,
  tab: { id: 7, url: `${ENABLED_SITE}/contacts/1` },
  frameId: 0,
};
const LEGIT: Record<SenderKind, MessageSenderLike> = { extension: extensionPage, content: contentScript };

/** Senders no message may come from, whatever its type. */
const FORGED_SENDERS: MessageSenderLike[] = [
  { id: 'abcdefghijklmnopabcdefghijklmnop', url: `chrome-extension://abcdefghijklmnopabcdefghijklmnop/bg.html` },
  { id: 'abcdefghijklmnopabcdefghijklmnop', url: `${EXT_ORIGIN}/popup.html` },
  { id: 'abcdefghijklmnopabcdefghijklmnop', url: `${ENABLED_SITE}/x`, tab: { id: 7 } },
  { id: EXT_ID.toUpperCase(), url: `${EXT_ORIGIN}/popup.html` },
  { url: `${EXT_ORIGIN}/popup.html` },
  { id: EXT_ID },
  {},
  { id: EXT_ID, url: 'https://evil.example/', tab: { id: 7 }, frameId: 0 },
  { id: EXT_ID, url: `${ENABLED_SITE}/contacts/1` }, // an enabled site, but no tab
  { id: EXT_ID, url: `http://crm.example.com/contacts/1`, tab: { id: 7 } }, // http, not the enabled https
  { id: EXT_ID, url: 'https://crm.example.com.evil.example/', tab: { id: 7 } },
  { id: EXT_ID, url: 'https://evil.example/?https://crm.example.com', tab: { id: 7 } },
  { id: EXT_ID, url: `https://evil.example/`, origin: ENABLED_SITE, tab: { id: 7, url: `${ENABLED_SITE}/` } },
  { id: EXT_ID, url: `moz-extension://${EXT_ID}/popup.html` },
  { id: EXT_ID, url: `moz-extension://${EXT_ID}/popup.html`, tab: { id: 7 } },
  { id: EXT_ID, url: `${EXT_ORIGIN}.evil.example/popup.html` },
  { id: EXT_ID, url: `${EXT_ORIGIN}.evil.example/popup.html`, tab: { id: 7 } },
  { id: EXT_ID, url: `chrome-extension://${EXT_ID}@evil.example/popup.html`, tab: { id: 7 } },
  { id: EXT_ID, url: `chrome-extension://evil.example/${EXT_ID}/popup.html`, tab: { id: 7 } },
  { id: EXT_ID, url: `CHROME-EXTENSION://${EXT_ID}/popup.html` },
  { id: EXT_ID, url: ` ${EXT_ORIGIN}/popup.html` },
  { id: EXT_ID, url: `${EXT_ORIGIN}` }, // no path: not a page of ours
  { id: EXT_ID, url: 'file:///etc/passwd', tab: { id: 7 } },
  { id: EXT_ID, url: 'data:text/html,<script>alert(1)</script>', tab: { id: 7 } },
  { id: EXT_ID, url: 'about:blank', tab: { id: 7 } },
  { id: EXT_ID, url: 'javascript:alert(1)', tab: { id: 7 } },
  { id: EXT_ID, url: 'not a url', tab: { id: 7 } },
  { id: EXT_ID, url: '', tab: { id: 7 } },
];

/** Random senders that are not ours: another id, or our id on a site that is not enabled. */
const randomForgedSender: fc.Arbitrary<MessageSenderLike> = fc.oneof(
  fc.record(
    {
      id: fc.string({ maxLength: 40 }).filter((id) => id !== EXT_ID),
      url: fc.oneof(fc.webUrl(), fc.constant(`${EXT_ORIGIN}/popup.html`), fc.constant(`${ENABLED_SITE}/x`)),
      tab: fc.record({ id: fc.nat() }),
      frameId: fc.nat(),
    },
    { requiredKeys: ['id'] },
  ),
  fc.record(
    {
      id: fc.constant(EXT_ID),
      url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ maxLength: 80 })),
      tab: fc.record({ id: fc.nat() }),
      frameId: fc.nat(),
    },
    { requiredKeys: ['id', 'url'] },
  ).filter((s) => siteOf(s.url!) !== ENABLED_SITE && !s.url!.startsWith(`${EXT_ORIGIN}/`)),
);

// ---------------------------------------------------------------------------------------------
// Payload mutations: each one makes a valid payload invalid by the protocol's own rules.

type Path = (string | number)[];

function leaves(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}

function replaceAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function withOwnKey(payload: unknown, key: string, value: unknown): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  // defineProperty, so "__proto__" is an own key as JSON.parse would make it, not a prototype.
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withSparseArray: true,
  }),
);

/**
 * Strings far beyond any limit in the protocol (the largest is the 100,000-character import;
 * zod counts characters, so an astral character counts once).
 */
const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(100_001, 250_000, 1_000_000), fc.constantFrom('x', '9', '<', '\u202e', '𝕏'))
  .map(([length, unit]) => unit.repeat(length));

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'then', 'extra', ''];

/** A value whose JS type differs from `original` (never undefined or null: optional and nullable fields take those). */
function wrongTypeFor(original: unknown): fc.Arbitrary<unknown> {
  const kind = Array.isArray(original) ? 'array' : typeof original;
  const candidates: fc.Arbitrary<unknown>[] = [];
  if (kind !== 'string') candidates.push(fc.string({ maxLength: 20 }));
  if (kind !== 'number') candidates.push(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -0)));
  if (kind !== 'boolean') candidates.push(fc.boolean());
  if (kind !== 'object') candidates.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
  if (kind !== 'array') candidates.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  return fc.oneof(...candidates);
}

function mutatedPayload(type: MessageType): fc.Arbitrary<{ payload: unknown; how: string }> {
  const sample = SAMPLES[type];
  const freeForm = FREE_FORM[type] ?? [];
  const targets = leaves(sample).filter(({ path }) => path.length > 0 && !freeForm.includes(String(path[0])));
  const strings = targets.filter(({ value }) => typeof value === 'string');
  const options: fc.Arbitrary<{ payload: unknown; how: string }>[] = [
    fc
      .tuple(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 12 })), junkValue)
      .filter(([key]) => !Object.prototype.hasOwnProperty.call(sample, key))
      .map(([key, value]) => ({ payload: withOwnKey(sample, key, value), how: `extra key ${JSON.stringify(key)}` })),
    junkValue
      .filter((value) => value === null || typeof value !== 'object' || Array.isArray(value))
      .map((payload) => ({ payload, how: 'not an object' })),
  ];
  if (targets.length > 0) {
    options.push(
      fc
        .constantFrom(...targets)
        .chain(({ path, value }) => wrongTypeFor(value).map((bad) => ({ payload: replaceAt(sample, path, bad), how: `wrong type at ${path.join('.')}` }))),
    );
    options.push(
      fc.constantFrom(...targets).chain(({ path }) =>
        fc
          .constantFrom(...EXTRA_KEYS.slice(0, 3))
          .map((key) => ({ payload: replaceAt(sample, path, withOwnKey({}, key, { polluted: true })), how: `${key} object at ${path.join('.')}` })),
      ),
    );
  }
  if (strings.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...strings), hugeString)
        .map(([{ path }, huge]) => ({ payload: replaceAt(sample, path, huge), how: `huge string at ${path.join('.')}` })),
    );
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// The background, its effects and its state.

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v)).slice(0, 300);
  } catch {
    return String(value);
  }
}

/** Everything the background keeps: IndexedDB (every store, with keys), storage areas, alarms. */
async function snapshot(): Promise<string> {
  const db = await openDatabase();
  const stores: Record<string, unknown> = {};
  for (const name of [...db.objectStoreNames].sort()) {
    const tx = db.transaction(name, 'readonly');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    await tx.done;
    stores[name] = keys.map((key, i) => [key, values[i]]);
  }
  const [local, sync, session, alarms] = await Promise.all([
    fakeBrowser.storage.local.get(),
    fakeBrowser.storage.sync.get(),
    fakeBrowser.storage.session.get(),
    fakeBrowser.alarms.getAll(),
  ]);
  return JSON.stringify({ stores, local, sync, session, alarms: alarms.map((a) => a.name).sort() });
}

async function storageSnapshot(): Promise<string> {
  const [local, sync, session] = await Promise.all([
    fakeBrowser.storage.local.get(),
    fakeBrowser.storage.sync.get(),
    fakeBrowser.storage.session.get(),
  ]);
  return JSON.stringify({ local, sync, session });
}

interface Effects {
  fetches: string[];
  /** Messages to tabs, notifications, windows, injected scripts…: none may happen here. */
  readonly external: string[];
}

interface Booted {
  send(message: unknown, sender: MessageSenderLike): Promise<unknown>;
  effects: Effects;
  warnings: string[];
  errors: unknown[][];
}

/**
 * Seeds state a stray handler would visibly change (settings, every secret, an enabled site, a
 * do-not-call number, an ignored number), starts the background as the worker does, and waits
 * until its start-up work (campaign refresh, opt-out sync, outbox kick, alarms) has settled.
 */
async function boot(): Promise<Booted> {
  const fetches: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      fetches.push(String(input instanceof Request ? input.url : input));
      throw new TypeError('fetch failed');
    }),
  );
  await storeSettings(settingsSchema.parse({ defaultCountry: 'US' }));
  await updateSecrets(sandboxSecrets());
  await fakeBrowser.storage.local.set({ [SITES_KEY]: [ENABLED_SITE], ignoredNumbers: { [ENABLED_SITE]: ['+12025550143'] } });
  await addLocalDoNotCall('+16505550199', 'seeded', 1_700_000_000_000);

  const background = startTestBackground({
    // The enabled site, and the services' default addresses (so a stray read would be attempted).
    granted: (pattern) => pattern === `${ENABLED_SITE}/*` || pattern.startsWith('https://api.'),
    registered: [{ id: 'crm-number-detection', matches: [`${ENABLED_SITE}/*`], js: ['content-scripts/content.js'] }],
  });
  const effects: Effects = {
    fetches,
    get external() {
      return background.effects.map(({ api, args }) => `${api} ${safeJson(args)}`);
    },
  };
  let last = '';
  for (let stable = 0; stable < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = `${await snapshot()}|${fetches.length}|${background.effects.length}`;
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  fetches.length = 0;
  background.effects.length = 0;

  const warnings: string[] = [];
  const errors: unknown[][] = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
  return { effects, warnings, errors, send: background.send };
}

let booted: Booted;

beforeEach(async () => {
  booted = await boot();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/**
 * Runs `runs` messages through the router, checking after each that it answered nothing and
 * reached nothing outside, and at the end that nothing it keeps changed.
 */
async function fuzz(
  arbitrary: fc.Arbitrary<{ message: unknown; sender: MessageSenderLike; why: string }>,
  runs: number,
  accept: (reply: unknown) => boolean = (reply) => reply === undefined,
): Promise<void> {
  const before = await snapshot();
  const storageBefore = await storageSnapshot();
  // A counterexample prints as its one-line description, not as a megabyte of payload.
  const described = arbitrary.map((run) => Object.assign(run, { [fc.toStringMethod]: () => run.why.slice(0, 300) }));
  await fc.assert(
    fc.asyncProperty(described, async ({ message, sender }) => {
      const reply = await booted.send(message, sender);
      expect(accept(reply), safeJson(reply)).toBe(true);
      expect(booted.effects.fetches).toEqual([]);
      expect(booted.effects.external).toEqual([]);
      expect(await storageSnapshot()).toBe(storageBefore);
    }),
    { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20_240_301), endOnFailure: true },
  );
  // Anything a handler started in the background has had time to land.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await snapshot()).toBe(before);
  expect(booted.effects.fetches).toEqual([]);
  expect(booted.effects.external).toEqual([]);
  expect(booted.errors).toEqual([]);
}

describe('the router under generated hostile messages', () => {
  it('has a valid sample of every message (so every message is fuzzed), and its extra keys are refused', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...TYPES].sort());
    for (const type of TYPES) {
      const schema = protocol[type].request;
      expect(schema.safeParse(SAMPLES[type]).success, type).toBe(true);
      // Every payload is a strict object: this is what makes "extra key" an invalid mutation.
      expect(schema.safeParse(withOwnKey(SAMPLES[type], '__proto__', {})).success, type).toBe(false);
    }
  });

  it('sees what a message that does get through changes (the instruments work)', async () => {
    const before = await snapshot();
    const ignored = await booted.send({ type: 'number/ignore', payload: { e164: E164 } }, contentScript);
    expect(ignored).toEqual({ ok: true, value: { ok: true } });
    expect(await snapshot()).not.toBe(before);
    // A refresh from the popup reads every configured service (through the stubbed fetch).
    await booted.send({ type: 'campaigns/list', payload: { refresh: true } }, extensionPage);
    expect(booted.effects.fetches.length).toBeGreaterThan(0);
  });

  it('answers nothing to valid payloads from senders not allowed to send them (3,000 messages)', async () => {
    const arbitrary = fc.constantFrom(...TYPES).chain((type) => {
      const def = protocol[type];
      const wrongKinds = (['extension', 'content'] as const).filter((k) => !def.senders.includes(k));
      const senders = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...FORGED_SENDERS) },
        { weight: 2, arbitrary: randomForgedSender },
        ...(wrongKinds.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...wrongKinds.map((k) => LEGIT[k])) }] : []),
      );
      return senders.map((sender) => ({ message: { type, payload: SAMPLES[type] }, sender, why: `${type} from ${safeJson(sender)}` }));
    });
    await fuzz(arbitrary, 3_000);
    // Each reason is logged once, not once per message.
    const rejections = booted.warnings.filter((w) => w.startsWith('[messaging] rejected'));
    expect(rejections.length).toBeGreaterThan(0);
    expect(new Set(rejections).size).toBe(rejections.length);
  });

  it('answers nothing to invalid payloads from its own pages and content scripts (4,000 messages)', async () => {
    const arbitrary = fc.constantFrom(...TYPES).chain((type) =>
      fc
        .tuple(mutatedPayload(type), fc.constantFrom(...protocol[type].senders))
        .map(([{ payload, how }, kind]) => ({ message: { type, payload }, sender: LEGIT[kind], why: `${type}: ${how}` })),
    );
    await fuzz(arbitrary, 4_000);
  });

  it('answers nothing to junk envelopes and unknown names (2,000 messages)', async () => {
    const senders = fc.oneof(fc.constantFrom(extensionPage, contentScript), fc.constantFrom(...FORGED_SENDERS));
    const unknownType = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'settings/get ', 'SETTINGS/GET', 'settings\u0000/get'),
      fc.string({ maxLength: 40 }),
      hugeString,
    ).filter((type) => !Object.prototype.hasOwnProperty.call(protocol, type));
    const known = fc.constantFrom(...TYPES);
    const envelope = fc.oneof(
      junkValue.map((message) => ({ message, why: 'junk' })),
      fc.tuple(unknownType, junkValue).map(([type, payload]) => ({ message: { type, payload }, why: `unknown ${type.slice(0, 30)}` })),
      known.map((type) => ({ message: { type }, why: `${type} without payload` })),
      fc.tuple(known, fc.constantFrom(...EXTRA_KEYS), junkValue).map(([type, key, value]) => ({
        message: withOwnKey({ type, payload: SAMPLES[type] }, key, value),
        why: `${type} envelope with ${key}`,
      })),
      fc.tuple(wrongTypeFor('type'), known).map(([type, name]) => ({ message: { type, payload: SAMPLES[name] }, why: 'type not a string' })),
      known.map((type) => ({ message: [type, SAMPLES[type]], why: 'array envelope' })),
    );
    const arbitrary = fc.tuple(envelope, senders).map(([{ message, why }, sender]) => ({ message, sender, why }));
    await fuzz(arbitrary, 2_000);
  });

  it('refuses invalid junk in the fields that are free-form by design, changing nothing (1,000 messages)', async () => {
    const invalidSettings = fc
      .oneof(
        junkValue,
        fc
          .record({
            defaultCountry: fc.oneof(fc.string({ maxLength: 4 }), fc.constant('<img src=x onerror=alert(1)>')),
            upcall: fc.record({ baseUrl: fc.constantFrom('javascript:alert(1)', 'http://evil.example', 'https://u:p@evil.example', 'ftp://x') }),
          })
          .map((settings) => withOwnKey(settings, '__proto__', { defaultCountry: 'DE', polluted: true })),
      )
      .filter((settings) => !validateSettings(settings).ok);
    const notAnImport = fc
      .oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue().map((value) => JSON.stringify(value)),
        invalidSettings.map((settings) => safeJson({ format: EXPORT_FORMAT, settings })),
        fc.constant('{"format":"crm-call-companion/settings","settings":{"__proto__":{"defaultCountry":"DE"},"defaultCountry":"<b>"}}'),
      )
      .filter((json) => {
        try {
          const parsed = JSON.parse(json) as { format?: unknown; settings?: unknown };
          return !(parsed?.format === EXPORT_FORMAT && typeof parsed.settings === 'object' && validateSettings(parsed.settings).ok);
        } catch {
          return true;
        }
      });
    // A number as typed that cannot be a phone number (too few digits), and a call time that is no time.
    const notANumber = fc.string({ maxLength: 100 }).filter((s) => (s.match(/\d/g) ?? []).length < 5);
    const notATime = fc.string({ maxLength: 40 }).filter((s) => !/\d{4}-\d{2}-\d{2}T/.test(s));
    const notASite = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('javascript:alert(1)', 'https://evil.example/path', 'chrome://settings'))
      .filter((s) => siteOf(s) !== s);

    const arbitrary = fc.oneof(
      invalidSettings.map((settings) => ({ type: 'settings/save', payload: { settings, secrets: {} } })),
      notAnImport.map((json) => ({ type: 'settings/import', payload: { json } })),
      fc.tuple(notANumber, fc.option(fc.string({ maxLength: 200 }), { nil: undefined })).map(([number, note]) => ({
        type: 'dnc/add',
        payload: note === undefined ? { number } : { number, note },
      })),
      fc.record({
        phoneNumber: fc.string({ maxLength: 100 }),
        contactId: fc.string({ maxLength: 100 }),
        text: fc.string({ maxLength: 500 }),
        recordingLink: fc.oneof(fc.string({ maxLength: 100 }), fc.constant('javascript:alert(1)')),
        calledAt: notATime,
      }).map((junk) => ({ type: 'log-call/save', payload: { draft: { ...DRAFT, ...junk } } })),
      notASite.map((site) => ({ type: 'sites/enable', payload: { site } })),
      fc.string({ maxLength: 4096 }).map((url) => ({ type: 'sites/status', payload: { url } })),
      notANumber.map((phoneNumber) => ({ type: 'log-call/number-memory', payload: { phoneNumber } })),
    );
    const refused = (reply: unknown): boolean => {
      if (reply === undefined) return true;
      const r = reply as { ok: boolean; value?: { ok?: boolean; enabled?: boolean } };
      if (!r.ok) return true;
      // Handled: the handler itself said no (or, for read-only questions, answered without acting).
      return r.value?.ok === false || r.value?.enabled === false || (typeof r.value === 'object' && !('ok' in (r.value ?? {})));
    };
    await fuzz(
      arbitrary.map(({ type, payload }) => ({ message: { type, payload }, sender: extensionPage, why: type })),
      1_000,
      refused,
    );
  });
});
