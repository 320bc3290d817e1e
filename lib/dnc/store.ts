/**
 * The do-not-call numbers the extension knows, in IndexedDB's `doNotCall` store (lib/db.ts), one
 * record per number and source: Call-Em-All opt-outs (synced, ./optout-sync.ts), numbers Upcall
 * answered with status `dnc`, and the user's own list (options). Background only.
 */
import { openDatabase, type CompanionDB } from '../db.ts';

export const DO_NOT_CALL_SOURCES = ['callemall-optout', 'upcall-dnc', 'local'] as const;
export type DoNotCallSource = (typeof DO_NOT_CALL_SOURCES)[number];

export interface DoNotCallRecord {
  /** `${source}|${e164}`: one record per number and source. */
  key: string;
  /** E.164 without extension: do-not-call is about the line. */
  e164: string;
  source: DoNotCallSource;
  /** When this browser learnt it (epoch ms). */
  addedAt: number;
  /** The service's date for it, as the service wrote it (Call-Em-All `OptOutDate`). */
  sourceDate?: string;
  /** The user's note (local list), or the campaign it was seen in (Upcall). */
  note?: string;
  campaignId?: string;
}

type StoreRecord = CompanionDB['doNotCall']['value'];

const toStore = (record: DoNotCallRecord): StoreRecord => record as unknown as StoreRecord;

export function doNotCallKey(source: DoNotCallSource, e164: string): string {
  return `${source}|${e164}`;
}

/** Every record for a number, any source. */
export async function recordsForNumber(e164: string): Promise<DoNotCallRecord[]> {
  const db = await openDatabase();
  return (await db.getAllFromIndex('doNotCall', 'by-number', e164)) as unknown as DoNotCallRecord[];
}

/** Every record, grouped by number: for screening many numbers at once (bulk adds). */
export async function allRecordsByNumber(): Promise<Map<string, DoNotCallRecord[]>> {
  const db = await openDatabase();
  const all = (await db.getAll('doNotCall')) as unknown as DoNotCallRecord[];
  const byNumber = new Map<string, DoNotCallRecord[]>();
  for (const record of all) {
    const list = byNumber.get(record.e164);
    if (list) list.push(record);
    else byNumber.set(record.e164, [record]);
  }
  return byNumber;
}

export async function recordsFromSource(source: DoNotCallSource): Promise<DoNotCallRecord[]> {
  const db = await openDatabase();
  return (await db.getAllFromIndex('doNotCall', 'by-source', source)) as unknown as DoNotCallRecord[];
}

/** Adds a number to the user's own list (or updates its note); answers the record. */
export async function addLocalDoNotCall(e164: string, note: string | undefined, now: number): Promise<DoNotCallRecord> {
  const db = await openDatabase();
  const key = doNotCallKey('local', e164);
  const tx = db.transaction('doNotCall', 'readwrite');
  const existing = (await tx.store.get(key)) as unknown as DoNotCallRecord | undefined;
  const record: DoNotCallRecord = {
    key,
    e164,
    source: 'local',
    addedAt: existing?.addedAt ?? now,
    ...(note?.trim() ? { note: note.trim() } : {}),
  };
  await tx.store.put(toStore(record));
  await tx.done;
  return record;
}

/** Answers whether the number was on the user's list. */
export async function removeLocalDoNotCall(e164: string): Promise<boolean> {
  const db = await openDatabase();
  const key = doNotCallKey('local', e164);
  const tx = db.transaction('doNotCall', 'readwrite');
  const existed = (await tx.store.get(key)) !== undefined;
  if (existed) await tx.store.delete(key);
  await tx.done;
  return existed;
}

/** Remembers that Upcall marks the number `dnc` (seen when adding it to a campaign). */
export async function recordUpcallDoNotCall(
  e164: string,
  campaign: { id: string; name?: string },
  now: number,
): Promise<void> {
  const db = await openDatabase();
  const key = doNotCallKey('upcall-dnc', e164);
  const tx = db.transaction('doNotCall', 'readwrite');
  const existing = (await tx.store.get(key)) as unknown as DoNotCallRecord | undefined;
  const record: DoNotCallRecord = {
    key,
    e164,
    source: 'upcall-dnc',
    addedAt: existing?.addedAt ?? now,
    campaignId: campaign.id,
    ...(campaign.name ? { note: campaign.name } : {}),
  };
  await tx.store.put(toStore(record));
  await tx.done;
}

/**
 * Applies Call-Em-All opt-outs in one transaction: `replace` swaps the whole source (a full
 * sync, so numbers opted back in disappear); otherwise `upsert` is added and `remove` deleted
 * (an incremental sync, where an item with DoNotCall false means calls are allowed again).
 */
export async function applyCallEmAllOptOuts(
  change: {
    replace?: boolean;
    upsert: readonly { e164: string; sourceDate?: string; note?: string }[];
    remove?: readonly string[];
  },
  now: number,
): Promise<number> {
  const db = await openDatabase();
  const tx = db.transaction('doNotCall', 'readwrite');
  const index = tx.store.index('by-source');
  const existing = new Map<string, DoNotCallRecord>();
  for (const record of (await index.getAll('callemall-optout')) as unknown as DoNotCallRecord[]) {
    existing.set(record.e164, record);
  }
  const keep = new Set<string>();
  for (const item of change.upsert) {
    keep.add(item.e164);
    const record: DoNotCallRecord = {
      key: doNotCallKey('callemall-optout', item.e164),
      e164: item.e164,
      source: 'callemall-optout',
      addedAt: existing.get(item.e164)?.addedAt ?? now,
      ...(item.sourceDate ? { sourceDate: item.sourceDate } : {}),
      ...(item.note ? { note: item.note } : {}),
    };
    await tx.store.put(toStore(record));
  }
  const removals = change.replace
    ? [...existing.keys()].filter((e164) => !keep.has(e164))
    : (change.remove ?? []).filter((e164) => !keep.has(e164));
  for (const e164 of removals) await tx.store.delete(doNotCallKey('callemall-optout', e164));
  const count = await index.count('callemall-optout');
  await tx.done;
  return count;
}
