/**
 * What each service contributes to duplicate removal: given the writes we made in one scope, look
 * (with as few lists as the service allows) for the copies of each, keep one, remove the others.
 * A remover removes only records that carry our own marker or match our own request exactly.
 */
import type { CheckOutcome, WrittenRecord } from './types.ts';

export interface DuplicateRemover {
  /**
   * Answers one outcome per record, in order. Throws a ServiceError when the look cannot be made
   * (the check is tried again later); a copy already gone (404) counts as removed.
   */
  removeCopies(
    config: unknown,
    scope: string,
    records: readonly WrittenRecord[],
    signal: AbortSignal,
  ): Promise<CheckOutcome[]>;
}

/** Up to this many writes in one scope are looked up one by one; more, and the scope is listed once. */
export const PER_NUMBER_LOOKUPS = 10;

/**
 * Which copy to keep: the one the service answered with, else the oldest (the lowest id, numeric
 * ids compared as numbers).
 */
export function chooseKept<T>(copies: readonly T[], idOf: (copy: T) => string, keepId: string | undefined): T {
  const known = keepId === undefined ? undefined : copies.find((copy) => idOf(copy) === keepId);
  if (known) return known;
  return [...copies].sort((a, b) => compareIds(idOf(a), idOf(b)))[0]!;
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b) || a.localeCompare(b);
  return a.localeCompare(b);
}

/** Removes every copy but the kept one; a copy already gone counts as removed. */
export async function removeAllBut<T>(
  copies: readonly T[],
  idOf: (copy: T) => string,
  keepId: string | undefined,
  remove: (copy: T) => Promise<void>,
  isGone: (error: unknown) => boolean,
): Promise<CheckOutcome> {
  if (copies.length === 0) return { removed: [] };
  const kept = chooseKept(copies, idOf, keepId);
  if (copies.length === 1) return { removed: [], kept: idOf(kept) };
  const removed: string[] = [];
  for (const copy of copies) {
    if (copy === kept) continue;
    try {
      await remove(copy);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
    removed.push(idOf(copy));
  }
  return { removed, kept: idOf(kept) };
}
