/**
 * Work in idle time, in slices: each slice gets a `shouldYield()` that turns true when the
 * browser's idle period (or our own budget) runs out. A timeout makes sure a page that is never
 * idle still gets its numbers, a slice at a time.
 */

export type Slice = (shouldYield: () => boolean) => void;

export interface IdleQueue {
  /** Runs `slice` in the next idle period. */
  schedule(slice: Slice): void;
  /** Forgets every scheduled slice. */
  cancel(): void;
  /** How many slices wait to run. */
  readonly pending: number;
}

export interface IdleOptions {
  /** Longest slice, in ms (idle periods last up to 50 ms; a task over 50 ms is a long task). */
  budgetMs?: number;
  /** Run anyway after this long without an idle period. */
  timeoutMs?: number;
  now?: () => number;
}

export function createIdleQueue(win: Window, options: IdleOptions = {}): IdleQueue {
  const { budgetMs = 30, timeoutMs = 250, now = () => performance.now() } = options;
  const pending = new Set<number>();
  const hasIdle = typeof win.requestIdleCallback === 'function';

  return {
    get pending() {
      return pending.size;
    },
    schedule(slice) {
      if (hasIdle) {
        const id = win.requestIdleCallback(
          (deadline) => {
            pending.delete(id);
            const start = now();
            // A slice forced by the timeout has no idle time left, yet must make progress.
            const shouldYield = deadline.didTimeout
              ? () => now() - start > budgetMs / 3
              : () => deadline.timeRemaining() < 1 || now() - start > budgetMs;
            slice(shouldYield);
          },
          { timeout: timeoutMs },
        );
        pending.add(id);
      } else {
        const id = win.setTimeout(() => {
          pending.delete(id);
          const start = now();
          slice(() => now() - start > budgetMs / 3);
        }, 1);
        pending.add(id);
      }
    },
    cancel() {
      for (const id of pending) {
        if (hasIdle) win.cancelIdleCallback(id);
        win.clearTimeout(id);
      }
      pending.clear();
    },
  };
}
