/// <reference types="chrome" />
/**
 * Drives the outbox through the popup for the chaos and restart tests and `npm run bench`: types
 * notes into the Log a call form and saves each with Ctrl+Enter, stops the service worker on a
 * schedule, waits for the outbox to drain, and audits what the CRM simulator ended up holding.
 * Depends on playwright-core only (the bench runs outside the test runner).
 */
import type { Page } from 'playwright-core';
import { contactId, phoneAt } from '../../sandbox/demo/data.ts';
import type { ChaosConfig } from '../../sandbox/faults.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import type { StoredCall } from '../../sandbox/services/crm.ts';
import type { ExtensionHelpers } from './extension.ts';

/**
 * Every way the issue says the CRM may fail, at 30 %: 5xx before and after the commit, 429 with
 * Retry-After, the connection dropped before and after the commit (on the sandbox's kept-alive
 * connections, where Chromium re-sends a request whose reused connection closes unanswered), and
 * a commit slower than the extension's request timeout.
 */
export function chaosConfig(seed: number): ChaosConfig {
  return {
    rate: 0.3,
    service: 'crm',
    modes: ['status', 'rate-limit', 'drop-before', 'drop-after', 'status-after-commit', 'slow-commit'],
    status: 503,
    retryAfter: 1,
    seed,
  };
}

export interface ChaosNote {
  index: number;
  phone: string;
  contact: string;
  text: string;
}

/** `count` distinct notes over 25 contacts, marked with `run` so runs never mix. */
export function chaosNotes(count: number, run: string): ChaosNote[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    phone: phoneAt(index).display,
    contact: contactId(index % 25),
    text: `Chaos note ${index} of run ${run}: talked about the renewal.`,
  }));
}

/** Types one note into the open form and saves it with Ctrl+Enter; resolves once "Saved" shows. */
export async function logThroughPopup(popup: Page, note: ChaosNote): Promise<void> {
  // Typing clears the previous "Saved.", so the wait below is for this note's.
  await popup.getByLabel('Phone number').fill(note.phone);
  await popup.getByLabel('Contact ID').fill(note.contact);
  await popup.getByLabel('Notes').fill(note.text);
  await popup.getByLabel('Notes').press('Control+Enter');
  await popup.waitForFunction(
    () => document.querySelector('#log-call-status')?.textContent?.startsWith('Saved.') ?? false,
    undefined,
    { timeout: 30_000 },
  );
}

export interface LogOptions {
  /** Stop the service worker after every this many notes (0: never). */
  stopEvery?: number;
  onProgress?: (logged: number) => void;
}

export async function logAll(
  popup: Page,
  helpers: ExtensionHelpers,
  notes: readonly ChaosNote[],
  options: LogOptions = {},
): Promise<{ workerStops: number }> {
  let workerStops = 0;
  for (const note of notes) {
    await logThroughPopup(popup, note);
    const logged = note.index + 1;
    options.onProgress?.(logged);
    if (options.stopEvery && logged % options.stopEvery === 0) {
      await helpers.stopServiceWorker();
      workerStops += 1;
    }
  }
  return { workerStops };
}

interface ListView {
  entries: { state: string; lastError?: unknown; title: string }[];
  duplicates: { pending: number; removed: { sentence: string }[] };
}

/**
 * Waits until the outbox holds nothing undelivered and no duplicate check is left to run. Each
 * poll is a message, which also wakes a worker stopped in the middle of a backoff (as opening the
 * popup does for a user).
 */
export async function waitForDrain(helpers: ExtensionHelpers, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: ListView['entries'] = [];
  let checks = 0;
  while (Date.now() < deadline) {
    await helpers.send('outbox/kick', {});
    const reply = await helpers.send<ListView>('outbox/list', {});
    last = (reply.value?.entries ?? []).filter((entry) => entry.state !== 'sent');
    checks = reply.value?.duplicates.pending ?? 0;
    if (reply.ok && last.length === 0 && checks === 0) return;
    if (last.some((entry) => entry.state === 'needs-attention')) {
      throw new Error(`a note needs attention: ${JSON.stringify(last.find((e) => e.state === 'needs-attention'))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `the outbox did not drain in ${timeoutMs} ms; still waiting: ${JSON.stringify(last.slice(0, 3))}, ${checks} duplicate checks: ` +
      JSON.stringify(await pendingChecks(helpers)),
  );
}

/** The duplicate checks still waiting, read from the worker's IndexedDB (for a failure's message). */
async function pendingChecks(helpers: ExtensionHelpers): Promise<unknown[]> {
  const worker = await helpers.worker();
  return worker.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('crm-call-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('duplicateChecks').objectStore('duplicateChecks').getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () =>
            resolve(
              (request.result as { dueAt: number; round: number; attempts: number; lateUntil?: number; lastError?: unknown; record: { scope: string } }[]).map(
                (check) => ({
                  dueIn: check.dueAt - Date.now(),
                  round: check.round,
                  attempts: check.attempts,
                  lateUntilIn: check.lateUntil === undefined ? undefined : check.lateUntil - Date.now(),
                  scope: check.record.scope,
                  lastError: check.lastError,
                }),
              ),
            );
        };
      }),
  );
}

export interface Audit {
  notes: number;
  calls: number;
  delivered: number;
  duplicates: number;
  lost: number;
  /** Calls whose text matches no note (a mangled or foreign note). */
  strays: number;
  /** Notes whose call has the wrong contact or number. */
  mismatched: number;
}

const MARKER = /\n\n— logged via CRM Call Companion \[ref [0-9a-f]{8}\]$/;

/** Compares what the CRM holds with what was logged: every note exactly once, with its text. */
export function auditCalls(calls: readonly StoredCall[], notes: readonly ChaosNote[]): Audit {
  const byText = new Map<string, StoredCall[]>();
  let strays = 0;
  for (const call of calls) {
    if (!MARKER.test(call.text)) {
      strays += 1;
      continue;
    }
    const text = call.text.replace(MARKER, '');
    byText.set(text, [...(byText.get(text) ?? []), call]);
  }
  let delivered = 0;
  let duplicates = 0;
  let mismatched = 0;
  const known = new Set<string>();
  for (const note of notes) {
    known.add(note.text);
    const found = byText.get(note.text) ?? [];
    if (found.length > 0) delivered += 1;
    duplicates += Math.max(0, found.length - 1);
    if (found.some((call) => call.contact_id !== note.contact || call.phone_number !== phoneAt(note.index).e164)) mismatched += 1;
  }
  for (const [text, found] of byText) if (!known.has(text)) strays += found.length;
  return { notes: notes.length, calls: calls.length, delivered, duplicates, lost: notes.length - delivered, strays, mismatched };
}

export function crmCalls(sandbox: Sandbox): StoredCall[] {
  const crm = sandbox.simulators.find((simulator) => simulator.id === 'crm');
  if (!crm) throw new Error('the sandbox has no CRM simulator');
  return (crm.state() as { calls: StoredCall[] }).calls;
}

export interface RequestStats {
  requests: number;
  posts: number;
  lists: number;
  deletes: number;
  faults: Record<string, number>;
  /** POSTs the CRM committed beyond the first of each note: copies made beneath the outbox. */
  duplicatesMade: number;
  /** POSTs that arrived on a connection that had carried an earlier request. */
  postsOnReusedConnections: number;
  /** Calls the CRM deleted (each path once): the copies the extension removed. */
  copiesRemoved: number;
}

const REF = /\[ref ([0-9a-f]{8})\]/;
/** Faults after which the simulator has done what was asked although the answer says otherwise. */
const COMMITTING_FAULTS = new Set(['drop-after', 'status-after-commit', 'slow-commit']);

/** What the sandbox saw: requests to the CRM, faults injected by mode, copies made. */
export function requestStats(sandbox: Sandbox): RequestStats {
  const crm = sandbox.requests.filter((request) => request.service === 'crm');
  const faults: Record<string, number> = {};
  for (const request of crm) if (request.fault) faults[request.fault] = (faults[request.fault] ?? 0) + 1;
  const posts = crm.filter((request) => request.method === 'POST');
  const committed = new Map<string, number>();
  for (const post of posts) {
    const text = (post.body as { text?: unknown } | undefined)?.text;
    const ref = typeof text === 'string' ? REF.exec(text)?.[1] : undefined;
    // A request the simulator handled committed, unless its answer was a refusal before the commit.
    if (!ref || !post.handled || (post.status >= 400 && post.fault !== 'status-after-commit')) continue;
    committed.set(ref, (committed.get(ref) ?? 0) + 1);
  }
  return {
    requests: crm.length,
    posts: posts.length,
    lists: crm.filter((request) => request.method === 'GET').length,
    deletes: crm.filter((request) => request.method === 'DELETE').length,
    copiesRemoved: new Set(
      crm.filter((request) => request.method === 'DELETE' && request.handled && (request.status < 300 || COMMITTING_FAULTS.has(request.fault ?? ''))).map((request) => request.path),
    ).size,
    faults,
    duplicatesMade: [...committed.values()].reduce((sum, n) => sum + n - 1, 0),
    postsOnReusedConnections: posts.filter((request) => request.reusedConnection).length,
  };
}
