/**
 * Secrets (API tokens, keys) live in the extension's IndexedDB, which content scripts and web
 * pages cannot reach. Only the background imports this file (an eslint rule keeps it so); pages
 * see masked values only.
 */
import { openDatabase } from './db.ts';
import { SECRET_FIELDS, SERVICE_IDS, type AllSecrets, type ServiceId, type ServiceSecrets } from './services.ts';

export async function getSecrets<S extends ServiceId>(service: S): Promise<ServiceSecrets<S>> {
  const db = await openDatabase();
  const stored = (await db.get('secrets', service)) ?? {};
  return normalise(service, stored);
}

export async function getAllSecrets(): Promise<AllSecrets> {
  const db = await openDatabase();
  const tx = db.transaction('secrets', 'readonly');
  const values = await Promise.all(SERVICE_IDS.map((id) => tx.store.get(id)));
  await tx.done;
  return Object.fromEntries(SERVICE_IDS.map((id, i) => [id, normalise(id, values[i] ?? {})])) as AllSecrets;
}

/**
 * Applies changes: a string replaces a field, `null` clears it, a missing key keeps it.
 * Returns the services whose secrets actually changed.
 */
export async function updateSecrets(
  changes: Partial<Record<ServiceId, Record<string, string | null | undefined>>>,
): Promise<ServiceId[]> {
  const db = await openDatabase();
  const tx = db.transaction('secrets', 'readwrite', { durability: 'strict' });
  const changed: ServiceId[] = [];
  for (const service of SERVICE_IDS) {
    const patch = changes[service];
    if (!patch) continue;
    const current = normalise(service, (await tx.store.get(service)) ?? {}) as Record<string, string>;
    const next = { ...current };
    for (const { key } of SECRET_FIELDS[service]) {
      const value = patch[key];
      if (value === undefined) continue;
      next[key] = value === null ? '' : value.trim();
    }
    if (SECRET_FIELDS[service].some(({ key }) => next[key] !== current[key])) {
      changed.push(service);
      await tx.store.put(next, service);
    }
  }
  await tx.done;
  return changed;
}

/**
 * Where each service's secrets were saved to go: the origin of its base URL when they were typed
 * (or when the user confirmed sending them to a new one). A secret is never sent elsewhere: a
 * base URL changed by an import, a typo or a typed test is refused until the user confirms it
 * names the host (lib/background/service-config.ts, settings-handlers.ts).
 */
const ORIGINS_KEY = '@origins';

export type SecretOrigins = Partial<Record<ServiceId, string>>;

export async function getSecretOrigins(): Promise<SecretOrigins> {
  const db = await openDatabase();
  return ((await db.get('secrets', ORIGINS_KEY)) as SecretOrigins | undefined) ?? {};
}

/** Records (or, with undefined, forgets) where services' secrets go. */
export async function setSecretOrigins(changes: SecretOrigins): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('secrets', 'readwrite', { durability: 'strict' });
  const current = ((await tx.store.get(ORIGINS_KEY)) as SecretOrigins | undefined) ?? {};
  const next: SecretOrigins = { ...current };
  for (const [service, origin] of Object.entries(changes) as [ServiceId, string | undefined][]) {
    if (origin === undefined) delete next[service];
    else next[service] = origin;
  }
  await tx.store.put(next as unknown as Record<string, string>, ORIGINS_KEY);
  await tx.done;
}

/** "https://api.upcall.com/api/v1" → "https://api.upcall.com" (undefined when not a URL). */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return undefined;
  }
}

/** What a page may see: whether each field is set, and its last four characters. */
export function maskSecret(value: string): string {
  if (!value) return '';
  return value.length <= 8 ? '••••' : `••••${value.slice(-4)}`;
}

export async function getMaskedSecrets(): Promise<Record<ServiceId, Record<string, string>>> {
  const all = await getAllSecrets();
  return Object.fromEntries(
    SERVICE_IDS.map((id) => [
      id,
      Object.fromEntries(Object.entries(all[id] as Record<string, string>).map(([k, v]) => [k, maskSecret(v)])),
    ]),
  ) as Record<ServiceId, Record<string, string>>;
}

function normalise<S extends ServiceId>(service: S, stored: Record<string, string>): ServiceSecrets<S> {
  return Object.fromEntries(
    SECRET_FIELDS[service].map(({ key }) => [key, typeof stored[key] === 'string' ? stored[key] : '']),
  ) as ServiceSecrets<S>;
}
