/**
 * The bulk job in IndexedDB (`meta`, one job at a time): written as it progresses, read by a
 * re-opened popup and by a worker that restarts mid-run. Background only.
 */
import { openDatabase } from '../db.ts';
import type { BulkJob } from './job.ts';

const JOB_KEY = 'bulk/job';

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
}
