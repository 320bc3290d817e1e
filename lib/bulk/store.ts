/**
 * The bulk job in IndexedDB (`meta`, one job at a time): written as it progresses, read by a
 * re-opened popup and by a worker that restarts mid-run. Background only.
 */
import { openDatabase } from '../db.ts';
import type { BulkJob } from './job.ts';

const JOB_KEY = 'bulk/job';
/** One key per number whose write is under way: `bulk/writing/<index>`. */
const WRITING_PREFIX = 'bulk/writing/';
const STRICT = { durability: 'strict' } as const;

export async function saveBulkJob(job: BulkJob): Promise<void> {
  const db = await openDatabase();
  await db.put('meta', structuredClone(job), JOB_KEY);
}

export async function loadBulkJob(): Promise<BulkJob | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', JOB_KEY)) as BulkJob | undefined;
}

export async function deleteBulkJob(): Promise<void> {
  const db = await openDatabase();
  await db.delete('meta', JOB_KEY);
  await clearAllWriting();
}

/**
 * Marks numbers whose write is about to go out, durably, before the request: a worker stopped
 * while it is under way leaves the mark, and the resumed job looks the number up before writing
 * it again (found then means added, not "already there"). The job itself is saved only now and
 * then, so it cannot carry this.
 */
export async function markWriting(indices: readonly number[]): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite', STRICT);
  await Promise.all([...indices.map((index) => tx.store.put(true, WRITING_PREFIX + index)), tx.done]);
}

export async function clearWriting(indices: readonly number[]): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  await Promise.all([...indices.map((index) => tx.store.delete(WRITING_PREFIX + index)), tx.done]);
}

/** The numbers a stopped worker left mid-write. */
export async function writingIndices(): Promise<number[]> {
  const db = await openDatabase();
  const keys = await db.getAllKeys('meta', IDBKeyRange.bound(WRITING_PREFIX, `${WRITING_PREFIX}\uffff`));
  return keys.map((key) => Number(String(key).slice(WRITING_PREFIX.length))).filter(Number.isInteger);
}

export async function clearAllWriting(): Promise<void> {
  const db = await openDatabase();
  await db.delete('meta', IDBKeyRange.bound(WRITING_PREFIX, `${WRITING_PREFIX}\uffff`));
}
