/** The background's answers to the options page: settings, secrets, connection tests, export. */
import { describeFailure, toFailure } from '../errors.ts';
import type { Handlers } from '../messaging.ts';
import type { SecretsPatch, SettingsView } from '../protocol/settings.ts';
import { services } from '../providers/index.ts';
import { getAllSecrets, getMaskedSecrets, updateSecrets } from '../secrets.ts';
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

  async function save(settings: Settings, secrets: SecretsPatch): Promise<SettingsView> {
    await storeSettings(settings);
    const secretsChanged = await updateSecrets(secrets);
    const secretsSaved = SERVICE_IDS.filter((id) => Object.values(secrets[id] ?? {}).some((value) => value !== undefined));
    await events.emitSettingsChanged({ settings, secretsChanged, secretsSaved });
    return view();
  }

  return {
    'settings/get': () => view(),

    'settings/save': async ({ settings, secrets }) => {
      const validated = validateSettings(settings);
      if (!validated.ok) return { ok: false, errors: validated.errors };
      return { ok: true, view: await save(validated.settings, secrets) };
    },

    'service/test': async ({ service, settings, secrets }) => {
      const name = SERVICE_NAMES[service];
      const validated = validateSettings(settings);
      if (!validated.ok) {
        const fields = Object.keys(validated.errors).filter((key) => key.startsWith(`${service}.`));
        if (fields.length > 0) {
          return { ok: false, sentence: `Fix the highlighted ${name} fields first.` };
        }
      }
      const draftSettings = validated.ok ? validated.settings : (await loadSettings()).settings;
      const merged = applySecretsPatch(await getAllSecrets(), secrets);
      try {
        const config = await configFor(service, draftSettings, merged);
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
      return { ok: true, view: await save(validated.settings, {}) };
    },
  };
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
