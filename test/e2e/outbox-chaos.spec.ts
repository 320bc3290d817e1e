/**
 * The chaos test: 200 notes logged through the popup while the CRM simulator fails 30 %
 * of requests at random (5xx before and after the commit, 429 with Retry-After, the connection
 * dropped before and after the commit), with the service worker stopped every 20 notes. The CRM
 * must end with exactly 200 calls, none twice, each with its text.
 */
import { auditCalls, chaosConfig, chaosNotes, crmCalls, logAll, requestStats, waitForDrain } from './outbox-driver.ts';
import { expect, test } from './fixtures.ts';

const NOTES = 200;
const SEED = Number(process.env.OUTBOX_CHAOS_SEED ?? 20_261_122);

test.setTimeout(15 * 60_000);

test(`${NOTES} notes through the popup, 30% failures, worker stopped every 20: all delivered once`, async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  // The harder world: requests reuse kept-alive connections (as over HTTP/2 or a pooling proxy,
  // where the fresh-connection rule cannot act), so Chromium's own re-sends make copies.
  await extension.setFreshConnections(false);
  sandbox.sandbox.faults.setChaos(chaosConfig(SEED));
  const popup = await extension.openPopup();
  const notes = chaosNotes(NOTES, `seed-${SEED}`);
  const started = Date.now();

  const { workerStops } = await logAll(popup, extension, notes, { stopEvery: 20 });
  const loggedMs = Date.now() - started;
  await waitForDrain(extension, 10 * 60_000);
  const drainedMs = Date.now() - started;

  const audit = auditCalls(crmCalls(sandbox.sandbox), notes);
  const stats = requestStats(sandbox.sandbox);
  console.log(
    `[outbox-chaos] seed ${SEED}: logged ${NOTES} in ${(loggedMs / 1000).toFixed(1)} s, drained at ${(drainedMs / 1000).toFixed(1)} s; ` +
      `${JSON.stringify(audit)}; ${stats.requests} CRM requests (${stats.posts} POST, ${stats.postsOnReusedConnections} of them on reused connections, ` +
      `${stats.lists} list, ${stats.deletes} delete); copies made beneath the outbox ${stats.duplicatesMade}; faults ${JSON.stringify(stats.faults)}`,
  );

  expect(workerStops).toBe(NOTES / 20);
  expect(audit).toEqual({ notes: NOTES, calls: NOTES, delivered: NOTES, duplicates: 0, lost: 0, strays: 0, mismatched: 0 });
  // The run did exercise every failure, including the ones that need reconciliation.
  for (const mode of chaosConfig(SEED).modes) expect(stats.faults[mode] ?? 0, mode).toBeGreaterThan(0);
  expect(stats.lists).toBeGreaterThan(0);
  // Copies were made beneath the outbox (the browser's re-sends, commits after our timeout), and
  // every one of them was removed.
  expect(stats.postsOnReusedConnections).toBeGreaterThan(0);
  expect(stats.duplicatesMade).toBeGreaterThan(0);
});
