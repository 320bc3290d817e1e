/**
 * Keeps Call-Em-All's opt-outs (`GET /optouts`, NOTES.md "Call-Em-All") in IndexedDB so screening
 * needs no request. A full read once a day (so numbers opted back in disappear), and in between
 * only what changed since the last sync (`date-from`, a day early: the feed's dates are in the
 * account's time zone, ours in UTC). When Call-Em-All is no longer configured the last list is
 * kept: a do-not-call list must not silently vanish. Background only.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { openDatabase } from '../db.ts';
import { toFailure, type Failure } from '../errors.ts';
import { listOptOuts, type CallEmAllConfig } from '../providers/callemall.ts';
import { SERVICE_NAMES } from '../services.ts';
import { applyCallEmAllOptOuts } from './store.ts';

export const OPT_OUT_SYNC_KEY = 'dnc/callemall-sync';
export const FULL_SYNC_EVERY_MS = 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface OptOutSyncState {
  /** Opt-out numbers held now. */
  count: number;
  lastSyncAt?: number;
  lastFullAt?: number;
  /** The last sync's failure, until one succeeds. */
  error?: Failure;
  errorAt?: number;
}

/**
 * The E.164 of an opt-out's `PhoneNumber`. Call-Em-All stores 10-digit North American numbers
 * ("9725552000"); anything else is read with libphonenumber-js as a US number would be.
 */
export function optOutE164(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, '');
  if (/^[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{2}[2-9]\d{6}$/.test(digits)) return `+${digits}`;
  const parsed = parsePhoneNumberFromString(phone, 'US');
  return parsed?.isValid() ? parsed.number : undefined;
}

export async function readOptOutSyncState(): Promise<OptOutSyncState | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', OPT_OUT_SYNC_KEY)) as OptOutSyncState | undefined;
}

async function writeState(state: OptOutSyncState): Promise<void> {
  const db = await openDatabase();
  await db.put('meta', state, OPT_OUT_SYNC_KEY);
}

/**
 * Syncs the opt-outs. Never throws for a service failure: the previous list stays in force and
 * the failure is kept in the sync state (options shows it).
 */
export async function syncCallEmAllOptOuts(
  config: CallEmAllConfig,
  options: { now: number; full?: boolean; signal?: AbortSignal },
): Promise<OptOutSyncState> {
  const previous = await readOptOutSyncState();
  const full =
    options.full === true ||
    previous?.lastFullAt === undefined ||
    previous.lastSyncAt === undefined ||
    options.now - previous.lastFullAt >= FULL_SYNC_EVERY_MS;
  const dateFrom = full ? undefined : new Date(previous!.lastSyncAt! - DAY_MS).toISOString().slice(0, 10);
  try {
    const items = await listOptOuts(config, dateFrom ? { dateFrom } : {}, options.signal);
    const upsert: { e164: string; sourceDate?: string; note?: string }[] = [];
    const remove: string[] = [];
    for (const item of items) {
      const e164 = optOutE164(item.PhoneNumber);
      if (!e164) continue;
      if (item.DoNotCall)
        upsert.push({ e164, sourceDate: item.OptOutDate ?? undefined, note: item.Notes ?? undefined });
      else remove.push(e164);
    }
    const count = await applyCallEmAllOptOuts({ replace: full, upsert, remove }, options.now);
    const state: OptOutSyncState = {
      count,
      lastSyncAt: options.now,
      lastFullAt: full ? options.now : previous?.lastFullAt,
    };
    await writeState(state);
    return state;
  } catch (error) {
    const failure = toFailure(error, SERVICE_NAMES.callemall);
    const state: OptOutSyncState = { ...(previous ?? { count: 0 }), error: failure, errorAt: options.now };
    await writeState(state);
    return state;
  }
}
