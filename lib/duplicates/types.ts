/**
 * Copies made beneath us (issue 10): a write can land twice although we sent it once — the browser
 * re-sends a request whose reused keep-alive connection closed before any answer (and `fetch`
 * reports only the second answer), a request commits after we gave up waiting, or a
 * reconciliation looked before a slow commit landed. None of these can be seen from the answer,
 * so every write is looked at again afterwards and the extra copies, recognised by our own marker
 * or as our own request, are removed.
 *
 * A check runs in rounds: the first once a re-send can no longer be in flight (shortly after the
 * delivery), and a second, for writes whose send was uncertain (a timeout, a worker stopped
 * mid-request), once the slowest commit we allow for has passed.
 */
import type { Failure } from '../errors.ts';
import type { ServiceId } from '../services.ts';

/**
 * After a delivery, the first look waits this long: a re-send by the browser ends before `fetch`
 * resolves, but the first copy may still be finishing on the server (a proxy closed the
 * connection while the service worked), up to a request's own timeout (15 s).
 */
export const FIRST_CHECK_DELAY_MS = 20_000;
/** Checks due within this window run together, one list per scope. */
export const CHECK_BATCH_WINDOW_MS = 10_000;
/**
 * The slowest commit we allow for, from the start of a request we stopped waiting for: beyond
 * the usual gateway timeouts (60 s at AWS load balancers and nginx, 100 s at Cloudflare). A write
 * whose send was uncertain is looked at again once this has passed.
 */
export const SLOWEST_COMMIT_MS = 120_000;
/**
 * A check that fails this many times in a row is given up (and says so in Activity): with tries at
 * most 30 s apart, after about 10 minutes of a service failing every look.
 */
export const MAX_CHECK_ATTEMPTS = 20;
/** Removals kept for Activity, newest first. */
export const REMOVAL_LOG_LIMIT = 100;

/** Where a write came from, so Activity can show its removals beside it. */
export interface WriteSource {
  kind: 'outbox' | 'bulk' | 'click-to-call';
  /** The outbox entry id, the bulk job id, or the click-to-call request id. */
  id: string;
}

/** One write we made, and how to recognise its copies. */
export interface WrittenRecord {
  service: ServiceId;
  /** Where copies are looked for; one list per scope (a CRM contact, a campaign, an account). */
  scope: string;
  /** What identifies our write; only the service's remover reads it (./removers.ts). */
  match: Record<string, unknown>;
  /** The id the service answered with: that copy is the one kept. */
  keepId?: string;
  /** When the write's first try began (epoch ms): copies are not older. */
  since: number;
  /** The write in words, for Activity: "the note for +1 650-555-0100 on contact 5f3…". */
  label: string;
  source: WriteSource;
}

export interface DuplicateCheck {
  /** Stable per write (`outbox:<entry id>`, `bulk:<job>:<index>`, `click-to-call:<request>`). */
  id: string;
  record: WrittenRecord;
  dueAt: number;
  round: 1 | 2;
  /** A late commit of this write is possible until then: the second round runs after it. */
  lateUntil?: number;
  /** Failed looks in a row. */
  attempts: number;
  lastError?: Failure;
}

/** What one look found for one write. */
export interface CheckOutcome {
  /** The remote ids of the copies removed. */
  removed: string[];
  /** The copy kept, when known. */
  kept?: string;
}

/** A removal, for Activity. */
export interface RemovalRecord {
  at: number;
  service: ServiceId;
  label: string;
  removed: string[];
  kept?: string;
  source: WriteSource;
}

/** A check given up after MAX_CHECK_ATTEMPTS, for Activity. */
export interface AbandonedCheck {
  at: number;
  service: ServiceId;
  label: string;
  failure: Failure;
  source: WriteSource;
}
