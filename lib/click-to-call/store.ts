/**
 * The click-to-calls created from this browser (IndexedDB store `clickToCalls`, background only),
 * and the marks left by a create whose answer was lost, so a retry looks before it places
 * another call.
 */
import { openDatabase, type CompanionDB } from '../db.ts';
import type { TrackedClickToCall } from './types.ts';

// The db schema types records loosely (StoredRecord); this cast is the bridge.
type StoredCall = CompanionDB['clickToCalls']['value'];
const toRecord = (call: TrackedClickToCall): StoredCall => call as unknown as StoredCall;

/** Activity keeps the most recent ones; older ones are dropped when a new one is added. */
export const KEPT_CALLS = 50;

const ATTEMPT_PREFIX = 'click-to-call/attempt/';

/** A create that may have reached Multisender without us seeing its answer. */
export interface UnconfirmedAttempt {
  requestId: string;
  baseUrl: string;
  numbers: string[];
  at: number;
}

export async function saveTracked(call: TrackedClickToCall): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(['clickToCalls', 'meta'], 'readwrite');
  const store = tx.objectStore('clickToCalls');
  await store.put(toRecord(call));
  await tx.objectStore('meta').delete(ATTEMPT_PREFIX + call.requestId);
  // Oldest first by creation time: drop all but the newest KEPT_CALLS.
  const keys = await store.index('by-time').getAllKeys();
  for (const key of keys.slice(0, Math.max(0, keys.length - KEPT_CALLS))) await store.delete(key);
  await tx.done;
}

export async function getTracked(id: string): Promise<TrackedClickToCall | undefined> {
  const db = await openDatabase();
  return (await db.get('clickToCalls', id)) as TrackedClickToCall | undefined;
}

/** Newest first. */
export async function listTracked(): Promise<TrackedClickToCall[]> {
  const db = await openDatabase();
  const all = (await db.getAllFromIndex('clickToCalls', 'by-time')) as unknown as TrackedClickToCall[];
  return all.reverse();
}

export async function findByRequestId(requestId: string): Promise<TrackedClickToCall | undefined> {
  return (await listTracked()).find((call) => call.requestId === requestId);
}

/**
 * Read-modify-write in one transaction, so a popup refresh and the alarm's poll cannot undo each
 * other's changes (or both show the same notification). `change` must not await anything else.
 */
export async function updateTracked<R>(
  id: string,
  change: (call: TrackedClickToCall) => { next: TrackedClickToCall; result: R } | undefined,
): Promise<R | undefined> {
  const db = await openDatabase();
  const tx = db.transaction('clickToCalls', 'readwrite');
  const current = (await tx.store.get(id)) as TrackedClickToCall | undefined;
  const changed = current ? change(current) : undefined;
  if (changed) await tx.store.put(toRecord(changed.next));
  await tx.done;
  return changed?.result;
}

/**
 * A mark older than this belongs to a call that was never retried (the user chose another
 * number, or gave up): a retry so late would be a new call, and the mark is dropped.
 */
export const ATTEMPT_KEPT_MS = 24 * 60 * 60_000;

const ATTEMPTS = IDBKeyRange.bound(ATTEMPT_PREFIX, `${ATTEMPT_PREFIX}\uffff`);

/** Marks a create about to go out; in the same transaction, drops the marks of abandoned ones. */
export async function markUnconfirmed(attempt: UnconfirmedAttempt): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  const marks = (await tx.store.getAll(ATTEMPTS)) as UnconfirmedAttempt[];
  for (const mark of marks) {
    if (attempt.at - mark.at > ATTEMPT_KEPT_MS) await tx.store.delete(ATTEMPT_PREFIX + mark.requestId);
  }
  await tx.store.put(attempt, ATTEMPT_PREFIX + attempt.requestId);
  await tx.done;
}

/** The marks of creates whose answer was not seen (tests, upkeep). */
export async function countUnconfirmed(): Promise<number> {
  const db = await openDatabase();
  return db.count('meta', ATTEMPTS);
}

export async function getUnconfirmed(requestId: string): Promise<UnconfirmedAttempt | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', ATTEMPT_PREFIX + requestId)) as UnconfirmedAttempt | undefined;
}

export async function clearUnconfirmed(requestId: string): Promise<void> {
  const db = await openDatabase();
  await db.delete('meta', ATTEMPT_PREFIX + requestId);
}

const PENDING_KEY = 'click-to-call/pending';
/** A confirmation asked for from the right-click menu is shown if the popup opens this soon. */
export const PENDING_FRESH_MS = 2 * 60_000;

/** A number the right-click menu chose, waiting for the popup to show its confirmation. */
export interface PendingConfirmation {
  e164: string;
  extension?: string;
  at: number;
}

export async function setPendingConfirmation(pending: PendingConfirmation): Promise<void> {
  const db = await openDatabase();
  await db.put('meta', pending, PENDING_KEY);
}

/** The pending number, once: reading it clears it. Stale ones are dropped. */
export async function takePendingConfirmation(now: number): Promise<PendingConfirmation | undefined> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  const pending = (await tx.store.get(PENDING_KEY)) as PendingConfirmation | undefined;
  if (pending) await tx.store.delete(PENDING_KEY);
  await tx.done;
  return pending && now - pending.at >= 0 && now - pending.at <= PENDING_FRESH_MS ? pending : undefined;
}
