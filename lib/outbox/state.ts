/**
 * The outbox's state machine as pure functions over an entry; ./store.ts applies them inside
 * IndexedDB transactions, ./delivery.ts decides when.
 *
 *   enqueue ─▶ queued ──begin try──▶ sending ──answer OK / found on the service──▶ sent
 *                ▲  ▲                   │
 *                │  └──retryable failure┤ (408, 429, 5xx, network, timeout: backoff)
 *                │     or 401 (service  │
 *                │     paused)          └──refused (400, 403, 404, 410, 422…)──▶ needs-attention
 *                └──────── retry now / edit (the user) ────────────────────────────────┘
 *
 * A `sending` entry that no try of this worker owns was left by a worker that stopped mid-try:
 * it is taken up again as it is (it is already marked unconfirmed, so it is reconciled first).
 */
import { SLOWEST_COMMIT_MS } from '../duplicates/types.ts';
import type { Failure, FailureKind } from '../errors.ts';
import { RECONCILE_SETTLE_MS, retryDelay } from './schedule.ts';
import type { Delivered, OutboxEntry } from './types.ts';

/** What to do with an entry after a failed try. */
export type FailureAction =
  /** Try again later, by itself. */
  | 'retry'
  /** The service refused it: the user must look (edit, retry or discard). */
  | 'attention'
  /** The service's credentials are refused or missing: hold all its entries until they change. */
  | 'pause';

/** Which phase of a try failed: looking for an earlier copy, or sending. */
export type TryPhase = 'reconcile' | 'send';

/**
 * Tries failing the same way in a row (the same phase, kind and status) before delivery asks
 * whether the service answers other requests; if it does, the entry is set aside (needs
 * attention) and the entries after it go on. A 429 (the service asking us to wait) and a
 * cancelled try are not counted.
 */
export const POISON_TRIES = 6;

/**
 * Failures that prove the request did not change anything on the service. Everything else
 * (network errors, timeouts, 5xx, a cancelled or crashed send, an answer we could not read) may
 * have, unless the failure itself says otherwise.
 */
const NOT_APPLIED: ReadonlySet<FailureKind> = new Set([
  'auth',
  'not-found',
  'invalid',
  'rate-limited',
  'redirect',
  'not-configured',
  'permission',
]);

export function classifyFailure(failure: Failure): FailureAction {
  switch (failure.kind) {
    case 'offline':
    case 'timeout':
    case 'rate-limited':
    case 'server':
    case 'bad-response':
    case 'cancelled':
      return 'retry';
    case 'auth':
      // 401: the key is wrong or expired (NOTES, CRM): keep the notes and wait for new
      // credentials. 403: this account may not do this one thing; the user decides.
      return failure.status === 403 ? 'attention' : 'pause';
    case 'not-configured':
    case 'permission':
      return 'pause';
    case 'not-found':
    case 'invalid':
    case 'redirect':
    case 'unexpected':
      return 'attention';
  }
}

/** Whether a failed send may have been applied by the service (so must be reconciled). */
export function mayHaveApplied(failure: Failure): boolean {
  if (failure.mayHaveReached !== undefined) return failure.mayHaveReached;
  return !NOT_APPLIED.has(failure.kind);
}

/**
 * Failures after which the request may still be running on the server: we stopped waiting, it
 * did not necessarily stop working. (A 5xx or a reset connection means the server is done.)
 */
const MAY_STILL_RUN: ReadonlySet<FailureKind> = new Set(['timeout', 'cancelled']);

/**
 * When the entry may be tried next (epoch ms). A `sending` entry left by a stopped worker waits
 * for the server to settle first: its request may have been under way at that very moment.
 */
export function dueAt(entry: OutboxEntry): number {
  if (entry.state !== 'sending' || entry.lastAttemptAt === undefined) return entry.nextAttemptAt;
  return Math.max(entry.nextAttemptAt, entry.lastAttemptAt + RECONCILE_SETTLE_MS);
}

/** Entries the delivery loop works on, in seq order per service. */
export function isPending(entry: OutboxEntry): boolean {
  return entry.state === 'queued' || entry.state === 'sending';
}

/**
 * The try marker, written (with strict durability) before the try's first request: from here on
 * a stopped worker leaves an entry that is reconciled before it is sent again.
 */
export function beginTry(entry: OutboxEntry, now: number): OutboxEntry {
  // A `sending` entry was left by a worker stopped mid-try: its request may still be running.
  const abandoned = entry.state === 'sending' && entry.lastAttemptAt !== undefined;
  return {
    ...entry,
    lateCommitUntil: abandoned ? laterOf(entry.lateCommitUntil, entry.lastAttemptAt! + SLOWEST_COMMIT_MS) : entry.lateCommitUntil,
    state: 'sending',
    attempts: entry.attempts + 1,
    unconfirmed: true,
    firstAttemptAt: entry.firstAttemptAt ?? now,
    lastAttemptAt: now,
    updatedAt: now,
  };
}

function laterOf(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.max(a, b);
}

/**
 * Failures after which the request may yet commit on the service although we saw no answer: we
 * stopped waiting (timeout, cancelled) or the connection broke (a proxy may have dropped us while
 * the service worked on). A 5xx or an unreadable 2xx is an answer: the service was done.
 */
function mayCommitLater(failure: Failure): boolean {
  return mayHaveApplied(failure) && failure.kind !== 'server' && failure.kind !== 'bad-response';
}

/** The service has it (answered OK, or reconciliation found it). */
export function markSent(entry: OutboxEntry, delivered: Delivered, now: number): OutboxEntry {
  return {
    ...entry,
    state: 'sent',
    unconfirmed: false,
    failureStreak: 0,
    sentAt: now,
    delivered,
    lastError: undefined,
    editedWhileUnconfirmed: undefined,
    updatedAt: now,
  };
}

/**
 * After a failed try. `wasUnconfirmed` is the entry's flag before the try began: a failure while
 * reconciling leaves it as it was; a failure while sending says for itself whether it may have
 * been applied (a send only starts after reconciliation proved earlier tries absent).
 */
export function afterFailure(
  entry: OutboxEntry,
  failure: Failure,
  phase: TryPhase,
  wasUnconfirmed: boolean,
  now: number,
  random: () => number,
): OutboxEntry {
  const action = classifyFailure(failure);
  const unconfirmed = phase === 'reconcile' ? wasUnconfirmed : mayHaveApplied(failure);
  // A send that follows a reconciliation means the service just answered us.
  const failureStreak = (phase === 'send' && wasUnconfirmed ? 0 : entry.failureStreak) + 1;
  const lateCommitUntil =
    phase === 'send' && mayCommitLater(failure)
      ? laterOf(entry.lateCommitUntil, (entry.lastAttemptAt ?? now) + SLOWEST_COMMIT_MS)
      : entry.lateCommitUntil;
  const counted = failure.kind !== 'rate-limited' && failure.kind !== 'cancelled';
  const same =
    counted && entry.lastError !== undefined && entry.lastFailurePhase === phase && sameFailure(entry.lastError, failure);
  const sameFailures = counted ? (same ? (entry.sameFailures ?? 1) + 1 : 1) : 0;
  const base = {
    ...entry,
    unconfirmed,
    failureStreak,
    lateCommitUntil,
    lastError: failure,
    lastFailurePhase: phase,
    sameFailures,
    updatedAt: now,
  };
  switch (action) {
    case 'retry': {
      const settle = unconfirmed && MAY_STILL_RUN.has(failure.kind) ? RECONCILE_SETTLE_MS : 0;
      const wait = Math.max(retryDelay(failureStreak, failure.retryAfterMs, random), settle);
      return { ...base, state: 'queued', nextAttemptAt: now + wait };
    }
    case 'pause':
      // The pause itself is kept per service (store.ts); the entry waits, ready to go.
      return { ...base, state: 'queued', nextAttemptAt: now };
    case 'attention':
      return { ...base, state: 'needs-attention', nextAttemptAt: now };
  }
}

function sameFailure(a: Failure, b: Failure): boolean {
  return a.kind === b.kind && a.status === b.status;
}

/** Whether delivery should ask if the service answers other requests (see POISON_TRIES). */
export function mayBeStuck(entry: OutboxEntry): boolean {
  return entry.state === 'queued' && (entry.sameFailures ?? 0) >= POISON_TRIES;
}

/** The service answers other requests: this entry is set aside, and later ones go on. */
export function setAside(entry: OutboxEntry, serviceName: string, now: number): OutboxEntry {
  const tries = entry.sameFailures ?? POISON_TRIES;
  return {
    ...entry,
    state: 'needs-attention',
    nextAttemptAt: now,
    updatedAt: now,
    setAside: `It failed ${tries} times in a row the same way while ${serviceName} answers other requests, so it was set aside and what came after it went on.`,
  };
}

/** "Retry now": due at once; a refused entry goes back in line (at its original place). */
export function retryNow(entry: OutboxEntry, now: number): OutboxEntry {
  return { ...entry, state: 'queued', nextAttemptAt: now, sameFailures: 0, setAside: undefined, updatedAt: now };
}

/** Whether the last try could not look for an earlier copy (so "Send anyway" is offered). */
export function reconcileBlocked(entry: OutboxEntry): boolean {
  return entry.state === 'needs-attention' && entry.unconfirmed && entry.lastFailurePhase === 'reconcile';
}

/**
 * "Send anyway": the user chose to send without the look for an earlier copy (it could not be
 * made). It may log twice; the duplicate check afterwards removes a copy if it can list them.
 */
export function sendAnyway(entry: OutboxEntry, now: number): OutboxEntry | string {
  if (entry.state === 'sent') return 'It is already delivered.';
  if (!entry.unconfirmed) return 'Nothing needs checking first: use Retry now.';
  return { ...retryNow(entry, now), unconfirmed: false };
}

/**
 * Whether the user may change the request: not while a try may be under way. An entry whose
 * earlier try may have reached the service may be edited too: the look for that copy finds it by
 * its marker and brings it up to date with the edit (./crm-call-executor.ts).
 */
export function editBlocker(entry: OutboxEntry, inFlight: boolean): string | undefined {
  if (entry.state === 'sent') return 'It is already in the CRM.';
  if (inFlight) return 'It is being sent right now; try again in a moment.';
  return undefined;
}

export function applyEdit<E extends OutboxEntry>(entry: E, request: E['request'], now: number): E {
  return {
    ...entry,
    request,
    state: 'queued',
    nextAttemptAt: now,
    failureStreak: 0,
    sameFailures: 0,
    setAside: undefined,
    lastError: undefined,
    editedWhileUnconfirmed: entry.unconfirmed || entry.editedWhileUnconfirmed === true,
    updatedAt: now,
  };
}

/** Whether the user may discard it: anything not in flight and not yet delivered. */
export function discardBlocker(entry: OutboxEntry, inFlight: boolean): string | undefined {
  if (entry.state === 'sent') return 'It is already in the CRM.';
  if (inFlight) return 'It is being sent right now; try again in a moment.';
  return undefined;
}
