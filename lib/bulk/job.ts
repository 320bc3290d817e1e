/**
 * A bulk add (issue 4, "Bulk"): the numbers a user selected on a page, going to one campaign.
 * The job lives in the background (closing the popup does not stop it) and is kept in IndexedDB
 * so a re-opened popup, or a restarted worker, finds it. This file is its vocabulary and its
 * summary; ./run.ts runs it.
 */
import { describeCallingHours } from '../calling-hours.ts';
import type { ContactDetails } from '../providers/types.ts';
import type { CampaignServiceId } from '../services.ts';

export type BulkItemStatus =
  | 'pending'
  /** Looked for and absent; waits for the CSV upload (SIP Caller). */
  | 'fresh'
  | 'added'
  | 'duplicate'
  /** The service marks it do-not-call. */
  | 'do-not-call'
  /** Our screening blocked it; nothing was sent. */
  | 'blocked'
  | 'failed'
  /** The job was cancelled before it was sent. */
  | 'not-sent';

export interface BulkItem extends ContactDetails {
  status: BulkItemStatus;
  /** Why it failed or was blocked, in words. */
  reason?: string;
  /** Tries that failed and were retried. */
  attempts: number;
  /** An earlier try may have written it (its answer was lost): found afterwards means added. */
  unconfirmed?: boolean;
  /** A try is under way (seen after a restart: the try's outcome is unknown). */
  inFlight?: boolean;
  /** What the service created for it (Call-Em-All PersonID), so a retry does not create it again. */
  remoteId?: string;
}

export type BulkJobState = 'running' | 'done' | 'cancelled' | 'stopped';

export interface BulkJob {
  id: string;
  service: CampaignServiceId;
  campaignId: string;
  campaignName: string;
  state: BulkJobState;
  items: BulkItem[];
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** Requests wait until then (a 429's Retry-After), all workers together. */
  pausedUntil?: number;
  /** Why the job stopped early (credentials refused), in words. */
  stopReason?: string;
  /** How many of the numbers were, or may have been, outside their local calling hours when it started. */
  outsideHours: number;
  /** The calling hours it was checked against: "09:00–20:00, Monday to Friday". */
  callingHours: string;
}

export interface BulkCounts {
  total: number;
  /** Finished one way or another. */
  done: number;
  added: number;
  duplicate: number;
  /** Blocked by screening, or marked do-not-call by the service. */
  doNotCall: number;
  failed: number;
  notSent: number;
}

/** Failures grouped by reason, most frequent first, with a few of their numbers. */
export interface FailureGroup {
  reason: string;
  count: number;
  numbers: string[];
}

const FINISHED: ReadonlySet<BulkItemStatus> = new Set([
  'added',
  'duplicate',
  'do-not-call',
  'blocked',
  'failed',
  'not-sent',
]);

export function isFinished(item: BulkItem): boolean {
  return FINISHED.has(item.status);
}

export function countItems(items: readonly BulkItem[]): BulkCounts {
  const counts: BulkCounts = {
    total: items.length,
    done: 0,
    added: 0,
    duplicate: 0,
    doNotCall: 0,
    failed: 0,
    notSent: 0,
  };
  for (const item of items) {
    if (isFinished(item)) counts.done += 1;
    switch (item.status) {
      case 'added':
        counts.added += 1;
        break;
      case 'duplicate':
        counts.duplicate += 1;
        break;
      case 'do-not-call':
      case 'blocked':
        counts.doNotCall += 1;
        break;
      case 'failed':
        counts.failed += 1;
        break;
      case 'not-sent':
        counts.notSent += 1;
        break;
      default:
        break;
    }
  }
  return counts;
}

export function groupFailures(items: readonly BulkItem[], examples = 3): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const item of items) {
    if (item.status !== 'failed') continue;
    const reason = item.reason ?? 'No reason was given.';
    const group = groups.get(reason) ?? { reason, count: 0, numbers: [] };
    group.count += 1;
    if (group.numbers.length < examples) group.numbers.push(item.e164);
    groups.set(reason, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** A new job; items already blocked by screening start finished. */
export function newBulkJob(input: {
  id: string;
  service: CampaignServiceId;
  campaignId: string;
  campaignName: string;
  contacts: readonly ContactDetails[];
  blocked: ReadonlyMap<string, string>;
  outsideHours: number;
  callingHours: Parameters<typeof describeCallingHours>[0];
  now: number;
}): BulkJob {
  return {
    id: input.id,
    service: input.service,
    campaignId: input.campaignId,
    campaignName: input.campaignName,
    state: 'running',
    items: input.contacts.map((contact) => {
      const blocked = input.blocked.get(contact.e164);
      return blocked === undefined
        ? { ...contact, status: 'pending' as const, attempts: 0 }
        : { ...contact, status: 'blocked' as const, reason: blocked, attempts: 0 };
    }),
    createdAt: input.now,
    updatedAt: input.now,
    outsideHours: input.outsideHours,
    callingHours: describeCallingHours(input.callingHours),
  };
}
