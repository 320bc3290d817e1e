/**
 * Bulk adds through a hostile world (issue 10): the This page tab adds 100 numbers to an Upcall
 * campaign and 50 to a SIP Caller campaign while 30 % of the service's requests fail (5xx before
 * and after the commit, 429 with Retry-After, the connection dropped before and after the commit
 * on kept-alive connections, commits slower than the request timeout) and the service worker is
 * stopped every 20 numbers. The fresh-connection rule is off, so the browser's own re-sends make
 * copies: every number must end in its campaign exactly once.
 */
import type { Page } from '@playwright/test';
import type { ChaosConfig } from '../../sandbox/faults.ts';
import { contactAt } from '../../sandbox/demo/data.ts';
import { openDemo, setUpCampaigns } from './campaign-support.ts';
import { expect, test, type ExtensionHelpers, type SandboxControl } from './fixtures.ts';

test.setTimeout(15 * 60_000);

function chaos(service: string, seed: number): ChaosConfig {
  return {
    service,
    rate: 0.3,
    modes: ['status', 'status-after-commit', 'rate-limit', 'drop-before', 'drop-after', 'slow-commit'],
    status: 503,
    retryAfter: 1,
    seed,
  };
}

async function openThisPage(extension: ExtensionHelpers, tabId: number): Promise<Page> {
  const popup = await extension.openPopup(tabId);
  await popup.goto(`${popup.url()}&view=page`);
  await popup.setViewportSize({ width: 440, height: 640 });
  return popup;
}

function summaryValue(popup: Page, term: string): Promise<string | null> {
  return popup
    .locator('.bulk__summary dt', { hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();
}

/**
 * Clicks Add, stops the worker each time `counter` (numbers done, or numbers looked up) passes 20
 * more, and waits for the summary.
 */
async function runStoppingWorker(
  popup: Page,
  extension: ExtensionHelpers,
  add: string,
  heading: string,
  counter: () => Promise<number>,
): Promise<number> {
  await popup.getByRole('button', { name: add }).click();
  const done = popup.getByRole('heading', { name: heading });
  let stops = 0;
  const deadline = Date.now() + 10 * 60_000;
  while (!(await done.isVisible())) {
    if (Date.now() > deadline) throw new Error('the bulk add did not finish in 10 minutes');
    if ((await counter()) >= (stops + 1) * 20) {
      await extension.stopServiceWorker();
      stops += 1;
    }
    await popup.waitForTimeout(250);
  }
  return stops;
}

/** Waits until no duplicate check is left (each poll also wakes a stopped worker). */
async function waitForChecks(extension: ExtensionHelpers): Promise<void> {
  await expect
    .poll(
      async () => {
        await extension.send('outbox/kick', {});
        return (await extension.send<{ duplicates: { pending: number } }>('outbox/list', {})).value?.duplicates.pending;
      },
      { timeout: 5 * 60_000, intervals: [1_000] },
    )
    .toBe(0);
}

function committedCopies(sandbox: SandboxControl, service: string, path: string): number {
  // Writes the simulator handled beyond what the extension was answered for: made beneath it.
  return sandbox
    .requests({ service, method: 'POST' })
    .filter((r) => r.path.includes(path) && r.handled && (r.fault === 'drop-after' || r.reusedConnection)).length;
}

test('100 numbers to an Upcall campaign through 30% failures and worker stops: each in the campaign once', async ({
  extension,
  sandbox,
}) => {
  await setUpCampaigns(extension);
  await extension.setFreshConnections(false);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=100');
  const popup = await openThisPage(extension, await extension.tabIdOf(page));
  await expect(popup.getByText('100 numbers on this page; 100 selected.')).toBeVisible({ timeout: 20_000 });
  await popup.getByLabel('Campaign').selectOption({ label: 'Spring renewals (ready)' });
  sandbox.sandbox.requests.length = 0;
  sandbox.sandbox.faults.setChaos(chaos('upcall', 20_261_201));

  const progress = popup.getByRole('progressbar', { name: 'Added so far to Spring renewals' });
  const stops = await runStoppingWorker(popup, extension, 'Add 100 to Spring renewals', 'Done: Spring renewals (Upcall)', async () =>
    Number((await progress.getAttribute('value').catch(() => null)) ?? 0),
  );
  expect(stops).toBeGreaterThanOrEqual(4);
  const summary = await popup.locator('.bulk__summary').textContent();
  expect(await summaryValue(popup, 'Added'), summary ?? '').toBe('100');
  sandbox.sandbox.faults.setChaos(undefined);
  await waitForChecks(extension);

  const inCampaign = sandbox
    .state<{ numbers: { phone: string; campaignId: string }[] }>('upcall')
    .numbers.filter((n) => n.campaignId === '1001')
    .map((n) => n.phone);
  const counts = Array.from({ length: 100 }, (_, i) => inCampaign.filter((p) => p === contactAt(i).e164).length);
  expect(counts.filter((n) => n !== 1), 'numbers not in the campaign exactly once').toEqual([]);
  // The run did make copies beneath the extension, and they were removed.
  const requests = sandbox.requests({ service: 'upcall' });
  for (const mode of chaos('upcall', 0).modes) expect(requests.filter((r) => r.fault === mode).length, mode).toBeGreaterThan(0);
  expect(committedCopies(sandbox, 'upcall', '/numbers')).toBeGreaterThan(0);
  console.log(
    `[bulk-duplicates] Upcall: ${requests.length} requests, ${requests.filter((r) => r.method === 'DELETE').length} deletes, worker stopped ${stops} times`,
  );
});

test('50 numbers to a SIP Caller campaign through 30% failures and worker stops: each in the campaign once', async ({
  extension,
  sandbox,
}) => {
  await setUpCampaigns(extension);
  await extension.setFreshConnections(false);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=50');
  const popup = await openThisPage(extension, await extension.tabIdOf(page));
  await expect(popup.getByText('50 numbers on this page; 50 selected.')).toBeVisible({ timeout: 20_000 });
  await popup.getByLabel('Campaign').selectOption({ label: 'Billing follow-ups (Active)' });
  sandbox.sandbox.requests.length = 0;
  sandbox.sandbox.faults.setChaos(chaos('sipcaller', 20_261_202));
  // And the first CSV upload surely dropped after its commit, on the connection its look-ups kept
  // alive: the browser re-sends the whole file.
  sandbox.sandbox.faults.addRule({ service: 'sipcaller', method: 'POST', pathIncludes: '/upload', mode: 'drop-after', count: 1 });

  // Every number is looked up before the CSV upload: stop the worker every 20 look-ups answered.
  const lookups = async () =>
    sandbox.requests({ service: 'sipcaller', method: 'GET' }).filter((r) => r.path.endsWith('/numbers') && r.status === 200).length;
  const stops = await runStoppingWorker(popup, extension, 'Add 50 to Billing follow-ups', 'Done: Billing follow-ups (SIP Caller)', lookups);
  expect(stops).toBeGreaterThanOrEqual(2);
  // +16505550100 (row 0) is in Billing follow-ups already.
  expect(Number(await summaryValue(popup, 'Added')) + Number(await summaryValue(popup, 'Already there'))).toBe(50);
  expect(await summaryValue(popup, 'Already there')).toBe('1');
  sandbox.sandbox.faults.setChaos(undefined);
  await waitForChecks(extension);

  const inCampaign = sandbox
    .state<{ numbers: { number: string; campaignId: string }[] }>('sipcaller')
    .numbers.filter((n) => n.campaignId === 'cmp-102')
    .map((n) => n.number);
  const counts = Array.from({ length: 50 }, (_, i) => inCampaign.filter((p) => p === contactAt(i).e164).length);
  expect(counts.filter((n) => n !== 1), 'numbers not in the campaign exactly once').toEqual([]);
  const requests = sandbox.requests({ service: 'sipcaller' });
  const uploads = requests.filter((r) => r.path.endsWith('/upload'));
  expect(uploads[0]).toMatchObject({ fault: 'drop-after', reusedConnection: true });
  expect(requests.filter((r) => r.method === 'DELETE').length).toBeGreaterThan(0);
  console.log(
    `[bulk-duplicates] SIP Caller: ${requests.length} requests, ${requests.filter((r) => r.method === 'DELETE').length} deletes, worker stopped ${stops} times`,
  );
});
