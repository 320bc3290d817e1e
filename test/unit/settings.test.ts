import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  isAllowedBaseUrl,
  migrateSettings,
  parseSettings,
  validateSettings,
  type SettingsMigration,
} from '../../lib/settings.ts';

describe('settings schema', () => {
  it('gives every default from an empty store', () => {
    const { settings, problems } = parseSettings(undefined);
    expect(problems).toEqual([]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.defaultCountry).toBe('US');
    expect(settings.callingHours).toEqual({ start: '09:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] });
    expect(settings.upcall.baseUrl).toBe('https://api.upcall.com/api/v1');
    expect(settings.multisender.baseUrl).toBe('');
  });

  it('falls back field by field and reports each bad value', () => {
    const { settings, problems } = parseSettings({
      defaultCountry: 'XX',
      upcall: { baseUrl: 'ftp://files.example' },
      sipcaller: { accountId: 'acc-1', baseUrl: 'https://sip.example/v1' },
      multisender: { acceptKey: '5', declineKey: '5', maxRedials: 'three' },
      callingHours: 7,
    });
    expect(settings.defaultCountry).toBe('US');
    expect(settings.upcall.baseUrl).toBe(DEFAULT_SETTINGS.upcall.baseUrl);
    // Good neighbours of bad values are kept.
    expect(settings.sipcaller).toMatchObject({ accountId: 'acc-1', baseUrl: 'https://sip.example/v1' });
    expect(settings.multisender.maxRedials).toBe(3);
    expect(settings.multisender.acceptKey).not.toBe(settings.multisender.declineKey);
    expect(settings.callingHours).toEqual(DEFAULT_SETTINGS.callingHours);
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['defaultCountry', 'upcall.baseUrl', 'multisender.maxRedials', 'callingHours', 'multisender.declineKey']),
    );
  });

  it('never throws on garbage', () => {
    for (const raw of [null, 42, 'text', [], { version: 'x' }, { crm: [] }, { __proto__: { polluted: true } }]) {
      const { settings } = parseSettings(raw);
      expect(settings.version).toBe(1);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('normalises base URLs and rejects unsafe ones', () => {
    expect(validateSettings({ crm: { baseUrl: 'https://crm.example/api/v3///' } })).toMatchObject({
      ok: true,
      settings: { crm: { baseUrl: 'https://crm.example/api/v3' } },
    });
    expect(isAllowedBaseUrl('http://127.0.0.1:5178/upcall')).toBe(true);
    expect(isAllowedBaseUrl('http://crm.example/api')).toBe(false);
    expect(isAllowedBaseUrl('https://user:pw@crm.example/api')).toBe(false);
    expect(isAllowedBaseUrl('https://crm.example/api?token=1')).toBe(false);
    expect(isAllowedBaseUrl('javascript:alert(1)')).toBe(false);
  });

  it('returns every problem keyed by field for the options page', () => {
    const result = validateSettings({
      upcall: { baseUrl: 'nope' },
      crm: { contactPagePattern: 'https://crm.example/contacts/' },
      multisender: { activeFrom: '18:00', activeTo: '09:00', acceptKey: '10' },
      callingHours: { start: '25:00' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ['callingHours.start', 'crm.contactPagePattern', 'multisender.acceptKey', 'multisender.activeTo', 'upcall.baseUrl'].sort(),
    );
    expect(result.errors['crm.contactPagePattern']).toContain('{id}');
  });
});

describe('migrations', () => {
  const migrations: SettingsMigration[] = [
    { to: 1, migrate: (old) => ({ ...old, defaultCountry: String(old.country ?? 'US').toUpperCase() }) },
  ];

  it('brings an old shape forward in order and stamps the version', () => {
    expect(migrateSettings({ country: 'gb' }, migrations)).toEqual({ country: 'gb', defaultCountry: 'GB', version: 1 });
    const { settings } = parseSettings({ country: 'de' }, migrations);
    expect(settings.defaultCountry).toBe('DE');
  });

  it('skips migrations already applied', () => {
    expect(migrateSettings({ version: 1, defaultCountry: 'FR' }, migrations)).toEqual({ version: 1, defaultCountry: 'FR' });
  });

  it('reports settings saved by a newer version', () => {
    const { problems } = parseSettings({ version: 9 });
    expect(problems[0]).toContain('newer version');
  });
});
