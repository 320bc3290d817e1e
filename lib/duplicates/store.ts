/**
 * Pending duplicate checks (the `duplicateChecks` store) and the log of what they removed (in
 * `meta`, capped), for ./sweep.ts and Activity. Every change is one strict transaction.
 */
import { openDatabase, type CompanionDB } from '../db.ts';
import type { Failure } from '../errors.ts';
import {
  FIRST_CHECK_DELAY_MS,
  MAX_CHECK_ATTEMPTS,
  REMOVAL_LOG_LIMIT,
  type AbandonedCheck,
  type CheckOutcome,
  type DuplicateCheck,
  type RemovalRecord,
  type WrittenRecord,
} from './types.ts';

const STRICT = { durability: 'strict' } as const;
const REMOVALS_KEY = 'duplicates/removed';
const ABANDONED_KEY = 'duplicates/abandoned';

type CheckRecord = CompanionDB['duplicateChecks']['value'];
/** The duplicateChecks store of any readwrite transaction. */
interface CheckWriter {
  put(value: CheckRecord): Promise<unknown>;
}

const toRecord = (check: DuplicateCheck): CheckRecord => check as unknown as CheckRecord;
const fromRecord = (record: CheckRecord | undefined): DuplicateCheck | undefined =>
  record as unknown as DuplicateCheck | undefined;

/** The first round of a check for `record`, written at `now`. */
export function newCheck(
  id: string,
  record: WrittenRecord,
  now: number,
  lateUntil?: number,
  delayMs = FIRST_CHECK_DELAY_MS,
): DuplicateCheck {
  return { id, record, dueAt: now + delayMs, round: 1, lateUntil, attempts: 0 };
}

/** Adds (or replaces) a check inside a caller's transaction, so it cannot be torn from the write it follows. */
export async function putCheckIn(store: CheckWriter, check: DuplicateCheck): Promise<void> {
  await store.put(toRecord(check));
}

export async function putChecks(checks: readonly DuplicateCheck[]): Promise<void> {
  if (checks.length === 0) return;
  const db = await openDatabase();
  const tx = db.transaction('duplicateChecks', 'readwrite', STRICT);
  await Promise.all([...checks.map((check) => tx.store.put(toRecord(check))), tx.done]);
}

export async function getCheck(id: string): Promise<DuplicateCheck | undefined> {
  const db = await openDatabase();
  return fromRecord(await db.get('duplicateChecks', id));
}

/** Checks due at `now`, earliest first. */
export async function dueChecks(now: number, limit = 500): Promise<DuplicateCheck[]> {
  const db = await openDatabase();
  const records = await db.getAllFromIndex('duplicateChecks', 'by-due', IDBKeyRange.upperBound(now), limit);
  return records.map((record) => fromRecord(record)!);
}

/** When the next check is due, if any. */
export async function nextCheckDue(): Promise<number | undefined> {
  const db = await openDatabase();
  const cursor = await db.transaction('duplicateChecks').store.index('by-due').openCursor();
  return cursor ? fromRecord(cursor.value)!.dueAt : undefined;
}

export async function countChecks(): Promise<number> {
  const db = await openDatabase();
  return db.count('duplicateChecks');
}

/**
 * A look succeeded: the check goes on to its second round when a late commit is still possible,
 * else it is done; removals are logged for Activity.
 */
export async function settleCheck(check: DuplicateCheck, outcome: CheckOutcome, now: number): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(['duplicateChecks', 'meta'], 'readwrite', STRICT);
  const store = tx.objectStore('duplicateChecks');
  const current = fromRecord(await store.get(check.id));
  if (current) {
    if (current.round === 1 && current.lateUntil !== undefined && current.lateUntil > now) {
      await store.put(toRecord({ ...current, round: 2, dueAt: current.lateUntil, attempts: 0, lastError: undefined }));
    } else {
      await store.delete(check.id);
    }
  }
  if (outcome.removed.length > 0) {
    const meta = tx.objectStore('meta');
    const log = ((await meta.get(REMOVALS_KEY)) as RemovalRecord[] | undefined) ?? [];
    const entry: RemovalRecord = {
      at: now,
      service: check.record.service,
      label: check.record.label,
      removed: outcome.removed,
      kept: outcome.kept,
      source: check.record.source,
    };
    await meta.put([entry, ...log].slice(0, REMOVAL_LOG_LIMIT), REMOVALS_KEY);
  }
  await tx.done;
}

/** A look failed: try again at `retryAt`, or give up after MAX_CHECK_ATTEMPTS (logged). */
export async function failCheck(
  check: DuplicateCheck,
  failure: Failure,
  retryAt: number,
  now: number,
): Promise<'retry' | 'abandoned'> {
  const db = await openDatabase();
  const tx = db.transaction(['duplicateChecks', 'meta'], 'readwrite', STRICT);
  const store = tx.objectStore('duplicateChecks');
  const current = fromRecord(await store.get(check.id));
  let result: 'retry' | 'abandoned' = 'retry';
  if (current) {
    const attempts = current.attempts + 1;
    if (attempts >= MAX_CHECK_ATTEMPTS) {
      result = 'abandoned';
      await store.delete(check.id);
      const meta = tx.objectStore('meta');
      const log = ((await meta.get(ABANDONED_KEY)) as AbandonedCheck[] | undefined) ?? [];
      const entry: AbandonedCheck = {
        at: now,
        service: current.record.service,
        label: current.record.label,
        failure,
        source: current.record.source,
      };
      await meta.put([entry, ...log].slice(0, REMOVAL_LOG_LIMIT), ABANDONED_KEY);
    } else {
      await store.put(toRecord({ ...current, attempts, lastError: failure, dueAt: retryAt }));
    }
  }
  await tx.done;
  return result;
}

export async function listRemovals(): Promise<RemovalRecord[]> {
  const db = await openDatabase();
  return ((await db.get('meta', REMOVALS_KEY)) as RemovalRecord[] | undefined) ?? [];
}

export async function listAbandonedChecks(): Promise<AbandonedCheck[]> {
  const db = await openDatabase();
  return ((await db.get('meta', ABANDONED_KEY)) as AbandonedCheck[] | undefined) ?? [];
}
