/** Messages of the options page: settings, secrets, connection tests, export and import. */
import { z } from 'zod';
import { defineMessage } from './define.ts';
import type { FieldErrors, Settings } from '../settings.ts';
import { SECRET_FIELDS, SERVICE_IDS, type ServiceId } from '../services.ts';

const secretValue = z.string().max(4096).nullable();

/** Per service, the secret fields to change: a string replaces, null clears, absent keeps. */
export const secretsPatchSchema = z
  .object(
    Object.fromEntries(
      SERVICE_IDS.map((id) => [
        id,
        z
          .object(Object.fromEntries(SECRET_FIELDS[id].map(({ key }) => [key, secretValue.optional()])))
          .strict()
          .optional(),
      ]),
    ),
  )
  .strict() as z.ZodType<SecretsPatch>;

export type SecretsPatch = Partial<Record<ServiceId, Record<string, string | null | undefined>>>;

/** What an extension page may know about settings: never a secret, only masks. */
export interface SettingsView {
  settings: Settings;
  /** Stored fields that were invalid and fell back to their defaults. */
  problems: string[];
  /** Per service and secret field: '' when unset, else a mask like "••••1a2b". */
  secrets: Record<ServiceId, Record<string, string>>;
  /** Whether each service has everything it needs to be called. */
  configured: Record<ServiceId, boolean>;
}

/** A service whose saved secrets would go to another host than the one they were saved for. */
export interface SecretMove {
  service: ServiceId;
  /** The host they were saved for. */
  from: string;
  /** The host the new base URL names. */
  to: string;
}

export type SaveResult =
  | { ok: true; view: SettingsView; notices?: string[] }
  | { ok: false; errors: FieldErrors; confirm?: SecretMove[] };

export interface ConnectionTestResult {
  ok: boolean;
  sentence: string;
  /** The test would send saved secrets to a new host: ask, then test again with it confirmed. */
  confirm?: SecretMove;
}

const confirmed = z.array(z.enum(SERVICE_IDS)).max(SERVICE_IDS.length).optional();

const MAX_IMPORT_CHARS = 100_000;

export const settingsMessages = {
  'settings/get': defineMessage<SettingsView>()({ request: z.object({}).strict(), senders: ['extension'] }),
  /** `confirmSecretOrigins`: services whose saved secrets the user agreed to send to the new host. */
  'settings/save': defineMessage<SaveResult>()({
    request: z
      .object({ settings: z.unknown(), secrets: secretsPatchSchema, confirmSecretOrigins: confirmed })
      .strict(),
    senders: ['extension'],
  }),
  /** Tests a service with the values typed in the form (saved secrets fill the blanks). */
  'service/test': defineMessage<ConnectionTestResult>()({
    request: z
      .object({
        service: z.enum(SERVICE_IDS),
        settings: z.unknown(),
        secrets: secretsPatchSchema,
        confirmSecretOrigins: confirmed,
      })
      .strict(),
    senders: ['extension'],
  }),
  'settings/export': defineMessage<{ json: string }>()({ request: z.object({}).strict(), senders: ['extension'] }),
  'settings/import': defineMessage<SaveResult>()({
    request: z.object({ json: z.string().max(MAX_IMPORT_CHARS) }).strict(),
    senders: ['extension'],
  }),
};
