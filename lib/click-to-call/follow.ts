/**
 * Following the click-to-calls created from this browser (issue 5, "Follow and cancel"): ask
 * Multisender (GET /click_to_calls/:id) about every call still in progress, store what it says,
 * show a notification when a receiver accepts or the call expires, and keep an alarm while any
 * is in progress (Chrome's minimum period is 30 s; the open popup asks more often itself).
 * Cancel is DELETE /click_to_calls/:id.
 */
import { toFailure, type Failure } from '../errors.ts';
import { cancelClickToCall, getClickToCall, type MultisenderConfig } from '../providers/multisender.ts';
import { describeActionFailure } from './failure.ts';
import { applyCheckFailure, applyRemote, applyRemoved, isFinal, isFollowed, type Notice } from './status.ts';
import { getTracked, listTracked, updateTracked } from './store.ts';
import { STATE_LABELS } from './format.ts';
import type { TrackedClickToCall } from './types.ts';

export interface FollowDeps {
  config(): Promise<MultisenderConfig>;
  notify(notice: Notice, callId: string): Promise<void>;
  /** Keeps the polling alarm while `active` (and removes it when not). */
  schedule(active: boolean): Promise<void>;
  now(): number;
}

export type CancelResult = { ok: true } | { ok: false; sentence: string };

export interface Follower {
  /**
   * Asks Multisender about every call in progress (one run at a time; a caller arriving during
   * a run waits for it). `minIntervalMs` skips the run when the last one ended that recently.
   */
  refresh(options?: { minIntervalMs?: number }): Promise<void>;
  cancel(id: string): Promise<CancelResult>;
  /** Brings the alarm up to date without asking Multisender (worker start, a new call). */
  sync(): Promise<void>;
}

/** At most this many requests at once, so a long list does not trip Multisender's rate limit. */
const PARALLEL = 4;

export function createFollower(deps: FollowDeps): Follower {
  let running: Promise<void> | undefined;
  let lastRunEnded = 0;

  async function sync(): Promise<void> {
    const now = deps.now();
    const calls = await listTracked();
    await deps.schedule(calls.some((call) => isFollowed(call, now)));
  }

  async function checkOne(call: TrackedClickToCall, config: MultisenderConfig | Failure): Promise<Notice[]> {
    let outcome:
      | { kind: 'remote'; remote: Awaited<ReturnType<typeof getClickToCall>> }
      | { kind: 'gone' }
      | { kind: 'failed'; failure: Failure };
    if ('kind' in config) {
      outcome = { kind: 'failed', failure: config };
    } else if (call.baseUrl !== config.baseUrl) {
      // Placed with another Multisender address (options changed since): that account is not
      // asked with this one's token. Its expiry is still noticed.
      outcome = {
        kind: 'failed',
        failure: {
          kind: 'not-configured',
          service: 'Multisender',
          message: 'this click-to-call was placed with another Multisender base URL',
        },
      };
    } else {
      try {
        outcome = { kind: 'remote', remote: await getClickToCall(config, call.id) };
      } catch (error) {
        const failure = toFailure(error, 'Multisender');
        outcome = failure.kind === 'not-found' ? { kind: 'gone' } : { kind: 'failed', failure };
      }
    }
    const now = deps.now();
    // Applied to the stored record as it is now: a cancel that landed meanwhile is kept.
    const notices = await updateTracked(call.id, (current) => {
      if (current.state === 'cancelled' || current.state === 'removed') return undefined;
      switch (outcome.kind) {
        case 'remote': {
          const { next, notices: shown } = applyRemote(current, outcome.remote, now);
          return { next, result: shown };
        }
        case 'gone':
          return { next: applyRemoved(current, now), result: [] };
        case 'failed': {
          const { next, notices: shown } = applyCheckFailure(current, outcome.failure, now);
          return { next, result: shown };
        }
      }
    });
    for (const notice of notices ?? []) {
      await deps
        .notify(notice, call.id)
        .catch((error: unknown) => console.warn('[click-to-call] notification failed', error));
    }
    return notices ?? [];
  }

  async function run(): Promise<void> {
    const now = deps.now();
    const due = (await listTracked()).filter((call) => isFollowed(call, now) && (call.nextCheckAt ?? 0) <= now);
    if (due.length > 0) {
      const config = await deps.config().catch((error: unknown) => toFailure(error, 'Multisender'));
      for (let start = 0; start < due.length; start += PARALLEL) {
        await Promise.all(due.slice(start, start + PARALLEL).map((call) => checkOne(call, config)));
      }
    }
    await sync();
  }

  return {
    async refresh(options = {}) {
      if (running) return running;
      if (options.minIntervalMs && deps.now() - lastRunEnded < options.minIntervalMs) return;
      running = run().finally(() => {
        running = undefined;
        lastRunEnded = deps.now();
      });
      return running;
    },

    async cancel(id) {
      const call = await getTracked(id);
      if (!call) return { ok: false, sentence: 'This click-to-call is no longer in the list.' };
      if (isFinal(call.state)) {
        return {
          ok: false,
          sentence: `It has already ended (${STATE_LABELS[call.state].toLowerCase()}); there is nothing to cancel.`,
        };
      }
      let config: MultisenderConfig;
      try {
        config = await deps.config();
        await cancelClickToCall(config, id);
      } catch (error) {
        const failure = toFailure(error, 'Multisender');
        // Already gone at Multisender: what the user wanted.
        if (failure.kind !== 'not-found')
          return { ok: false, sentence: `Not cancelled. ${describeActionFailure(failure)}` };
      }
      const now = deps.now();
      await updateTracked(id, (current) => ({
        next: { ...current, state: 'cancelled', stateSince: now, checkedAt: now, checkError: undefined },
        result: undefined,
      }));
      await sync();
      return { ok: true };
    },

    sync,
  };
}
