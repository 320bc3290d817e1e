/**
 * Bulk adds in the background (issue 4, "Bulk"): the popup starts a job, watches it and may cancel
 * it; closing the popup does not stop it, and a worker that restarts mid-run picks it up from
 * IndexedDB. One job at a time.
 */
import browser from 'webextension-polyfill';
import { createBulkAdapter } from '../bulk/adapters.ts';
import { countItems, groupFailures, isFinished, newBulkJob, type BulkItem, type BulkJob } from '../bulk/job.ts';
import { runBulkJob } from '../bulk/run.ts';
import {
  clearAllWriting,
  clearWriting,
  deleteBulkJob,
  loadBulkJob,
  markWriting,
  saveBulkJob,
  writingIndices,
} from '../bulk/store.ts';
import { campaignLabel, displayNumber } from '../campaigns/format.ts';
import { findCampaign } from '../campaigns/cache.ts';
import { refreshCampaigns } from '../campaigns/refresh.ts';
import { localTimeInfo, describeCallingHours } from '../calling-hours.ts';
import { describeBlock, screenRecords } from '../dnc/screen.ts';
import { allRecordsByNumber, recordUpcallDoNotCall } from '../dnc/store.ts';
import { entryRef } from '../crm/client.ts';
import { addReference, campaignNumberRecord } from '../duplicates/campaign-numbers.ts';
import { newCheck, putChecks } from '../duplicates/store.ts';
import { SLOWEST_COMMIT_MS, type DuplicateCheck } from '../duplicates/types.ts';
import { describeFailure, toFailure } from '../errors.ts';
import type { Handlers } from '../messaging.ts';
import { MAX_BULK_JOB_NUMBERS, type BulkJobView, type ContactInput } from '../protocol/campaigns.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import { notify } from './notifications.ts';
import { configFor } from './service-config.ts';

type BulkHandlers = Pick<
  Handlers,
  'bulk/preview' | 'bulk/stage' | 'bulk/start' | 'bulk/status' | 'bulk/cancel' | 'bulk/dismiss'
>;

/** Chunks of selections larger than one message, until their `bulk/start` (one stage at a time). */
let stage: { id: string; contacts: ContactInput[] } | undefined;

export interface BulkDeps {
  /** Brings Call-Em-All's opt-outs up to date before numbers are screened. */
  refreshOptOuts(): Promise<void>;
  /** Runs the duplicate checks of what the job added (stored as it goes). */
  checkForCopies?(): void;
}

/** The reference of one number of a job: unique in the job, as its numbers are. */
export function bulkItemRef(jobId: string, item: Pick<BulkItem, 'e164' | 'extension'>): string {
  return entryRef(`${jobId}:${item.e164};${item.extension ?? ''}`);
}

// An MV3 worker is stopped after 30 s without extension events; an API call every 20 s keeps it
// while a job runs (fetches alone do not).
const KEEPALIVE_MS = 20_000;
const LISTED_BLOCKED = 50;

interface Running {
  job: BulkJob;
  cancel: AbortController;
  done: Promise<BulkJob>;
}

let running: Running | undefined;

export function bulkJobView(job: BulkJob, now = Date.now()): BulkJobView {
  const counts = countItems(job.items);
  return {
    id: job.id,
    service: job.service,
    serviceName: SERVICE_NAMES[job.service],
    campaignName: job.campaignName,
    state: job.state,
    total: counts.total,
    done: counts.done,
    added: counts.added,
    duplicate: counts.duplicate,
    doNotCall: counts.doNotCall,
    failed: counts.failed,
    notSent: counts.notSent,
    failures: groupFailures(job.items),
    blocked: job.items
      .filter((item) => item.status === 'blocked' || item.status === 'do-not-call')
      .slice(0, LISTED_BLOCKED)
      .map((item) => ({ e164: item.e164, reason: item.reason ?? 'Do-not-call.' })),
    ...(job.pausedUntil && job.pausedUntil > now ? { pausedUntil: job.pausedUntil } : {}),
    ...(job.stopReason ? { stopReason: job.stopReason } : {}),
    outsideHours: job.outsideHours,
    callingHours: job.callingHours,
    startedAt: job.createdAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    now,
  };
}

/** "Spring renewals (Upcall): 480 added, 12 already there, 5 blocked as do-not-call, 3 failed." */
export function summarySentence(job: BulkJob): string {
  const c = countItems(job.items);
  const parts = [`${c.added} added`];
  if (c.duplicate) parts.push(`${c.duplicate} already there`);
  if (c.doNotCall) parts.push(`${c.doNotCall} blocked as do-not-call`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.notSent) parts.push(`${c.notSent} not sent`);
  return `${campaignLabel(job.campaignName, SERVICE_NAMES[job.service])}: ${parts.join(', ')}.`;
}

function run(job: BulkJob, config: unknown, checkForCopies?: () => void, leftWriting: readonly number[] = []): Running {
  const cancel = new AbortController();
  const keepalive = setInterval(() => void browser.runtime.getPlatformInfo().catch(() => undefined), KEEPALIVE_MS);
  // Each added number's duplicate check, stored with the progress that records it as added (a
  // worker stopped before then looks the number up again, and records it then).
  const checks: DuplicateCheck[] = [];
  const written = (item: BulkItem, index: number) => {
    const now = Date.now();
    const record = campaignNumberRecord({
      service: job.service,
      config,
      campaignId: job.campaignId,
      contact: item,
      ref: bulkItemRef(job.id, item),
      keepId: item.remoteId,
      since: job.createdAt,
      label: `${displayNumber(item.e164, item.extension)} in ${job.campaignName}`,
      source: { kind: 'bulk', id: job.id },
    });
    checks.push(newCheck(`bulk:${job.id}:${index}`, record, now, item.unconfirmed ? now + SLOWEST_COMMIT_MS : undefined));
  };
  const save = async (saved: BulkJob) => {
    await saveBulkJob(saved);
    if (checks.length === 0) return;
    await putChecks(checks.splice(0));
    checkForCopies?.();
  };
  const adapter = createBulkAdapter(job.service, config, job.campaignId, (item) =>
    addReference(job.service, bulkItemRef(job.id, item)),
  );
  const done = runBulkJob(job, { adapter, save, written, markWriting, clearWriting, leftWriting }, cancel.signal)
    .then(async (finished) => {
      if (finished.service === 'upcall') {
        for (const item of finished.items) {
          if (item.status === 'do-not-call') {
            await recordUpcallDoNotCall(
              item.e164,
              { id: finished.campaignId, name: finished.campaignName },
              Date.now(),
            );
          }
        }
      }
      const title =
        finished.state === 'cancelled'
          ? 'Bulk add cancelled'
          : finished.state === 'stopped'
            ? 'Bulk add stopped'
            : 'Bulk add finished';
      const why = finished.stopReason ? ` ${finished.stopReason}` : '';
      await notify({ id: `bulk:${finished.id}`, title, message: `${summarySentence(finished)}${why}` });
      return finished;
    })
    .finally(() => {
      clearInterval(keepalive);
      void clearAllWriting().catch(() => undefined);
      if (running?.job === job) running = undefined;
    });
  running = { job, cancel, done };
  return running;
}

/** A job the previous worker left running goes on (its try under way is reconciled). */
export async function resumeBulkJob(checkForCopies?: () => void): Promise<void> {
  if (running) return;
  const job = await loadBulkJob();
  if (!job || job.state !== 'running') return;
  try {
    run(job, await configFor(job.service), checkForCopies, await writingIndices());
  } catch (error) {
    job.state = 'stopped';
    job.stopReason = describeFailure(toFailure(error, SERVICE_NAMES[job.service]));
    for (const item of job.items) {
      if (!isFinished(item)) {
        item.status = 'failed';
        item.reason = job.stopReason;
      }
    }
    job.finishedAt = Date.now();
    await saveBulkJob(job);
  }
}

async function campaignNameOf(service: CampaignServiceId, campaignId: string): Promise<string | undefined> {
  const cached = await findCampaign(service, campaignId);
  if (cached) return cached.name;
  await refreshCampaigns({ config: (s) => configFor(s), now: Date.now }, [service]);
  return (await findCampaign(service, campaignId))?.name;
}

async function screenAll(numbers: readonly string[]): Promise<Map<string, string>> {
  const records = await allRecordsByNumber();
  const blocked = new Map<string, string>();
  for (const e164 of numbers) {
    const result = screenRecords(records.get(e164) ?? []);
    if (result.blocked) blocked.set(e164, describeBlock(displayNumber(e164), result.reasons));
  }
  return blocked;
}

function unique(contacts: readonly ContactInput[]): ContactInput[] {
  const seen = new Set<string>();
  return contacts.filter((c) => {
    const key = `${c.e164};${c.extension ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function createBulkHandlers(deps: BulkDeps): BulkHandlers {
  return {
    'bulk/preview': async ({ numbers }) => {
      const [{ settings }, blocked] = await Promise.all([loadSettings(), screenAll(numbers)]);
      const now = new Date();
      const outsideHours = numbers.filter((e164) => localTimeInfo(e164, settings, now).mayBeOutside).length;
      return {
        blocked: [...blocked].map(([e164, sentence]) => ({ e164, sentence })),
        outsideHours,
        callingHours: describeCallingHours(settings.callingHours),
      };
    },

    'bulk/stage': ({ stageId, contacts }) => {
      // A new stage replaces one a closed popup left half-sent.
      if (stage?.id !== stageId) stage = { id: stageId, contacts: [] };
      if (stage.contacts.length + contacts.length > MAX_BULK_JOB_NUMBERS) {
        stage = undefined;
        return { ok: false, reason: `A bulk add takes at most ${MAX_BULK_JOB_NUMBERS.toLocaleString('en')} numbers at a time.` };
      }
      stage.contacts.push(...contacts);
      return { ok: true, staged: stage.contacts.length };
    },

    'bulk/start': async ({ service, campaignId, contacts: last, stageId, staged }) => {
      let contacts = last;
      if (stageId !== undefined) {
        const held = stage?.id === stageId ? stage.contacts : [];
        stage = undefined;
        if (held.length !== (staged ?? 0)) {
          return {
            ok: false,
            reason: `Only ${held.length} of the ${staged ?? 0} numbers sent before reached the background, so nothing was started. Press Add again.`,
          };
        }
        contacts = [...held, ...last];
      }
      if (running) {
        return {
          ok: false,
          reason: `A bulk add to ${running.job.campaignName} is still running. Wait for it to finish or cancel it first.`,
        };
      }
      let config: unknown;
      try {
        config = await configFor(service);
      } catch (error) {
        return { ok: false, reason: describeFailure(toFailure(error, SERVICE_NAMES[service])) };
      }
      const name = await campaignNameOf(service, campaignId);
      if (!name) {
        return {
          ok: false,
          reason: `${SERVICE_NAMES[service]} no longer offers that campaign. Refresh the list and choose again.`,
        };
      }
      await deps.refreshOptOuts();
      const list = unique(contacts);
      const { settings } = await loadSettings();
      const now = new Date();
      const job = newBulkJob({
        id: crypto.randomUUID(),
        service,
        campaignId,
        campaignName: name,
        contacts: list,
        blocked: await screenAll(list.map((c) => c.e164)),
        outsideHours: list.filter((c) => localTimeInfo(c.e164, settings, now).mayBeOutside).length,
        callingHours: settings.callingHours,
        now: now.getTime(),
      });
      await saveBulkJob(job);
      await clearAllWriting();
      run(job, config, deps.checkForCopies);
      return { ok: true, job: bulkJobView(job) };
    },

    'bulk/status': async () => {
      const job = running?.job ?? (await loadBulkJob());
      return job ? bulkJobView(job) : null;
    },

    'bulk/cancel': async () => {
      if (!running) {
        const job = await loadBulkJob();
        return job ? bulkJobView(job) : null;
      }
      running.cancel.abort();
      return bulkJobView(await running.done);
    },

    'bulk/dismiss': async () => {
      if (!running) await deleteBulkJob();
      return { ok: true };
    },
  };
}
