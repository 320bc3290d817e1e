/**
 * When to try again: exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff and Jitter": sleep = random(0, min(cap, base · 2^n))), never sooner than the service's
 * Retry-After. Jitter spreads retries so a CRM coming back from an outage is not hit by every
 * browser at once.
 */

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/**
 * A Retry-After beyond this is read as a misconfigured proxy rather than a plan: an hour still
 * respects any real rate limit, and the entry stays queued (never dropped) either way.
 */
export const RETRY_AFTER_CEILING_MS = 60 * 60_000;
/**
 * How long after a try cut off on our side (a timeout, the worker stopped) we wait before looking
 * for it on the service: the request can still be finishing on the server, and listing too early
 * would miss it and post the note twice.
 */
export const RECONCILE_SETTLE_MS = 2_000;

/** The upper bound of the jittered wait after the `attempt`-th failed try (1-based). */
export function backoffCeiling(attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
}

/**
 * Milliseconds to wait after the `attempt`-th failed try. `random` returns [0, 1) (Math.random;
 * tests pass their own). A Retry-After is a floor: we never come back sooner than asked.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, random: () => number): number {
  const jittered = Math.floor(random() * backoffCeiling(attempt));
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return jittered;
  return Math.max(jittered, Math.min(Math.ceil(retryAfterMs), RETRY_AFTER_CEILING_MS));
}
