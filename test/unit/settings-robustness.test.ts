/**
 * Settings are robust (issue 7): whatever sits in storage.local under the settings key (another
 * extension version, a hand edit, a corrupted profile), loading falls back field by field to the
 * defaults, says which fields, and never throws; the background's answers built on it (the
 * options page's view, a content script's configuration) keep working. An import that is not a
 * valid export (junk, deep nesting, a `__proto__` key, a file over the size limit) is refused
 * with a sentence and changes nothing.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createContentHandlers } from '../../lib/background/content-handlers.ts';
import { BackgroundEvents } from '../../lib/background/events.ts';
import { createSettingsHandlers, EXPORT_FORMAT } from '../../lib/background/settings-handlers.ts';
import { createRouter, type Handlers, type SenderContext } from '../../lib/messaging.ts';
import { loadSettings, storeSettings } from '../../lib/settings-storage.ts';
import { DEFAULT_SETTINGS, SETTINGS_KEY, settingsSchema, validateSettings } from '../../lib/settings.ts';

const page: SenderContext = { kind: 'extension', origin: 'chrome-extension://x', url: 'chrome-extension://x/options.html' };
const content: SenderContext = { kind: 'content', origin: 'https://crm.example.com', url: 'https://crm.example.com/', tabId: 1 };

function deep(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

const CORRUPTED: [string, unknown][] = [
  ['a string', 'settings'],
  ['a number', 42],
  ['an array', [{ defaultCountry: 'DE' }]],
  ['wrong types everywhere', { defaultCountry: 7, upcall: 'x', sipcaller: { varOrder: 'first_name' }, callingHours: { start: 9, weekdays: 'Mon' } }],
  ['unsafe base URLs', { upcall: { baseUrl: 'javascript:alert(1)' }, crm: { baseUrl: 'http://evil.example/api' } }],
  ['markup in text fields', { defaultCountry: '<img src=x onerror=alert(1)>', crm: { contactPagePattern: '<script>alert(1)</script>' } }],
  ['a __proto__ key', JSON.parse('{"__proto__":{"defaultCountry":"DE","polluted":true},"defaultCountry":"ZZ"}')],
  ['a huge string', { defaultCountry: 'U'.repeat(1_000_000) }],
  // As deep as a storage area will hold (the fake's copy, like Chrome's serialiser, has a limit).
  ['deep nesting', { upcall: deep(1_000, 'x'), crm: deep(1_000, 'y') }],
  ['a future version', { version: 99, defaultCountry: 'FR', somethingNew: { a: 1 } }],
];

beforeEach(() => {
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => true;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

describe('a corrupted stored value', () => {
  it.each(CORRUPTED)('falls back to the defaults and is reported: %s', async (_name, stored) => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: stored });
    const { settings, problems } = await loadSettings();
    // Whatever came back is a valid settings object (saving it again would pass).
    expect(validateSettings(settings).ok).toBe(true);
    if (_name !== 'a future version') {
      expect(problems.length).toBeGreaterThan(0);
      // The broken fields are back to their defaults.
      expect(settings.upcall.baseUrl).toMatch(/^https:\/\//);
      expect(settings.crm.baseUrl).toBe(DEFAULT_SETTINGS.crm.baseUrl);
    } else {
      expect(settings.defaultCountry).toBe('FR');
      expect(problems).toEqual([expect.stringContaining('newer version')]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // What the background builds on it still answers: the options page sees why, pages still run.
    const view = await createSettingsHandlers(new BackgroundEvents())['settings/get']({}, page);
    expect(view.problems).toEqual(problems);
    const config = await createContentHandlers()['content/config']({}, content);
    expect(config.defaultCountry).toMatch(/^[A-Z]{2}$/);
  });

  it('never throws, whatever is stored, and always gives valid settings (300 generated values)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ maxDepth: 4, withNullPrototype: true, withDate: true, withMap: true, withSparseArray: true }),
        async (stored) => {
          await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: stored });
          const { settings } = await loadSettings();
          expect(validateSettings(settings).ok).toBe(true);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('an import that is not a valid export', () => {
  const invalidImports: [string, string][] = [
    ['not JSON', '{"format": "crm-call-companion/settings", "settings": {'],
    ['an HTML page', '<!doctype html><html><body><script>alert(1)</script></body></html>'],
    ['JSON of another shape', JSON.stringify([{ format: EXPORT_FORMAT }])],
    ['another format', JSON.stringify({ format: 'other/settings', settings: {} })],
    ['settings of the wrong types', JSON.stringify({ format: EXPORT_FORMAT, settings: { defaultCountry: 49, callingHours: [] } })],
    ['unsafe base URLs', JSON.stringify({ format: EXPORT_FORMAT, settings: { upcall: { baseUrl: 'javascript:alert(1)' } } })],
    ['a __proto__ key', `{"format":"${EXPORT_FORMAT}","settings":{"__proto__":{"defaultCountry":"DE"},"defaultCountry":"<b>"}}`],
    ['deep nesting', `{"format":"${EXPORT_FORMAT}","settings":{"upcall":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`],
  ];

  it.each(invalidImports)('is refused with a sentence and changes nothing: %s', async (_name, json) => {
    await storeSettings(settingsSchema.parse({ defaultCountry: 'FR' }));
    const before = await fakeBrowser.storage.local.get();
    const result = await createSettingsHandlers(new BackgroundEvents())['settings/import']({ json }, page);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.file).toMatch(/^(This|The file)\b.*\.$/);
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('over the size limit never reaches the handler (the options page says so before sending)', async () => {
    await storeSettings(settingsSchema.parse({ defaultCountry: 'FR' }));
    const before = await fakeBrowser.storage.local.get();
    const handlers = createSettingsHandlers(new BackgroundEvents());
    const importSpy = vi.fn(handlers['settings/import']);
    const router = createRouter({ ...handlers, 'settings/import': importSpy } as unknown as Handlers, {
      extensionId: 'x',
      extensionOrigin: 'chrome-extension://x',
      isSiteEnabled: () => false,
      log: () => undefined,
    });
    const valid = JSON.stringify({ format: EXPORT_FORMAT, settings: { defaultCountry: 'DE' } });
    const oversized = valid.replace('{"defaultCountry"', `{"padding":"${'x'.repeat(100_000)}","defaultCountry"`);
    const sender = { id: 'x', url: 'chrome-extension://x/options.html' };
    expect(await router({ type: 'settings/import', payload: { json: oversized } }, sender)).toBeUndefined();
    expect(importSpy).not.toHaveBeenCalled();
    expect(await fakeBrowser.storage.local.get()).toEqual(before);
    // The same file without the padding is a valid export: the size alone refused it.
    expect(await router({ type: 'settings/import', payload: { json: valid } }, sender)).toMatchObject({ ok: true, value: { ok: true } });
  });
});
