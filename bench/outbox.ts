/**
 * The outbox under load (issue 6): the chaos e2e test at 1,000 notes. Each note is typed into the
 * popup's Log a call form and saved with Ctrl+Enter, while the CRM simulator fails 30 % of
 * requests at random (5xx before and after the commit, 429 with Retry-After, the connection
 * dropped before and after the commit) and the service worker is stopped every 20 notes.
 * Run twice, without and with the faults (the simulator keeps connections alive, so Chromium
 * re-sends POSTs beneath us). Prints delivered, duplicates made beneath us, removed and left,
 * lost, time to drain and requests per note; asserts nothing.
 *
 *   BENCH_OUTBOX_NOTES=200 npm run bench -- outbox     fewer notes
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.ts';
import { createHelpers, launchWithExtension, serviceWorkerOf } from '../test/e2e/extension.ts';
import { auditCalls, chaosConfig, chaosNotes, crmCalls, logAll, requestStats, waitForDrain } from '../test/e2e/outbox-driver.ts';
import type { Bench } from './run.ts';

const NOTES = Number(process.env.BENCH_OUTBOX_NOTES ?? 1_000);
const SEED = Number(process.env.OUTBOX_CHAOS_SEED ?? 20_261_124);
const STOP_EVERY = 20;

export const outboxBench: Bench = {
  name: 'outbox',
  build: 'e2e',
  async run() {
    // The same notes twice: on a well-behaved CRM, then through the faults.
    await runOnce(false);
    await runOnce(true);
  },
};

async function runOnce(withFaults: boolean): Promise<void> {
  const sandbox = await startSandbox();
  const profile = await mkdtemp(join(tmpdir(), 'crm-companion-bench-outbox-'));
  const context = await launchWithExtension(profile);
  try {
    const worker = await serviceWorkerOf(context);
    const helpers = createHelpers(context, new URL(worker.url()).host, sandbox.url);
    await helpers.configureSandbox();
    if (withFaults) sandbox.faults.setChaos(chaosConfig(SEED));
    const popup = await helpers.openPopup();
    const notes = chaosNotes(NOTES, `bench-${withFaults ? 'faults' : 'clean'}-${SEED}`);
    console.log(`  ${withFaults ? 'with' : 'without'} faults:`);

    const started = Date.now();
    const { workerStops } = await logAll(popup, helpers, notes, {
      stopEvery: STOP_EVERY,
      onProgress: (logged) => {
        if (logged % 100 === 0) process.stdout.write(`    logged ${logged} (${seconds(Date.now() - started)})\n`);
      },
    });
    const loggedAt = Date.now();
    await waitForDrain(helpers, 60 * 60_000);
    const drainedAt = Date.now();

    const audit = auditCalls(crmCalls(sandbox), notes);
    const stats = requestStats(sandbox);
    const rows: [string, string][] = [
      ['notes logged through the popup', String(NOTES)],
      [
        'faults',
        withFaults
          ? `30% of CRM requests on kept-alive connections, seed ${SEED}; worker stopped ${workerStops} times`
          : `none; worker stopped ${workerStops} times`,
      ],
      ['delivered', `${audit.delivered} / ${NOTES}`],
      ['duplicates made beneath us', String(stats.duplicatesMade)],
      ['POSTs that went on a reused connection', String(stats.postsOnReusedConnections)],
      ['duplicates removed', String(stats.copiesRemoved)],
      ['duplicates left (must be 0)', String(audit.duplicates)],
      ['lost (must be 0)', String(audit.lost)],
      ['stray or mismatched calls', String(audit.strays + audit.mismatched)],
      ['time to log all notes', seconds(loggedAt - started)],
      ['time to drain (from the first note)', seconds(drainedAt - started)],
      ['drain after the last note (duplicate checks included)', seconds(drainedAt - loggedAt)],
      ['CRM requests per note', (stats.requests / NOTES).toFixed(2)],
      ['  POST per note', (stats.posts / NOTES).toFixed(2)],
      ['  lists per note (reconciliation and duplicate checks)', (stats.lists / NOTES).toFixed(2)],
      ['  DELETE per note', (stats.deletes / NOTES).toFixed(2)],
      ['faults injected', Object.entries(stats.faults).map(([mode, n]) => `${mode} ${n}`).join(', ') || 'none'],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) console.log(`    ${label.padEnd(width)}  ${value}`);
  } finally {
    await context.close();
    await sandbox.close();
    await rm(profile, { recursive: true, force: true });
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
