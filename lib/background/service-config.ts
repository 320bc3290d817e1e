/** Resolves a service's client config from stored settings and secrets (background only). */
import { ServiceError } from '../errors.ts';
import { hasOrigins, originPattern } from '../permissions.ts';
import { services } from '../providers/index.ts';
import { getAllSecrets } from '../secrets.ts';
import { SERVICE_NAMES, type AllSecrets, type ServiceId } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import type { Settings } from '../settings.ts';

type ConfigOf<S extends ServiceId> = (typeof services)[S] extends { resolveConfig(...args: never[]): infer R }
  ? R extends { ok: true; config: infer C }
    ? C
    : never
  : never;

/**
 * The config a client needs, or a thrown ServiceError ('not-configured' naming what is missing,
 * 'permission' when the browser has not granted the service's origin).
 */
export async function configFor<S extends ServiceId>(
  service: S,
  settings?: Settings,
  secrets?: AllSecrets,
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
  const pattern = originPattern(baseUrl);
  if (!pattern || !(await hasOrigins([pattern]))) {
    throw new ServiceError({ kind: 'permission', service: name, host: hostOf(baseUrl) });
  }
  return resolved.config as ConfigOf<S>;
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
