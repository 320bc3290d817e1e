import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BackgroundEvents, type SettingsChange } from '../../../lib/background/events.ts';
import { createSettingsHandlers, EXPORT_FORMAT } from '../../../lib/background/settings-handlers.ts';
import type { SenderContext } from '../../../lib/messaging.ts';
import { getSecrets } from '../../../lib/secrets.ts';
import { SANDBOX_CREDENTIALS, sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const ctx: SenderContext = { kind: 'extension', origin: 'chrome-extension://x', url: 'chrome-extension://x/options.html' };
const sandbox = useSandbox();
let granted: boolean;
let changes: SettingsChange[];
let handlers: ReturnType<typeof createSettingsHandlers>;

beforeEach(() => {
  granted = true;
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => granted;
  const events = new BackgroundEvents();
  changes = [];
  events.onSettingsChanged((change) => {
    changes.push(change);
  });
  handlers = createSettingsHandlers(events);
});

describe('settings handlers', () => {
  it('save validates, stores, keeps secrets out of the view and announces the change', async () => {
    const bad = await handlers['settings/save']({ settings: { upcall: { baseUrl: 'nope' } }, secrets: {} }, ctx);
    expect(bad).toMatchObject({ ok: false, errors: { 'upcall.baseUrl': expect.any(String) } });
    expect(changes).toEqual([]);

    const saved = await handlers['settings/save'](
      { settings: sandboxSettings(sandbox.current.url), secrets: sandboxSecrets() },
      ctx,
    );
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.view.configured).toEqual({ upcall: true, sipcaller: true, callemall: true, multisender: true, crm: true });
    expect(JSON.stringify(saved.view)).not.toContain(SANDBOX_CREDENTIALS.upcall.token);
    expect(saved.view.secrets.upcall.token).toMatch(/^••••/);
    expect(changes[0]?.secretsChanged.sort()).toEqual(['callemall', 'crm', 'multisender', 'sipcaller', 'upcall']);
    expect(await getSecrets('upcall')).toEqual({ token: SANDBOX_CREDENTIALS.upcall.token });
  });

  it('tests a connection with the typed values, and answers in a sentence', async () => {
    const settings = sandboxSettings(sandbox.current.url);
    const ok = await handlers['service/test']({ service: 'upcall', settings, secrets: sandboxSecrets() }, ctx);
    expect(ok).toEqual({ ok: true, sentence: expect.stringMatching(/^Connected: \d+ ready or pending campaigns/) });

    const wrong = await handlers['service/test']({ service: 'upcall', settings, secrets: { upcall: { token: 'wrong' } } }, ctx);
    expect(wrong).toEqual({ ok: false, sentence: 'Upcall rejected the token (401). Check the Upcall settings in options.' });

    const missing = await handlers['service/test']({ service: 'crm', settings, secrets: {} }, ctx);
    expect(missing.ok).toBe(false);
    expect(missing.sentence).toMatch(/^CRM is not set up: missing .*API key/);

    granted = false;
    const denied = await handlers['service/test']({ service: 'upcall', settings, secrets: sandboxSecrets() }, ctx);
    expect(denied.sentence).toMatch(/^The browser has not allowed access to 127\.0\.0\.1:\d+/);
  });

  it('exports settings without secrets and imports them back', async () => {
    await handlers['settings/save']({ settings: { ...sandboxSettings(sandbox.current.url), defaultCountry: 'DE' }, secrets: sandboxSecrets() }, ctx);
    const { json } = await handlers['settings/export']({}, ctx);
    expect(JSON.parse(json)).toMatchObject({ format: EXPORT_FORMAT, settings: { defaultCountry: 'DE' } });
    for (const secret of Object.values(sandboxSecrets()).flatMap((fields) => Object.values(fields))) {
      expect(json).not.toContain(secret);
    }

    await handlers['settings/save']({ settings: { defaultCountry: 'FR' }, secrets: {} }, ctx);
    const imported = await handlers['settings/import']({ json }, ctx);
    expect(imported.ok && imported.view.settings.defaultCountry).toBe('DE');
  });

  it('rejects malformed imports with a message and changes nothing', async () => {
    await handlers['settings/save']({ settings: { defaultCountry: 'FR' }, secrets: {} }, ctx);
    const cases = [
      '{not json',
      JSON.stringify({ settings: { defaultCountry: 'DE' } }),
      JSON.stringify({ format: EXPORT_FORMAT, settings: 'x' }),
      JSON.stringify({ format: EXPORT_FORMAT, settings: { defaultCountry: 'ZZ', upcall: { baseUrl: 'http://evil.example' } } }),
    ];
    for (const json of cases) {
      const result = await handlers['settings/import']({ json }, ctx);
      expect(result.ok, json).toBe(false);
      if (!result.ok) expect(result.errors.file).toBeTruthy();
    }
    const view = await handlers['settings/get']({}, ctx);
    expect(view.settings.defaultCountry).toBe('FR');
  });
});
