/**
 * The chaos test across a browser restart: notes logged through the popup while the CRM fails
 * 30 % of requests; then the CRM goes down so notes pile up, one request is left in flight, and
 * the browser is closed mid-queue and reopened on the same profile. The CRM must end with every
 * note exactly once, each with its text.
 */
import { auditCalls, chaosConfig, chaosNotes, crmCalls, logAll, requestStats, waitForDrain } from './outbox-driver.ts';
import { createHelpers, expect, launchWithExtension, test } from './fixtures.ts';

const BEFORE_OUTAGE = 60;
const DURING_OUTAGE = 20;
const SEED = Number(process.env.OUTBOX_CHAOS_SEED ?? 20_261_123);

// The drain includes the second look for copies, two minutes after the last uncertain send.
test.setTimeout(12 * 60_000);

test('the browser closed and reopened mid-queue: every note delivered once', async ({ extension, sandbox, context, userDataDir }) => {
  await extension.configureSandbox();
  const faults = sandbox.sandbox.faults;
  faults.setChaos(chaosConfig(SEED));
  const notes = chaosNotes(BEFORE_OUTAGE + DURING_OUTAGE, `restart-${SEED}`);
  const started = Date.now();

  const popup = await extension.openPopup();
  await logAll(popup, extension, notes.slice(0, BEFORE_OUTAGE), { stopEvery: 20 });
  // The CRM rate-limits everything for a while (429, Retry-After 1 s): notes pile up.
  faults.setChaos({ ...chaosConfig(SEED), rate: 1, modes: ['rate-limit'] });
  await logAll(popup, extension, notes.slice(BEFORE_OUTAGE));

  // It comes back, slowly: the next POST takes a second, so a request is in flight when the
  // browser closes, and the CRM commits it after the browser is gone.
  faults.setChaos(undefined);
  faults.addRule({ mode: 'delay', delayMs: 1_000, count: 1, service: 'crm', method: 'POST' });
  await expect
    .poll(
      async () => {
        await extension.send('outbox/kick', {});
        return sandbox.requests({ service: 'crm', method: 'POST' }).some((r) => r.fault === 'delay' && !r.handled);
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe(true);
  const waiting = (await extension.send<{ entries: { state: string }[] }>('outbox/list', {})).value!.entries.filter(
    (entry) => entry.state !== 'sent',
  );
  expect(waiting.length).toBeGreaterThan(DURING_OUTAGE / 2);
  await context.close();

  // The CRM comes back, and the user starts the browser again on the same profile.
  faults.setChaos(chaosConfig(SEED + 1));
  const reopened = await launchWithExtension(userDataDir);
  try {
    const helpers = createHelpers(reopened, extension.id, sandbox.url);
    // What waited is still there, and says so in Activity.
    const activity = await helpers.openPopup();
    await activity.getByRole('tab', { name: 'Activity' }).click();
    await expect(activity.getByRole('listitem').filter({ hasText: 'Chaos note' }).first()).toBeVisible();
    await waitForDrain(helpers, 8 * 60_000);

    const audit = auditCalls(crmCalls(sandbox.sandbox), notes);
    const stats = requestStats(sandbox.sandbox);
    console.log(
      `[outbox-restart] seed ${SEED}: ${notes.length} notes, ${waiting.length} waiting at the restart, drained in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s; ${JSON.stringify(audit)}; ${stats.requests} CRM requests, faults ${JSON.stringify(stats.faults)}`,
    );
    expect(audit).toEqual({ notes: notes.length, calls: notes.length, delivered: notes.length, duplicates: 0, lost: 0, strays: 0, mismatched: 0 });
    // The request cut off by the restart was committed, and found rather than posted again.
    expect(sandbox.requests({ service: 'crm', method: 'POST' }).find((r) => r.fault === 'delay')?.handled).toBe(true);
  } finally {
    await reopened.close();
  }
});
