/** The background's answers to the options page: settings, secrets, connection tests, export. */
import { describeFailure, toFailure } from '../errors.ts';
import { describeUnsafeSecret } from '../header-safe.ts';
import type { Handlers } from '../messaging.ts';
import type { SecretMove, SecretsPatch, SettingsView } from '../protocol/settings.ts';
import { services } from '../providers/index.ts';
import { getAllSecrets, getMaskedSecrets, getSecretOrigins, originOf, setSecretOrigins, updateSecrets } from '../secrets.ts';
import { SECRET_FIELDS, SERVICE_IDS, SERVICE_NAMES, type AllSecrets, type ServiceId } from '../services.ts';
import { loadSettings, storeSettings } from '../settings-storage.ts';
import { validateSettings, type Settings } from '../settings.ts';
import type { BackgroundEvents } from './events.ts';
import { configFor, isConfigured } from './service-config.ts';

export const EXPORT_FORMAT = 'crm-call-companion/settings';

type SettingsHandlers = Pick<
  Handlers,
  'settings/get' | 'settings/save' | 'service/test' | 'settings/export' | 'settings/import'
>;

export function createSettingsHandlers(events: BackgroundEvents): SettingsHandlers {
  async function view(): Promise<SettingsView> {
    const [{ settings, problems }, secrets, masked] = await Promise.all([
      loadSettings(),
      getAllSecrets(),
      getMaskedSecrets(),
    ]);
    const configured = Object.fromEntries(
      SERVICE_IDS.map((id) => [id, isConfigured(id, settings, secrets)]),
    ) as Record<ServiceId, boolean>;
    return { settings, problems, secrets: masked, configured };
  }

  /** Stores settings and secrets, and records where each service's secrets may now go. */
  async function save(settings: Settings, secrets: SecretsPatch, confirmedMoves: readonly ServiceId[] = []): Promise<SettingsView> {
    await storeSettings(settings);
    const secretsChanged = await updateSecrets(secrets);
    const stored = await getAllSecrets();
    const origins: Partial<Record<ServiceId, string | undefined>> = {};
    for (const service of SERVICE_IDS) {
      const target = originOf(baseUrlOf(settings, service));
      if (!hasSecrets(stored, service)) origins[service] = undefined;
      else if (typedAny(secrets, service) || confirmedMoves.includes(service)) origins[service] = target;
    }
    await setSecretOrigins(origins);
    const secretsSaved = SERVICE_IDS.filter((id) => Object.values(secrets[id] ?? {}).some((value) => value !== undefined));
    await events.emitSettingsChanged({ settings, secretsChanged, secretsSaved });
    return view();
  }

  return {
    'settings/get': () => view(),

    'settings/save': async ({ settings, secrets, confirmSecretOrigins = [] }) => {
      const validated = validateSettings(settings);
      const secretErrors = unsafeSecrets(secrets);
      if (!validated.ok || Object.keys(secretErrors).length > 0) {
        return { ok: false, errors: { ...(validated.ok ? {} : validated.errors), ...secretErrors } };
      }
      // Saved secrets never follow a changed base URL to another host without the user saying so.
      const moves = (await secretMoves(validated.settings, secrets)).filter((m) => !confirmSecretOrigins.includes(m.service));
      if (moves.length > 0) {
        return {
          ok: false,
          errors: Object.fromEntries(moves.map((m) => [`${m.service}.baseUrl`, moveSentence(m)])),
          confirm: moves,
        };
      }
      return { ok: true, view: await save(validated.settings, secrets, confirmSecretOrigins) };
    },

    'service/test': async ({ service, settings, secrets, confirmSecretOrigins = [] }) => {
      const name = SERVICE_NAMES[service];
      const validated = validateSettings(settings);
      if (!validated.ok) {
        const fields = Object.keys(validated.errors).filter((key) => key.startsWith(`${service}.`));
        if (fields.length > 0) {
          return { ok: false, sentence: `Fix the highlighted ${name} fields first.` };
        }
      }
      const secretErrors = unsafeSecrets({ [service]: secrets[service] });
      const firstSecretError = Object.values(secretErrors)[0];
      if (firstSecretError) return { ok: false, sentence: firstSecretError };
      const draftSettings = validated.ok ? validated.settings : (await loadSettings()).settings;
      const merged = applySecretsPatch(await getAllSecrets(), secrets);
      const move = (await secretMoves(draftSettings, secrets)).find((m) => m.service === service);
      if (move && !confirmSecretOrigins.includes(service)) {
        return { ok: false, sentence: moveSentence(move), confirm: move };
      }
      try {
        // Typed (or just confirmed) secrets go to the typed address for this test.
        const typedSecrets = typedAll(secrets, merged, service) || move !== undefined;
        const config = await configFor(service, draftSettings, merged, { typedSecrets });
        const sentence = await services[service].testConnection(config as never, AbortSignal.timeout(30_000));
        // Working credentials: what waited for them goes now.
        await events.emitCredentialsVerified(service);
        return { ok: true, sentence };
      } catch (error) {
        return { ok: false, sentence: describeFailure(toFailure(error, name)) };
      }
    },

    'settings/export': async () => {
      const { settings } = await loadSettings();
      // Secrets are never exported: a settings file travels by e-mail and chat.
      const file = { format: EXPORT_FORMAT, exportedAt: new Date().toISOString(), settings };
      return { json: JSON.stringify(file, null, 2) };
    },

    'settings/import': async ({ json }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        return { ok: false, errors: { file: 'This file is not valid JSON, so it is not a settings export.' } };
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        (parsed as { format?: unknown }).format !== EXPORT_FORMAT ||
        typeof (parsed as { settings?: unknown }).settings !== 'object'
      ) {
        return { ok: false, errors: { file: 'This is not a settings file exported by CRM Call Companion.' } };
      }
      const validated = validateSettings((parsed as { settings: unknown }).settings);
      if (!validated.ok) {
        const count = Object.keys(validated.errors).length;
        return {
          ok: false,
          errors: { file: `The file has ${count} invalid value${count === 1 ? '' : 's'}; nothing was changed.`, ...validated.errors },
        };
      }
      // A file that points a service elsewhere does not take its saved secrets there: they are
      // removed, and the user enters them again for the new address.
      const moves = await secretMoves(validated.settings, {});
      const clearing: SecretsPatch = Object.fromEntries(
        moves.map((m) => [m.service, Object.fromEntries(SECRET_FIELDS[m.service].map(({ key }) => [key, null]))]),
      );
      const notices = moves.map(
        (m) =>
          `The file points ${SERVICE_NAMES[m.service]} at ${m.to}: its saved credentials (for ${m.from}) were removed, so enter them again if ${m.to} is right.`,
      );
      return { ok: true, view: await save(validated.settings, clearing), ...(notices.length > 0 ? { notices } : {}) };
    },
  };
}

function baseUrlOf(settings: Settings, service: ServiceId): string {
  const value = (settings[service] as { baseUrl?: unknown }).baseUrl;
  return typeof value === 'string' ? value.trim() : '';
}

function hasSecrets(secrets: AllSecrets, service: ServiceId): boolean {
  return Object.values(secrets[service] as Record<string, string>).some((value) => value !== '');
}

function typedAny(patch: SecretsPatch, service: ServiceId): boolean {
  return Object.values(patch[service] ?? {}).some((value) => typeof value === 'string' && value.trim() !== '');
}

/** Every secret the service will have was typed now (none of the saved ones goes along). */
function typedAll(patch: SecretsPatch, merged: AllSecrets, service: ServiceId): boolean {
  const typed = patch[service] ?? {};
  return SECRET_FIELDS[service].every(({ key }) => {
    const value = (merged[service] as Record<string, string>)[key] ?? '';
    return value === '' || (typeof typed[key] === 'string' && typed[key]!.trim() !== '');
  });
}

/**
 * Services whose saved secrets (those the patch keeps) would go to another host than the one
 * they were saved for, with `settings` and `patch` applied. Secrets saved before origins were
 * kept belong to the host the stored settings name.
 */
async function secretMoves(settings: Settings, patch: SecretsPatch): Promise<SecretMove[]> {
  const [stored, origins, current] = await Promise.all([getAllSecrets(), getSecretOrigins(), loadSettings()]);
  const merged = applySecretsPatch(stored, patch);
  const moves: SecretMove[] = [];
  for (const service of SERVICE_IDS) {
    if (!hasSecrets(merged, service) || typedAll(patch, merged, service)) continue;
    const savedFor = origins[service] ?? originOf(baseUrlOf(current.settings, service));
    const target = originOf(baseUrlOf(settings, service));
    if (!savedFor || !target || savedFor === target) continue;
    moves.push({ service, from: new URL(savedFor).host, to: new URL(target).host });
  }
  return moves;
}

/** "Send your saved Upcall API token to evil.example? It was saved for api.upcall.com." */
export function moveSentence(move: SecretMove): string {
  const fields = SECRET_FIELDS[move.service];
  const what = fields.length === 1 ? `saved ${fields[0]!.label}` : `saved ${SERVICE_NAMES[move.service]} keys`;
  return `Send your ${what} to ${move.to}? It was saved for ${move.from}. Confirm only if ${move.to} is your ${SERVICE_NAMES[move.service]}; otherwise correct the base URL.`;
}

/** A sentence per typed secret a request header could not carry, keyed as the form's fields. */
export function unsafeSecrets(patch: SecretsPatch): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const service of SERVICE_IDS) {
    for (const { key, label } of SECRET_FIELDS[service]) {
      const value = patch[service]?.[key];
      if (typeof value !== 'string') continue;
      const problem = describeUnsafeSecret(label, value.trim());
      if (problem) errors[`${service}.${key}`] = problem;
    }
  }
  return errors;
}

/** Draft secrets typed in the form, over the stored ones (null clears, absent keeps). */
export function applySecretsPatch(stored: AllSecrets, patch: SecretsPatch): AllSecrets {
  const next = structuredClone(stored) as Record<ServiceId, Record<string, string>>;
  for (const service of SERVICE_IDS) {
    const changes = patch[service];
    if (!changes) continue;
    for (const { key } of SECRET_FIELDS[service]) {
      const value = changes[key];
      if (value === undefined) continue;
      next[service][key] = value === null ? '' : value.trim();
    }
  }
  return next as AllSecrets;
}
