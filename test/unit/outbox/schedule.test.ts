/** The retry schedule: full-jitter exponential backoff within its bounds, Retry-After as a floor. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoffCeiling,
  RETRY_AFTER_CEILING_MS,
  retryDelay,
} from '../../../lib/outbox/schedule.ts';

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffCeiling', () => {
  it('doubles from the 1 s base and stops at the 5 min cap', () => {
    expect(BACKOFF_BASE_MS).toBe(1_000);
    expect(BACKOFF_CAP_MS).toBe(300_000);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(backoffCeiling)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
    ]);
    expect(backoffCeiling(1_000)).toBe(300_000);
    // Attempt 0 (never happens after a failed try) is treated as the first.
    expect(backoffCeiling(0)).toBe(1_000);
  });
});

describe('retryDelay', () => {
  it('is full jitter: anywhere in [0, ceiling)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), unit, (attempt, r) => {
        const delay = retryDelay(attempt, undefined, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(backoffCeiling(attempt));
        expect(delay).toBeLessThan(BACKOFF_CAP_MS);
      }),
    );
    expect(retryDelay(3, undefined, () => 0)).toBe(0);
    expect(retryDelay(3, undefined, () => 0.5)).toBe(2_000);
    expect(retryDelay(3, undefined, () => 0.999_999)).toBe(3_999);
  });

  it('spreads retries: many draws cover the range rather than sitting at one value', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const draws = Array.from({ length: 2_000 }, () => retryDelay(5, undefined, random));
    const ceiling = backoffCeiling(5);
    const quarters = [0, 1, 2, 3].map((q) => draws.filter((d) => d >= (q * ceiling) / 4 && d < ((q + 1) * ceiling) / 4).length);
    for (const count of quarters) expect(count).toBeGreaterThan(400);
  });

  it('never comes back sooner than Retry-After', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: RETRY_AFTER_CEILING_MS }), unit, (attempt, after, r) => {
        const delay = retryDelay(attempt, after, () => r);
        expect(delay).toBeGreaterThanOrEqual(after);
        expect(delay).toBeLessThanOrEqual(Math.max(after, backoffCeiling(attempt)));
      }),
    );
    // The sandbox's default Retry-After: 1 s, even when the jitter draws 0.
    expect(retryDelay(1, 1_000, () => 0)).toBe(1_000);
    // A longer jittered wait wins over a short Retry-After.
    expect(retryDelay(10, 1_000, () => 0.5)).toBe(150_000);
  });

  it('bounds an absurd Retry-After at an hour, and ignores a meaningless one', () => {
    expect(retryDelay(1, 7 * 24 * 3600_000, () => 0)).toBe(RETRY_AFTER_CEILING_MS);
    expect(retryDelay(2, 0, () => 0.5)).toBe(1_000);
    expect(retryDelay(2, Number.NaN, () => 0.5)).toBe(1_000);
    expect(retryDelay(2, -5, () => 0.5)).toBe(1_000);
  });
});
