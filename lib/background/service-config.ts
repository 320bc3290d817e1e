/** Resolves a service's client config from stored settings and secrets (background only). */
import { ServiceError } from '../errors.ts';
import { hasOrigins, originPattern } from '../permissions.ts';
import { services } from '../providers/index.ts';
import { getAllSecrets, getSecretOrigins, originOf, setSecretOrigins } from '../secrets.ts';
import { SECRET_FIELDS, SERVICE_NAMES, type AllSecrets, type ServiceId } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import type { Settings } from '../settings.ts';

type ConfigOf<S extends ServiceId> = (typeof services)[S] extends { resolveConfig(...args: never[]): infer R }
  ? R extends { ok: true; config: infer C }
    ? C
    : never
  : never;

export interface ConfigOptions {
  /**
   * The secrets were typed now, for this base URL (options' Test connection, the voice files):
   * they are not the saved ones, so where the saved ones may go does not apply.
   */
  typedSecrets?: boolean;
}

/**
 * The config a client needs, or a thrown ServiceError ('not-configured' naming what is missing,
 * or a base URL the saved secrets were not saved for; 'permission' when the browser has not
 * granted the service's origin).
 */
export async function configFor<S extends ServiceId>(
  service: S,
  settings?: Settings,
  secrets?: AllSecrets,
  options: ConfigOptions = {},
): Promise<ConfigOf<S>> {
  const resolvedSettings = settings ?? (await loadSettings()).settings;
  const resolvedSecrets = secrets ?? (await getAllSecrets());
  const definition = services[service];
  const resolved = definition.resolveConfig(resolvedSettings, resolvedSecrets);
  const name = SERVICE_NAMES[service];
  if (!resolved.ok) {
    throw new ServiceError({ kind: 'not-configured', service: name, message: `missing ${resolved.missing.join(', ')}` });
  }
  const baseUrl = definition.baseUrl(resolved.config as never);
  if (!options.typedSecrets) await checkSecretOrigin(service, baseUrl);
  const pattern = originPattern(baseUrl);
  if (!pattern || !(await hasOrigins([pattern]))) {
    throw new ServiceError({ kind: 'permission', service: name, host: hostOf(baseUrl) });
  }
  return resolved.config as ConfigOf<S>;
}

/**
 * The saved secrets go only where they were saved to go. Secrets saved before origins were kept
 * are taken to belong where the service points now (the first use records it).
 */
async function checkSecretOrigin(service: ServiceId, baseUrl: string): Promise<void> {
  const target = originOf(baseUrl);
  const origins = await getSecretOrigins();
  const saved = origins[service];
  if (saved === undefined) {
    if (target) await setSecretOrigins({ [service]: target });
    return;
  }
  if (saved === target) return;
  throw new ServiceError({
    kind: 'not-configured',
    service: SERVICE_NAMES[service],
    host: hostOf(baseUrl),
    message: secretOriginSentence(service, saved, target ?? baseUrl),
  });
}

/** "its saved API token was saved for api.upcall.com, not evil.example: …" */
export function secretOriginSentence(service: ServiceId, savedFor: string, target: string): string {
  const noun = SECRET_FIELDS[service].length === 1 ? `saved ${SECRET_FIELDS[service][0]!.label}` : `saved ${SERVICE_NAMES[service]} keys`;
  return `the ${noun} was saved for ${hostOf(savedFor) ?? savedFor}, not ${hostOf(target) ?? target}; save the new address in options and confirm it, or enter the credentials again`;
}

export function isConfigured(service: ServiceId, settings: Settings, secrets: AllSecrets): boolean {
  return services[service].resolveConfig(settings, secrets).ok;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
