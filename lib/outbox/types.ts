/**
 * The durable outbox's vocabulary: an entry is one write to a service (a call note for the CRM,
 * later a number for a campaign), kept in IndexedDB until the service has it. The states and
 * their transitions are in ./state.ts; how entries are stored, in ./store.ts.
 */
import type { WrittenRecord } from '../duplicates/types.ts';
import type { Failure } from '../errors.ts';
import type { ServiceId } from '../services.ts';
import type { CampaignAddRequest } from './campaign-add.ts';
import type { CrmCallRequest } from './crm-call.ts';

/**
 * - `queued`: waiting for its turn or for its next try (see `nextAttemptAt`);
 * - `sending`: a try has started. Found at start-up, it means the worker stopped mid-try: the
 *   write may have reached the service, so it is reconciled before it is sent again;
 * - `sent`: the service answered OK, or reconciliation found it there;
 * - `needs-attention`: the service refused it (400, 403, 404, 410, 422…); the user edits, retries
 *   or discards it. Nothing leaves this state without the user.
 */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'needs-attention'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * The request each kind of entry carries. Adding a kind is adding its file (request schema and
 * summary in the style of ./crm-call.ts, an executor in the style of ./crm-call-executor.ts) and
 * one line here, in ./kinds.ts and in the background's executor registry.
 */
export interface OutboxRequests {
  'crm-call': CrmCallRequest;
  'campaign-add': CampaignAddRequest;
}
export type OutboxKind = keyof OutboxRequests;

/** How an entry was found to be delivered. */
export interface Delivered {
  /** The service's id for what was created (the CRM call id). */
  remoteId?: string;
  /** 'response': the service answered OK; 'reconciled': a lost answer, found by listing. */
  via: 'response' | 'reconciled';
  /**
   * What was written, to look for copies of it afterwards (lib/duplicates/); absent when the
   * delivery wrote nothing (the number was already in the campaign, or marked do-not-call).
   */
  written?: WrittenRecord;
}

export interface OutboxEntry<K extends OutboxKind = OutboxKind> {
  /** Client-generated (crypto.randomUUID), stable across edits and retries. */
  id: string;
  kind: K;
  service: ServiceId;
  /** Order of entry into the outbox; each service delivers in this order. */
  seq: number;
  request: OutboxRequests[K];
  state: OutboxState;
  /** Tries started (each try may reconcile, then send). */
  attempts: number;
  /**
   * Requests for this entry that failed in a row, since the service last answered one of them
   * (a reconciliation that found nothing counts as an answer). The backoff grows with this, not
   * with `attempts`: a try of an unconfirmed entry makes two requests, and counting tries would
   * grow the wait past reason while the service is answering most of them.
   */
  failureStreak: number;
  createdAt: number;
  updatedAt: number;
  /** Not tried again before this time (epoch ms): backoff or Retry-After. */
  nextAttemptAt: number;
  /**
   * True when an earlier try may have reached the service without our seeing the answer (a
   * timeout, a dropped connection, a 5xx, the worker stopped mid-try). Such an entry is
   * reconciled (looked for on the service) before it is sent again. Written, with `sending`,
   * before every try's first request.
   */
  unconfirmed: boolean;
  firstAttemptAt?: number;
  lastAttemptAt?: number;
  /**
   * A try that we stopped waiting for (a timeout, a dropped connection, the worker stopped
   * mid-request) may still commit on the service until then (epoch ms): after delivery, copies
   * are looked for once more after this time (lib/duplicates/types.ts SLOWEST_COMMIT_MS).
   */
  lateCommitUntil?: number;
  /** The last failure, as a typed value the UI turns into a sentence. */
  lastError?: Failure;
  /** Which phase the last failure was in: looking for an earlier copy, or sending. */
  lastFailurePhase?: 'reconcile' | 'send';
  /**
   * Failures in a row that were the same (phase, kind and status): a request the service keeps
   * refusing in one way while it answers others is set aside (./state.ts POISON_TRIES).
   */
  sameFailures?: number;
  /** Why it was set aside although its failures were of the kind that is retried, in words. */
  setAside?: string;
  /**
   * Edited by the user while an earlier try may have landed: a copy found by the look is brought
   * up to date with the edit instead of being taken as it is.
   */
  editedWhileUnconfirmed?: boolean;
  sentAt?: number;
  delivered?: Delivered;
}

/** A service whose entries wait for the user: its credentials were refused or are missing. */
export interface ServicePause {
  service: ServiceId;
  failure: Failure;
  since: number;
  /**
   * The service's non-secret settings when it paused (the CRM user ID is one of its
   * credentials): a change there resumes it, as does a change of its secrets.
   */
  settingsFingerprint: string;
}

/** One call logged to the CRM, for the popup's history (last 200, newest first). */
export interface HistoryRecord {
  /** The outbox entry's id. */
  id: string;
  /** When the CRM had it (epoch ms). */
  loggedAt: number;
  calledAt: number;
  contactId: string;
  phoneNumber: string;
  callResult: string;
  calledVia: string;
  /** The note as the user wrote it (without the reference marker). */
  text: string;
  recordingLink: string;
  /** The CRM's call id. */
  remoteId?: string;
  via: Delivered['via'];
}

export const HISTORY_LIMIT = 200;
/**
 * `meta` key of an add whose earlier try may have landed and was looked up: set by the executor,
 * removed when the add finishes or is discarded.
 */
export const CAMPAIGN_CHECKED_PREFIX = 'campaign-add/checked/';
/** Delivered entries kept in the outbox store (for Activity); the oldest go first. */
export const SENT_ENTRIES_KEPT = 200;
