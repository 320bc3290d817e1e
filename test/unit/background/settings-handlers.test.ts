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

    // Back to the default addresses: the saved secrets would go to other hosts, so it asks first.
    const moved = await handlers['settings/save']({ settings: { defaultCountry: 'FR' }, secrets: {} }, ctx);
    expect(moved).toMatchObject({ ok: false, confirm: expect.arrayContaining([{ service: 'upcall', from: expect.stringMatching(/^127\.0\.0\.1:\d+$/), to: 'api.upcall.com' }]) });
    const imported = await handlers['settings/import']({ json }, ctx);
    expect(imported.ok && imported.view.settings.defaultCountry).toBe('DE');
  });

  it('never sends saved secrets to a changed host without the user confirming it names the host', async () => {
    const settings = sandboxSettings(sandbox.current.url);
    await handlers['settings/save']({ settings, secrets: sandboxSecrets() }, ctx);
    const evil = { ...settings, upcall: { ...settings.upcall, baseUrl: 'https://evil.example/api/v1' } };

    // Saving the new address: refused until confirmed, with both hosts named next to the field.
    const asked = await handlers['settings/save']({ settings: evil, secrets: {} }, ctx);
    expect(asked).toMatchObject({ ok: false, confirm: [{ service: 'upcall', to: 'evil.example' }] });
    if (!asked.ok) expect(asked.errors['upcall.baseUrl']).toMatch(/^Send your saved Upcall API token to evil\.example\? It was saved for 127\.0\.0\.1:\d+\./);
    expect((await handlers['settings/get']({}, ctx)).settings.upcall.baseUrl).toBe(settings.upcall.baseUrl);

    // Testing the typed address with the saved token: asks too, and sends nothing.
    sandbox.current.requests.length = 0;
    const test = await handlers['service/test']({ service: 'upcall', settings: evil, secrets: {} }, ctx);
    expect(test).toMatchObject({ ok: false, confirm: { service: 'upcall', to: 'evil.example' } });
    expect(sandbox.current.requests).toEqual([]);

    // A token typed along with the address is for that address: no question.
    const typed = await handlers['settings/save']({ settings: evil, secrets: { upcall: { token: 'new-token' } } }, ctx);
    expect(typed.ok).toBe(true);

    // The saved token of another service, pointed elsewhere by a typo, is refused where it would be sent.
    await handlers['settings/save']({ settings, secrets: sandboxSecrets() }, ctx);
    const typo = { ...settings, multisender: { ...settings.multisender, baseUrl: 'https://multisendr.example/v1' } };
    const confirmed = await handlers['settings/save']({ settings: typo, secrets: {}, confirmSecretOrigins: ['multisender'] }, ctx);
    expect(confirmed.ok).toBe(true);
    const { configFor } = await import('../../../lib/background/service-config.ts');
    await expect(configFor('multisender')).resolves.toMatchObject({ baseUrl: 'https://multisendr.example/v1' });
  });

  it('an import that points a service elsewhere removes its saved secrets and says so', async () => {
    const settings = sandboxSettings(sandbox.current.url);
    await handlers['settings/save']({ settings, secrets: sandboxSecrets() }, ctx);
    const file = JSON.stringify({
      format: EXPORT_FORMAT,
      settings: { ...settings, crm: { ...settings.crm, baseUrl: 'https://crm.attacker.example/api/v3' } },
    });
    const imported = await handlers['settings/import']({ json: file }, ctx);
    expect(imported).toMatchObject({
      ok: true,
      notices: [expect.stringMatching(/^The file points CRM at crm\.attacker\.example: its saved credentials \(for 127\.0\.0\.1:\d+\) were removed/)],
    });
    expect(await getSecrets('crm')).toEqual({ apiKey: '' });
    expect(await getSecrets('upcall')).toEqual({ token: SANDBOX_CREDENTIALS.upcall.token });
  });

  it('refuses a secret a request header cannot carry, naming the position', async () => {
    const settings = sandboxSettings(sandbox.current.url);
    const pasted = await handlers['settings/save']({ settings, secrets: { upcall: { token: 'abc\u200bdef' } } }, ctx);
    expect(pasted).toEqual({
      ok: false,
      errors: { 'upcall.token': 'The Upcall API token has a character a request header cannot carry at position 4 (U+200B). Paste it again without it.' },
    });
    expect(await getSecrets('upcall')).toEqual({ token: '' });
    const tested = await handlers['service/test']({ service: 'crm', settings, secrets: { crm: { apiKey: 'key with space' } } }, ctx);
    expect(tested).toEqual({ ok: false, sentence: 'The CRM API key has a space at position 4 (U+0020). Paste it again without it.' });
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
