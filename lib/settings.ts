/**
 * Settings: one zod schema is the type, the defaults and the validator. Stored in
 * `storage.local` (not secret: content scripts may read it). Secrets live in lib/secrets.ts.
 *
 * Loading never fails: an invalid stored field falls back to its default and is reported in
 * `problems` (as Dark Reader's validateSettings does). Saving is strict and returns field errors
 * keyed by path, for the options page to show next to each field.
 */
import { getCountries, type CountryCode } from 'libphonenumber-js/min';
import { z } from 'zod';

export const SETTINGS_VERSION = 1;
export const SETTINGS_KEY = 'settings';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https everywhere; plain http only to this machine (a local sandbox or proxy). */
export function isAllowedBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const baseUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || isAllowedBaseUrl(v), {
      message: 'Enter a full https:// address (http:// only for localhost), without ?query or #fragment.',
    })
    .transform((v) => v.replace(/\/+$/, ''))
    .default(fallback);

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const timeOfDay = z.string().regex(TIME_OF_DAY, 'Use 24-hour HH:MM, e.g. 09:00.');
/** Ordering only means something once both times are valid (zod runs refinements anyway). */
const bothTimes = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && TIME_OF_DAY.test(a) && TIME_OF_DAY.test(b);
const weekdays = z
  .array(z.number().int().min(0).max(6))
  .max(7)
  .transform((days) => [...new Set(days)].sort());
/** Multisender dials on these days only: none at all could never place a call. */
const activeWeekdays = z
  .array(z.number().int().min(0).max(6))
  .min(1, 'Choose at least one day.')
  .max(7)
  .transform((days) => [...new Set(days)].sort());
const countries = new Set<string>(getCountries());
const dialKey = z.string().regex(/^[0-9]$/, 'Use one key from 0 to 9.');

export const CONTACT_DETAIL_FIELDS = ['first_name', 'last_name', 'full_name', 'company', 'email'] as const;

const multisenderSchema = z
  .object({
    baseUrl: baseUrl(''),
    voiceFileId: z.string().max(100).default(''),
    voiceFileName: z.string().max(200).default(''),
    activeFrom: timeOfDay.default('09:00'),
    activeTo: timeOfDay.default('17:00'),
    activeWeekdays: activeWeekdays.default([1, 2, 3, 4, 5]),
    acceptKey: dialKey.default('5'),
    declineKey: dialKey.default('9'),
    maxRedials: z.number().int().min(0, 'At least 0.').max(10, 'At most 10.').default(3),
    expiryHours: z.number().int().min(1, 'At least 1 hour.').max(24 * 30, 'At most 30 days.').default(24 * 7),
  })
  .superRefine((value, ctx) => {
    if (typeof value.acceptKey === 'string' && value.acceptKey === value.declineKey) {
      ctx.addIssue({ code: 'custom', path: ['declineKey'], message: 'The decline key must differ from the accept key.' });
    }
    if (bothTimes(value.activeFrom, value.activeTo) && value.activeFrom >= value.activeTo) {
      ctx.addIssue({ code: 'custom', path: ['activeTo'], message: 'The end of the active hours must be after the start.' });
    }
  });

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  defaultCountry: z
    .string()
    .refine((c) => countries.has(c), 'Choose a country from the list.')
    .default('US')
    .transform((c) => c as CountryCode),
  upcall: z.object({ baseUrl: baseUrl('https://api.upcall.com/api/v1') }).prefault({}),
  sipcaller: z
    .object({
      baseUrl: baseUrl('https://api.sipcaller.com/v1'),
      accountId: z.string().trim().max(100).regex(/^[\w-]*$/, 'Letters, digits, - and _ only.').default(''),
      /** Which contact details fill the campaign's variables, in order (varValues). */
      varOrder: z.array(z.enum(CONTACT_DETAIL_FIELDS)).max(10).default(['first_name', 'company']),
    })
    .prefault({}),
  callemall: z.object({ baseUrl: baseUrl('https://rest.call-em-all.com/v1') }).prefault({}),
  multisender: multisenderSchema.prefault({}),
  crm: z
    .object({
      baseUrl: baseUrl('https://app.onepagecrm.com/api/v3'),
      userId: z.string().trim().max(100).regex(/^[\w-]*$/, 'Letters, digits, - and _ only.').default(''),
      /** The CRM's contact page; `{id}` marks the contact ID, `*` anything. */
      contactPagePattern: z
        .string()
        .trim()
        .max(500)
        .refine((p) => p === '' || p.includes('{id}'), 'The pattern must contain {id} where the contact ID is.')
        .default('https://app.onepagecrm.com/contacts/{id}'),
    })
    .prefault({}),
  callingHours: z
    .object({
      start: timeOfDay.default('09:00'),
      end: timeOfDay.default('20:00'),
      weekdays: weekdays.default([1, 2, 3, 4, 5]),
    })
    .superRefine((value, ctx) => {
      if (bothTimes(value.start, value.end) && value.start >= value.end) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end of calling hours must be after the start.' });
      }
    })
    .prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** A stored shape older than SETTINGS_VERSION is brought forward one version at a time. */
export interface SettingsMigration {
  /** The version this migration produces. */
  to: number;
  migrate(old: Record<string, unknown>): Record<string, unknown>;
}

/** Ordered; empty while the first stored version is still current. */
export const MIGRATIONS: readonly SettingsMigration[] = [];

export function migrateSettings(
  raw: Record<string, unknown>,
  migrations: readonly SettingsMigration[] = MIGRATIONS,
): Record<string, unknown> {
  let current = raw;
  let version = typeof raw.version === 'number' ? raw.version : 0;
  for (const step of migrations) {
    if (step.to <= version) continue;
    current = { ...step.migrate(current), version: step.to };
    version = step.to;
  }
  return current;
}

export interface LoadedSettings {
  settings: Settings;
  /** One line per stored field that was invalid and replaced by its default. */
  problems: string[];
}

/** Never throws: each invalid field falls back to its default and is reported. */
export function parseSettings(raw: unknown, migrations: readonly SettingsMigration[] = MIGRATIONS): LoadedSettings {
  const problems: string[] = [];
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    return { settings: DEFAULT_SETTINGS, problems: ['settings: not an object; using defaults'] };
  }
  let candidate: Record<string, unknown> = raw ? migrateSettings(structuredClone(raw as Record<string, unknown>), migrations) : {};
  if (typeof candidate.version === 'number' && candidate.version > SETTINGS_VERSION) {
    problems.push(`settings: saved by a newer version (${candidate.version}); unknown fields ignored`);
  }
  candidate = { ...candidate, version: SETTINGS_VERSION };
  for (let round = 0; round < 20; round += 1) {
    const result = settingsSchema.safeParse(candidate);
    if (result.success) return { settings: result.data, problems };
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      problems.push(`${path.join('.') || 'settings'}: ${issue.message.replace(/\.$/, '')}; using the default`);
      candidate = replaceWithDefault(candidate, path);
    }
  }
  return { settings: DEFAULT_SETTINGS, problems };
}

/** Replaces the value at `path` with the default at the deepest path the defaults have. */
function replaceWithDefault(root: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let defaults: unknown = DEFAULT_SETTINGS;
  let depth = 0;
  while (depth < path.length && isRecord(defaults) && path[depth]! in defaults) {
    defaults = defaults[path[depth]!];
    depth += 1;
  }
  const target = path.slice(0, Math.max(depth, 1));
  const copy = structuredClone(root);
  let node: Record<string, unknown> = copy;
  for (const key of target.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = target[target.length - 1]!;
  const fallback = depth === target.length ? defaults : undefined;
  if (fallback === undefined) delete node[last];
  else node[last] = structuredClone(fallback);
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type FieldErrors = Record<string, string>;

/** Strict validation for saving: every problem is returned, keyed by dotted path. */
export function validateSettings(input: unknown): { ok: true; settings: Settings } | { ok: false; errors: FieldErrors } {
  const result = settingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || 'settings';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
