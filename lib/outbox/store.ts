/**
 * The outbox in IndexedDB (lib/db.ts stores `outbox`, `history`, `meta`). Every change is one
 * readwrite transaction with durability "strict", so once a function here resolves the change
 * is on disk: a note the popup showed as "Saved" survives the popup closing, the worker being
 * stopped and the browser quitting. Nothing but IndexedDB requests is awaited inside a
 * transaction (it would commit early).
 */
import { openDatabase, type CompanionDB, type Database } from '../db.ts';
import { newCheck, putCheckIn } from '../duplicates/store.ts';
import type { IDBPTransaction, StoreNames } from 'idb';
import type { ServiceId } from '../services.ts';
import { kindDefinition } from './kinds.ts';
import { beginTry, isPending, markSent } from './state.ts';
import {
  CAMPAIGN_CHECKED_PREFIX,
  HISTORY_LIMIT,
  SENT_ENTRIES_KEPT,
  type Delivered,
  type HistoryRecord,
  type OutboxEntry,
  type OutboxKind,
  type OutboxRequests,
  type ServicePause,
} from './types.ts';

const SEQ_KEY = 'outbox/seq';
const PAUSE_PREFIX = 'outbox/pause/';
/** Per service, a count bumped whenever its credentials are saved or pass a connection test. */
const GENERATION_PREFIX = 'credentials/generation/';
const STRICT = { durability: 'strict' } as const;

type OutboxRecord = CompanionDB['outbox']['value'];
type HistoryStoreRecord = CompanionDB['history']['value'];
type WriteTx<S extends StoreNames<CompanionDB>[]> = IDBPTransaction<CompanionDB, S, 'readwrite'>;

// The db schema types records loosely (StoredRecord); these two casts are the only bridge.
const toRecord = (entry: OutboxEntry): OutboxRecord => entry as unknown as OutboxRecord;
const fromRecord = (record: OutboxRecord | undefined): OutboxEntry | undefined =>
  record as unknown as OutboxEntry | undefined;

/**
 * Runs `body` against `tx` and waits for the commit. If `body` fails, the transaction is aborted
 * (no half-written change survives) and the failure is what the caller sees.
 */
async function within<T>(tx: { done: Promise<void>; abort(): void }, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // Already finished or aborted by the failed request.
    }
    throw error;
  }
}

export interface NewEntry<K extends OutboxKind> {
  kind: K;
  request: OutboxRequests[K];
  /** Client-generated; a fresh UUID when absent. */
  id?: string;
}

/**
 * Adds an entry, queued and due now, after every earlier one of its service. Resolves once the
 * entry is committed with strict durability. `alsoWrite` runs inside the same transaction (for
 * small bookkeeping in `meta` that must not be torn from the entry); it must not await anything
 * but requests on that transaction.
 */
export async function enqueue<K extends OutboxKind>(
  input: NewEntry<K>,
  now: number,
  alsoWrite?: (tx: WriteTx<['outbox', 'meta']>) => Promise<void>,
): Promise<OutboxEntry<K>> {
  const definition = kindDefinition(input.kind);
  const request = definition.request.parse(input.request);
  const db = await openDatabase();
  const tx = db.transaction(['outbox', 'meta'], 'readwrite', STRICT);
  return within(tx, async () => {
    const meta = tx.objectStore('meta');
    const seq = ((await meta.get(SEQ_KEY)) as number | undefined) ?? 0;
    const entry: OutboxEntry<K> = {
      id: input.id ?? crypto.randomUUID(),
      kind: input.kind,
      service: definition.serviceOf(request),
      seq: seq + 1,
      request,
      state: 'queued',
      attempts: 0,
      failureStreak: 0,
      createdAt: now,
      updatedAt: now,
      nextAttemptAt: now,
      unconfirmed: false,
    };
    await meta.put(seq + 1, SEQ_KEY);
    // add, not put: a reused id must fail rather than overwrite a note.
    await tx.objectStore('outbox').add(toRecord(entry));
    await alsoWrite?.(tx);
    return entry;
  });
}

export async function getEntry(id: string): Promise<OutboxEntry | undefined> {
  const db = await openDatabase();
  return fromRecord(await db.get('outbox', id));
}

/** Every entry, in seq order. */
export async function listEntries(): Promise<OutboxEntry[]> {
  const db = await openDatabase();
  const all = (await db.getAll('outbox')) as unknown as OutboxEntry[];
  return all.sort((a, b) => a.seq - b.seq);
}

/** The service's first entry still to deliver (queued or sending), in seq order. */
export async function pendingHead(service: ServiceId): Promise<OutboxEntry | undefined> {
  const db = await openDatabase();
  const range = IDBKeyRange.bound([service, -Infinity], [service, Infinity]);
  let cursor = await db.transaction('outbox').store.index('by-service-seq').openCursor(range);
  while (cursor) {
    const entry = fromRecord(cursor.value)!;
    if (isPending(entry)) return entry;
    cursor = await cursor.continue();
  }
  return undefined;
}

/** Services with at least one entry to deliver. */
export async function servicesWithPending(): Promise<ServiceId[]> {
  const db = await openDatabase();
  const tx = db.transaction('outbox');
  const index = tx.store.index('by-state');
  const [queued, sending] = await Promise.all([index.getAll('queued'), index.getAll('sending')]);
  await tx.done;
  return [...new Set([...queued, ...sending].map((record) => record.service as ServiceId))];
}

/**
 * Marks the start of a try (state `sending`, unconfirmed, one more attempt), strictly durable,
 * before the try's first request. Re-reads the entry inside the transaction, so an edit or
 * discard that committed first is seen; returns undefined when the entry is gone or no longer
 * waiting, else the entry as it was and as it now is.
 */
export async function startTry(id: string, now: number): Promise<{ before: OutboxEntry; started: OutboxEntry } | undefined> {
  const db = await openDatabase();
  const tx = db.transaction('outbox', 'readwrite', STRICT);
  return within(tx, async () => {
    const before = fromRecord(await tx.store.get(id));
    if (!before || !isPending(before)) return undefined;
    const started = beginTry(before, now);
    await tx.store.put(toRecord(started));
    return { before, started };
  });
}

/**
 * Records a try's outcome, if the try still owns the entry (same attempt, still `sending`): a
 * try from a worker that was stopped and replaced must not overwrite its successor's work.
 * Returns whether it was written.
 */
export async function finishTry(id: string, attempt: number, next: OutboxEntry): Promise<boolean> {
  const db = await openDatabase();
  const tx = db.transaction('outbox', 'readwrite', STRICT);
  return within(tx, async () => {
    const current = fromRecord(await tx.store.get(id));
    const owned = current?.state === 'sending' && current.attempts === attempt;
    if (owned) await tx.store.put(toRecord(next));
    return owned;
  });
}

/**
 * Marks the entry sent and, for kinds with a history, records the logged call, in one
 * transaction: the history never shows a call the outbox still holds, nor misses one it let go.
 * What was written gets its duplicate check in the same transaction (lib/duplicates/), so no
 * stop of the worker can leave a delivered write unchecked.
 */
export async function completeTry(id: string, attempt: number, delivered: Delivered, now: number): Promise<boolean> {
  const db = await openDatabase();
  const tx = db.transaction(['outbox', 'history', 'duplicateChecks'], 'readwrite', STRICT);
  return within(tx, async () => {
    const outbox = tx.objectStore('outbox');
    const current = fromRecord(await outbox.get(id));
    if (current?.state !== 'sending' || current.attempts !== attempt) return false;
    const sent = markSent(current, delivered, now);
    await outbox.put(toRecord(sent));
    if (delivered.written) {
      await putCheckIn(tx.objectStore('duplicateChecks'), newCheck(`outbox:${id}`, delivered.written, now, sent.lateCommitUntil));
    }
    const record = historyOf(sent, delivered, now);
    if (record) {
      await tx.objectStore('history').put(record as unknown as HistoryStoreRecord);
      await trimHistory(tx);
    }
    await pruneSent(tx);
    return true;
  });
}

function historyOf(entry: OutboxEntry, delivered: Delivered, now: number): HistoryRecord | undefined {
  const definition = kindDefinition(entry.kind);
  return definition.history?.(entry as never, delivered, now);
}

async function trimHistory(tx: WriteTx<['outbox', 'history', 'duplicateChecks']>): Promise<void> {
  const history = tx.objectStore('history');
  let excess = (await history.count()) - HISTORY_LIMIT;
  if (excess <= 0) return;
  let cursor = await history.index('by-time').openCursor();
  while (cursor && excess > 0) {
    await cursor.delete();
    excess -= 1;
    cursor = await cursor.continue();
  }
}

async function pruneSent(tx: WriteTx<['outbox', 'history', 'duplicateChecks']>): Promise<void> {
  const index = tx.objectStore('outbox').index('by-state');
  const count = await index.count('sent');
  if (count <= SENT_ENTRIES_KEPT) return;
  const sent = (await index.getAll('sent')) as unknown as OutboxEntry[];
  sent.sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0) || a.seq - b.seq);
  const outbox = tx.objectStore('outbox');
  for (const entry of sent.slice(0, count - SENT_ENTRIES_KEPT)) await outbox.delete(entry.id);
}

/**
 * Read-modify-write of one entry for the user's actions (retry, edit). `change` returns the new
 * entry, or a string saying why it cannot (nothing is written then).
 */
export async function updateEntry(
  id: string,
  change: (entry: OutboxEntry) => OutboxEntry | string,
): Promise<{ ok: true; entry: OutboxEntry } | { ok: false; reason: string }> {
  const db = await openDatabase();
  const tx = db.transaction('outbox', 'readwrite', STRICT);
  return within(tx, async () => {
    const current = fromRecord(await tx.store.get(id));
    if (!current) return { ok: false as const, reason: 'It is no longer in the outbox.' };
    const next = change(current);
    if (typeof next === 'string') return { ok: false as const, reason: next };
    await tx.store.put(toRecord(next));
    return { ok: true as const, entry: next };
  });
}

/** Deletes an entry the user chose to discard; `blocker` may refuse (returns why). */
export async function discardEntry(
  id: string,
  blocker: (entry: OutboxEntry) => string | undefined,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const db = await openDatabase();
  const tx = db.transaction(['outbox', 'meta'], 'readwrite', STRICT);
  return within(tx, async () => {
    const outbox = tx.objectStore('outbox');
    const current = fromRecord(await outbox.get(id));
    const reason = current ? blocker(current) : undefined;
    if (reason) return { ok: false as const, reason };
    if (current) {
      await outbox.delete(id);
      // Nothing of a discarded entry stays behind.
      await tx.objectStore('meta').delete(CAMPAIGN_CHECKED_PREFIX + id);
    }
    return { ok: true as const };
  });
}

export interface OutboxCounts {
  /** Waiting to be delivered (queued or being sent). */
  queued: number;
  needsAttention: number;
}

export async function countEntries(): Promise<OutboxCounts> {
  const db = await openDatabase();
  const tx = db.transaction('outbox');
  const index = tx.store.index('by-state');
  const [queued, sending, attention] = await Promise.all([
    index.count('queued'),
    index.count('sending'),
    index.count('needs-attention'),
  ]);
  await tx.done;
  return { queued: queued + sending, needsAttention: attention };
}

// ---------------------------------------------------------------------------------------------
// Paused services (401, missing credentials): one record per service in `meta`.

export async function getPause(service: ServiceId, db?: Database): Promise<ServicePause | undefined> {
  const database = db ?? (await openDatabase());
  return (await database.get('meta', PAUSE_PREFIX + service)) as ServicePause | undefined;
}

export async function listPauses(): Promise<ServicePause[]> {
  const db = await openDatabase();
  const range = IDBKeyRange.bound(PAUSE_PREFIX, `${PAUSE_PREFIX}\uffff`);
  return (await db.getAll('meta', range)) as ServicePause[];
}

export async function setPause(pause: ServicePause): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite', STRICT);
  await within(tx, () => tx.store.put(pause, PAUSE_PREFIX + pause.service));
}

/** Which save of the service's credentials a try is made with (see `setPauseIfCurrent`). */
export async function credentialsGeneration(service: ServiceId): Promise<number> {
  const db = await openDatabase();
  return ((await db.get('meta', GENERATION_PREFIX + service)) as number | undefined) ?? 0;
}

/**
 * A pause belongs to the credentials it was seen with: it is written only if they are still the
 * ones saved (no save and no passing test since the try began), in one transaction with that
 * check, so a refusal of the old key can never pause the new one. Returns whether it paused.
 */
export async function setPauseIfCurrent(pause: ServicePause, generation: number): Promise<boolean> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite', STRICT);
  return within(tx, async () => {
    const current = ((await tx.store.get(GENERATION_PREFIX + pause.service)) as number | undefined) ?? 0;
    if (current !== generation) return false;
    await tx.store.put(pause, PAUSE_PREFIX + pause.service);
    return true;
  });
}

/**
 * The services' credentials were saved (even unchanged) or passed a connection test: a new
 * generation, and their pauses lifted, together. Returns the services that were paused.
 */
export async function renewCredentials(services: readonly ServiceId[]): Promise<ServiceId[]> {
  if (services.length === 0) return [];
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite', STRICT);
  return within(tx, async () => {
    const lifted: ServiceId[] = [];
    for (const service of services) {
      const generation = ((await tx.store.get(GENERATION_PREFIX + service)) as number | undefined) ?? 0;
      await tx.store.put(generation + 1, GENERATION_PREFIX + service);
      if ((await tx.store.get(PAUSE_PREFIX + service)) !== undefined) {
        await tx.store.delete(PAUSE_PREFIX + service);
        lifted.push(service);
      }
    }
    return lifted;
  });
}

/** Returns whether there was a pause to lift. */
export async function clearPause(service: ServiceId): Promise<boolean> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite', STRICT);
  return within(tx, async () => {
    const key = PAUSE_PREFIX + service;
    const existed = (await tx.store.get(key)) !== undefined;
    if (existed) await tx.store.delete(key);
    return existed;
  });
}

// ---------------------------------------------------------------------------------------------
// History of logged calls.

/** The last `limit` logged calls, newest first. */
export async function listHistory(limit = HISTORY_LIMIT): Promise<HistoryRecord[]> {
  const db = await openDatabase();
  const records: HistoryRecord[] = [];
  let cursor = await db.transaction('history').store.index('by-time').openCursor(null, 'prev');
  while (cursor && records.length < limit) {
    records.push(cursor.value as unknown as HistoryRecord);
    cursor = await cursor.continue();
  }
  return records;
}
