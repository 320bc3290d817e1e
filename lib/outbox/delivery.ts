/**
 * Delivery (background only): per service, one entry in flight at a time, in seq order. A try
 * is: write the try marker (strict) → if an earlier try may have landed, reconcile → if absent,
 * send → record the outcome. The worker can be stopped at any await; each crash point leaves
 * the entry in a state the next worker handles without losing or duplicating it:
 *
 * - before the marker: the entry is as it was (queued);
 * - after the marker, anywhere up to the outcome's commit: the entry is `sending` and
 *   unconfirmed, so the next try waits for the server to settle, reconciles, and sends only if
 *   the note is not there;
 * - the outcome (sent + history, or the failure) is one transaction: all or nothing.
 *
 * Wake-ups (start-up, install, the alarm, an enqueue, a user's retry) all call `kick()`; a
 * service waiting on backoff sets a timer while the worker lives, and the alarm covers the rest.
 */
import { toFailure } from '../errors.ts';
import { SERVICE_IDS, SERVICE_NAMES, type ServiceId } from '../services.ts';
import type { ExecutorRegistry, OutboxExecutor } from './executors.ts';
import { afterFailure, classifyFailure, dueAt, mayBeStuck, setAside, type FailureAction, type TryPhase } from './state.ts';
import {
  completeTry,
  credentialsGeneration,
  finishTry,
  getPause,
  pendingHead,
  setPauseIfCurrent,
  startTry,
} from './store.ts';
import type { OutboxKind } from './types.ts';

/** Every try (reconcile and send, following pages) ends within this. */
export const TRY_TIMEOUT_MS = 60_000;

export interface DeliveryOptions {
  executors: ExecutorRegistry;
  now?: () => number;
  random?: () => number;
  /** The service's non-secret settings, so a pause can be lifted when they change. */
  settingsFingerprint?: (service: ServiceId) => Promise<string>;
  /** After anything that may change counts (badge, alarm). */
  onChange?: () => void;
  /** After an entry was delivered (its duplicate check is then stored: lib/duplicates/). */
  onSent?: (id: string) => void;
  /**
   * A cheap read that succeeds when the service answers (its connection test): asked when an
   * entry keeps failing the same way, to tell an entry the service refuses from an outage.
   */
  probe?: (service: ServiceId, signal: AbortSignal) => Promise<void>;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  log?: (message: string, error?: unknown) => void;
}

/** What one step of a service's delivery did. */
export type StepResult =
  | { kind: 'idle' }
  | { kind: 'paused' }
  | { kind: 'waiting'; until: number }
  /** The head changed under us (edited, discarded); look again. */
  | { kind: 'skipped' }
  | { kind: 'tried'; id: string; outcome: 'sent' | FailureAction; phase?: TryPhase };

export interface Delivery {
  /** Delivers whatever is due, for every service; returns at once. */
  kick(): void;
  /** One step for one service (tests drive delivery with this). */
  step(service: ServiceId): Promise<StepResult>;
  /** Resolves when no service is being worked on (tests). */
  idle(): Promise<void>;
  /** Whether a try of this worker is under way for the entry. */
  isInFlight(id: string): boolean;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const log = options.log ?? ((message, error) => console.error(`[outbox] ${message}`, error ?? ''));
  const changed = () => options.onChange?.();

  const inFlight = new Set<string>();
  const runners = new Map<ServiceId, Promise<void>>();
  const again = new Set<ServiceId>();
  const timers = new Map<ServiceId, unknown>();

  async function step(service: ServiceId): Promise<StepResult> {
    if (await getPause(service)) return { kind: 'paused' };
    const head = await pendingHead(service);
    if (!head) return { kind: 'idle' };
    // A `sending` head that no try of ours owns was left by a stopped worker: take it up.
    if (inFlight.has(head.id)) return { kind: 'waiting', until: now() + 1_000 };
    const due = dueAt(head);
    if (due > now()) return { kind: 'waiting', until: due };

    inFlight.add(head.id);
    try {
      // The credentials this try is made with: a refusal pauses the service only if they are
      // still the saved ones when it comes.
      const generation = await credentialsGeneration(service);
      const begun = await startTry(head.id, now());
      if (!begun) return { kind: 'skipped' };
      changed();
      const { before, started } = begun;
      const executor = options.executors[started.kind] as OutboxExecutor<OutboxKind>;
      const signal = AbortSignal.timeout(TRY_TIMEOUT_MS);
      let phase: TryPhase = 'reconcile';
      try {
        if (before.unconfirmed) {
          const found = await executor.reconcile(started, signal);
          if (found.status === 'found') {
            if (await completeTry(started.id, started.attempts, found.delivered, now())) options.onSent?.(started.id);
            return { kind: 'tried', id: started.id, outcome: 'sent', phase };
          }
        }
        phase = 'send';
        const delivered = await executor.send(started, signal);
        if (await completeTry(started.id, started.attempts, delivered, now())) options.onSent?.(started.id);
        return { kind: 'tried', id: started.id, outcome: 'sent', phase };
      } catch (error) {
        const failure = toFailure(error, SERVICE_NAMES[service]);
        let action = classifyFailure(failure);
        if (action === 'pause') {
          const fingerprint = (await options.settingsFingerprint?.(service)) ?? '';
          await setPauseIfCurrent({ service, failure, since: now(), settingsFingerprint: fingerprint }, generation);
        }
        let next = afterFailure(started, failure, phase, before.unconfirmed, now(), random);
        if (mayBeStuck(next) && (await answersOtherRequests(service))) {
          next = setAside(next, SERVICE_NAMES[service], now());
          action = 'attention';
        }
        await finishTry(started.id, started.attempts, next);
        return { kind: 'tried', id: started.id, outcome: action, phase };
      }
    } finally {
      inFlight.delete(head.id);
      changed();
    }
  }

  async function answersOtherRequests(service: ServiceId): Promise<boolean> {
    if (!options.probe) return false;
    try {
      await options.probe(service, AbortSignal.timeout(30_000));
      return true;
    } catch {
      return false;
    }
  }

  async function run(service: ServiceId): Promise<void> {
    for (;;) {
      const result = await step(service);
      if (result.kind === 'waiting') {
        schedule(service, result.until);
        return;
      }
      if (result.kind === 'idle' || result.kind === 'paused') return;
    }
  }

  function schedule(service: ServiceId, until: number): void {
    const previous = timers.get(service);
    if (previous !== undefined) clearTimer(previous);
    const handle = setTimer(
      () => {
        timers.delete(service);
        ensureRunner(service);
      },
      Math.max(0, until - now()),
    );
    timers.set(service, handle);
  }

  function ensureRunner(service: ServiceId): void {
    if (runners.has(service)) {
      // A kick during a run (an enqueue, a retry): look again once this run ends.
      again.add(service);
      return;
    }
    const timer = timers.get(service);
    if (timer !== undefined) {
      clearTimer(timer);
      timers.delete(service);
    }
    const running = run(service)
      .catch((error: unknown) => {
        // IndexedDB itself failed (quota, a blocked upgrade): nothing was lost; the alarm or the
        // next wake-up tries again.
        log(`delivery for ${service} stopped`, error);
      })
      .finally(() => {
        runners.delete(service);
        changed();
        if (again.delete(service)) ensureRunner(service);
      });
    runners.set(service, running);
  }

  return {
    kick() {
      for (const service of SERVICE_IDS) ensureRunner(service);
    },
    step,
    async idle() {
      while (runners.size > 0) await Promise.all([...runners.values()]);
    },
    isInFlight(id) {
      return inFlight.has(id);
    },
  };
}
