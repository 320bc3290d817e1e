/**
 * Runs a bulk add (./job.ts) with a service's adapter (./adapters.ts): at most four requests in
 * flight, one shared pause when the service answers 429 (its Retry-After, for every worker),
 * backoff with jitter for 5xx and network failures, a stop when credentials are refused, and
 * cancellation that lets the requests under way finish (so none is left half-known) and sends
 * nothing more. Progress is written as it goes (throttled), so a popup watching it, or a worker
 * that was stopped and restarted, sees where it is.
 */
import { describeFailure, toFailure, type Failure } from '../errors.ts';
import { SERVICE_NAMES } from '../services.ts';
import type { BulkAdapter, ItemResult } from './adapters.ts';
import { isFinished, type BulkItem, type BulkJob } from './job.ts';

export const BULK_CONCURRENCY = 4;
/** Tries of one number (or one upload) failing with 5xx or a network error before it counts as failed. */
export const BULK_MAX_ATTEMPTS = 12;
/** 429s one number may meet before it counts as failed (each waits its Retry-After). */
const MAX_RATE_LIMITED = 30;
const DEFAULT_RETRY_AFTER_MS = 2_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const SAVE_EVERY_MS = 250;

export interface RunDeps {
  adapter: BulkAdapter;
  save(job: BulkJob): Promise<void>;
  now?(): number;
  random?(): number;
  concurrency?: number;
  maxAttempts?: number;
  /** A number was added (it wrote): its copies are looked for afterwards (lib/duplicates/). */
  written?(item: BulkItem, index: number): void;
  /** Durably marks numbers whose write goes out now (lib/bulk/store.ts markWriting). */
  markWriting?(indices: number[]): Promise<void>;
  /** The write's outcome is known (recorded in the job). */
  clearWriting?(indices: number[]): Promise<void>;
  /** Numbers a stopped worker left mid-write: they are looked up before they are written again. */
  leftWriting?: readonly number[];
}

type Task = { type: 'item'; index: number } | { type: 'upload'; indices: number[] };

/** Retries a 5xx or network failure after this long: exponential, with full jitter, never before a Retry-After. */
export function bulkRetryDelay(attempt: number, failure: Failure, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, failure.retryAfterMs ?? 0);
}

function isRetryableKind(failure: Failure): boolean {
  return ['offline', 'timeout', 'server', 'bad-response'].includes(failure.kind);
}

function stopsTheJob(failure: Failure): boolean {
  return (
    (failure.kind === 'auth' && failure.status !== 403) ||
    failure.kind === 'not-configured' ||
    failure.kind === 'permission'
  );
}

/**
 * Runs the job to its end (or its cancellation) and answers it. Items already finished are left
 * as they are, so a job read back after a restart continues where it was.
 */
export async function runBulkJob(job: BulkJob, deps: RunDeps, cancel: AbortSignal): Promise<BulkJob> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const concurrency = deps.concurrency ?? BULK_CONCURRENCY;
  const maxAttempts = deps.maxAttempts ?? BULK_MAX_ATTEMPTS;
  const { adapter } = deps;
  const batchSize = adapter.batchSize ?? 100;
  const serviceName = SERVICE_NAMES[job.service];
  // Requests under way are not aborted by a cancel: their outcome is then known.
  const requests = new AbortController();

  const rateLimited = new Map<number, number>();
  const queue: Task[] = [];
  const delayed: { task: Task; at: number }[] = [];
  const uploads: number[] = [];
  let running = 0;
  let stopped = false;

  // After a restart: a try that was under way may have written; look before writing again.
  const leftWriting = new Set(deps.leftWriting ?? []);
  job.items.forEach((item, index) => {
    if (item.inFlight || (leftWriting.has(index) && !isFinished(item))) {
      item.inFlight = false;
      item.unconfirmed = true;
      if (item.status === 'fresh') item.status = 'pending';
    }
    if (item.status === 'pending') queue.push({ type: 'item', index });
    else if (item.status === 'fresh') uploads.push(index);
  });

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();
  // Numbers whose write mark may go once the job holding their outcome is saved.
  const settledWrites: number[] = [];
  const flush = () => {
    job.updatedAt = now();
    const clearing = settledWrites.splice(0);
    saving = saving
      .then(() => deps.save(job))
      .then(() => (clearing.length > 0 ? deps.clearWriting?.(clearing) : undefined))
      .catch((error: unknown) => console.error('[bulk] could not save progress', error));
    return saving;
  };
  const changed = () => {
    saveTimer ??= setTimeout(() => {
      saveTimer = undefined;
      void flush();
    }, SAVE_EVERY_MS);
  };

  let wake: () => void = () => undefined;
  let woken = new Promise<void>((resolve) => (wake = resolve));
  const signal = () => {
    const resolve = wake;
    woken = new Promise<void>((r) => (wake = r));
    resolve();
  };
  cancel.addEventListener('abort', signal, { once: true });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      void woken.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const finish = (index: number, status: BulkItem['status'], reason?: string) => {
    const item = job.items[index]!;
    item.status = status;
    if (reason === undefined) delete item.reason;
    else item.reason = reason;
    if (status === 'added') deps.written?.(item, index);
    changed();
  };

  function nextTask(): Task | { wait: number } | undefined {
    const ready = queue.shift();
    if (ready) return ready;
    const itemWorkLeft = running > 0 || delayed.some((d) => d.task.type === 'item');
    if (uploads.length >= batchSize || (uploads.length > 0 && !itemWorkLeft)) {
      return { type: 'upload', indices: uploads.splice(0, batchSize) };
    }
    if (delayed.length > 0) {
      delayed.sort((a, b) => a.at - b.at);
      const first = delayed[0]!;
      if (first.at <= now()) {
        delayed.shift();
        return first.task;
      }
      return { wait: first.at - now() };
    }
    if (running > 0) return { wait: 60_000 };
    return undefined;
  }

  /**
   * `wrote`: a write went out for the task. Its failure does not prove nothing landed, whatever
   * the answer: the browser may have re-sent it (a reused connection closed unanswered) and the
   * answer be the second copy's. The look-up before the write found the number absent, so found
   * afterwards, it was ours.
   */
  function onFailure(task: Task, error: unknown, wrote: boolean): void {
    const failure = toFailure(error, serviceName);
    const indices = task.type === 'item' ? [task.index] : task.indices;
    const mayHaveLanded = failure.mayHaveReached === true || wrote;
    if (mayHaveLanded) for (const i of indices) job.items[i]!.unconfirmed = true;

    if (stopsTheJob(failure)) {
      stopped = true;
      job.stopReason = describeFailure(failure);
      for (const i of indices) finish(i, 'failed', job.stopReason);
      return;
    }
    if (failure.kind === 'rate-limited') {
      job.pausedUntil = Math.max(job.pausedUntil ?? 0, now() + (failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS));
      const first = indices[0]!;
      const count = (rateLimited.get(first) ?? 0) + 1;
      rateLimited.set(first, count);
      if (count > MAX_RATE_LIMITED) {
        for (const i of indices) finish(i, 'failed', describeFailure(failure));
      } else if (task.type === 'upload' && mayHaveLanded) {
        // The upload may have landed under the 429: its numbers are looked for again, one by one.
        for (const i of indices) {
          job.items[i]!.status = 'pending';
          queue.push({ type: 'item', index: i });
        }
      } else {
        queue.push(task);
      }
      changed();
      return;
    }
    if (isRetryableKind(failure)) {
      const item = job.items[indices[0]!]!;
      item.attempts += 1;
      for (const i of indices.slice(1)) job.items[i]!.attempts = item.attempts;
      if (item.attempts >= maxAttempts) {
        for (const i of indices)
          finish(i, 'failed', `${describeFailure(failure)} Gave up after ${item.attempts} tries.`);
        return;
      }
      // An upload that may have landed goes back to being looked for, number by number.
      if (task.type === 'upload' && mayHaveLanded) {
        for (const i of indices) {
          job.items[i]!.status = 'pending';
          delayed.push({
            task: { type: 'item', index: i },
            at: now() + bulkRetryDelay(item.attempts, failure, random),
          });
        }
      } else {
        delayed.push({ task, at: now() + bulkRetryDelay(item.attempts, failure, random) });
      }
      changed();
      return;
    }
    for (const i of indices) finish(i, 'failed', describeFailure(failure));
  }

  function onItemResult(index: number, result: ItemResult): void {
    const item = job.items[index]!;
    if ('remoteId' in result && result.remoteId) item.remoteId = result.remoteId;
    switch (result.outcome) {
      case 'fresh':
        item.status = 'fresh';
        uploads.push(index);
        changed();
        return;
      case 'duplicate':
        // Absent before a write whose answer was lost, present now: that write added it.
        finish(index, item.unconfirmed ? 'added' : 'duplicate');
        return;
      case 'do-not-call':
        finish(index, 'do-not-call', result.detail);
        return;
      case 'added':
        finish(index, 'added');
        return;
    }
  }

  // Between the requests of one number: wait out a pause that began meanwhile.
  async function gate(): Promise<void> {
    for (let pause = (job.pausedUntil ?? 0) - now(); pause > 0; pause = (job.pausedUntil ?? 0) - now()) {
      await sleep(pause);
    }
  }

  async function runTask(task: Task): Promise<void> {
    const indices = task.type === 'item' ? [task.index] : task.indices;
    for (const i of indices) job.items[i]!.inFlight = true;
    changed();
    let marked = false;
    // Before each write: wait out a pause, then leave a durable mark that it is going out.
    const beforeWrite = async () => {
      await gate();
      if (!marked && deps.markWriting) await deps.markWriting(indices);
      marked = true;
    };
    try {
      if (task.type === 'item') {
        onItemResult(task.index, await adapter.processItem(job.items[task.index]!, requests.signal, beforeWrite));
      } else {
        if (!adapter.uploadBatch) throw new Error('this service has no bulk upload');
        await beforeWrite();
        await adapter.uploadBatch(
          indices.map((i) => job.items[i]!),
          requests.signal,
        );
        for (const i of indices) finish(i, 'added');
      }
    } catch (error) {
      onFailure(task, error, marked);
    } finally {
      for (const i of indices) job.items[i]!.inFlight = false;
      // The outcome is in the job now: its mark goes once the job is saved with it.
      if (marked) {
        settledWrites.push(...indices);
        changed();
      }
    }
  }

  async function worker(): Promise<void> {
    for (;;) {
      if (cancel.aborted || stopped) return;
      const next = nextTask();
      if (!next) return;
      if ('wait' in next) {
        await sleep(next.wait);
        continue;
      }
      const pause = (job.pausedUntil ?? 0) - now();
      if (pause > 0) {
        // Everyone waits for the service's Retry-After; the task keeps its place.
        queue.unshift(next);
        await sleep(pause);
        continue;
      }
      running += 1;
      try {
        await runTask(next);
      } finally {
        running -= 1;
        signal();
      }
    }
  }

  try {
    if (adapter.prepare && job.items.some((item) => !isFinished(item))) await adapter.prepare(requests.signal);
    await Promise.all(Array.from({ length: concurrency }, () => worker()));
  } catch (error) {
    // prepare() failed: nothing was sent; every number fails with the reason.
    const failure = toFailure(error, serviceName);
    job.stopReason = describeFailure(failure);
    stopped = true;
    job.items.forEach((item, index) => {
      if (!isFinished(item)) finish(index, 'failed', job.stopReason);
    });
  }

  const unfinishedStatus = stopped ? 'failed' : 'not-sent';
  job.items.forEach((item, index) => {
    if (!isFinished(item)) finish(index, unfinishedStatus, stopped ? job.stopReason : undefined);
  });
  job.state = stopped ? 'stopped' : cancel.aborted ? 'cancelled' : 'done';
  job.finishedAt = now();
  delete job.pausedUntil;
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  await flush();
  return job;
}
