/**
 * The duplicate sweep (background only): runs the checks that are due, grouped so each scope (a
 * CRM contact, a campaign, an account) is listed once for all the writes due in it, and records
 * what each check found (./store.ts). Woken by a timer while the worker lives, by the outbox's
 * alarm otherwise, and at start-up.
 */
import { toFailure, type Failure } from '../errors.ts';
import { retryDelay } from '../outbox/schedule.ts';
import { SERVICE_NAMES, type ServiceId } from '../services.ts';
import type { DuplicateRemover } from './remover.ts';
import { dueChecks, failCheck, nextCheckDue, settleCheck } from './store.ts';
import { CHECK_BATCH_WINDOW_MS, type DuplicateCheck } from './types.ts';

/**
 * A failed look is tried again within this (or the service's Retry-After): a look is a cheap read,
 * and a copy left in place is what the user would see, so it is not left for the outbox's long
 * backoff.
 */
export const CHECK_RETRY_CAP_MS = 30_000;

/** One look (listing a scope, deleting its extras) ends within this. */
const LOOK_TIMEOUT_MS = 60_000;

export interface SweepOptions {
  removers: Record<ServiceId, DuplicateRemover>;
  /** The service's client config; throws a ServiceError when it cannot be used now. */
  config(service: ServiceId): Promise<unknown>;
  now?: () => number;
  random?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** After checks ran (Activity, the badge, the alarm). */
  onChange?: () => void;
  log?: (message: string, error?: unknown) => void;
}

export interface Sweep {
  /** Runs what is due (now or soon), then sets a timer for the next. */
  kick(): void;
  /** Runs what is due at `now`, once; resolves when done (tests, hooks). */
  runDue(): Promise<number>;
  /** Resolves when no sweep is running. */
  settled(): Promise<void>;
}

export function createSweep(options: SweepOptions): Sweep {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const log = options.log ?? ((message, error) => console.error(`[duplicates] ${message}`, error ?? ''));
  let running: Promise<void> | undefined;
  let again = false;
  let timer: unknown;

  async function runGroup(service: ServiceId, scope: string, checks: DuplicateCheck[]): Promise<void> {
    const remover = options.removers[service];
    try {
      const config = await options.config(service);
      const outcomes = await remover.removeCopies(
        config,
        scope,
        checks.map((check) => check.record),
        AbortSignal.timeout(LOOK_TIMEOUT_MS),
      );
      const at = now();
      for (const [i, check] of checks.entries()) await settleCheck(check, outcomes[i] ?? { removed: [] }, at);
    } catch (error) {
      const failure: Failure = toFailure(error, SERVICE_NAMES[service]);
      const at = now();
      for (const check of checks) {
        const wait = Math.min(
          retryDelay(check.attempts + 2, failure.retryAfterMs, random),
          Math.max(CHECK_RETRY_CAP_MS, failure.retryAfterMs ?? 0),
        );
        if ((await failCheck(check, failure, at + wait, at)) === 'abandoned') {
          log(`gave up looking for copies of ${check.record.label} at ${SERVICE_NAMES[service]}`, failure);
        }
      }
    }
  }

  async function runDue(): Promise<number> {
    const due = await dueChecks(now());
    const groups = new Map<string, { service: ServiceId; scope: string; checks: DuplicateCheck[] }>();
    for (const check of due) {
      const key = `${check.record.service}\n${check.record.scope}`;
      const group = groups.get(key) ?? { service: check.record.service, scope: check.record.scope, checks: [] };
      group.checks.push(check);
      groups.set(key, group);
    }
    // Services in parallel, the scopes of one service one after another (as delivery does).
    const byService = new Map<ServiceId, (typeof groups extends Map<string, infer G> ? G : never)[]>();
    for (const group of groups.values()) byService.set(group.service, [...(byService.get(group.service) ?? []), group]);
    await Promise.all(
      [...byService.values()].map(async (list) => {
        for (const group of list) await runGroup(group.service, group.scope, group.checks);
      }),
    );
    if (due.length > 0) options.onChange?.();
    return due.length;
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      await runDue();
    } while (again);
    const next = await nextCheckDue();
    if (next === undefined) return;
    // Wait a little past the first due check, so the writes due around it are listed together.
    const wait = Math.max(0, next - now()) + CHECK_BATCH_WINDOW_MS;
    if (timer !== undefined) clearTimer(timer);
    timer = setTimer(() => {
      timer = undefined;
      kick();
    }, wait);
  }

  function kick(): void {
    if (running) {
      again = true;
      return;
    }
    running = loop()
      .catch((error: unknown) => log('sweep stopped', error))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    kick,
    runDue,
    async settled() {
      while (running) await running;
    },
  };
}
