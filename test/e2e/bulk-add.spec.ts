/**
 * Bulk adds from the popup's "This page" tab, in Chromium through the built extension and the
 * sandbox: 500 numbers from a demo contact list to Upcall while the sandbox answers some requests
 * with 429 and 5xx (the popup and the page stay responsive, closing the popup does not stop it,
 * the summary is right and every number is in the campaign once); SIP Caller through its CSV
 * upload; Call-Em-All's refusals with their reason, and Cancel.
 */
import type { Page } from '@playwright/test';
import { contactAt } from '../../sandbox/demo/data.ts';
import { expectNotification, openDemo, setUpCampaigns } from './campaign-support.ts';
import { expect, test, type ExtensionHelpers } from './fixtures.ts';

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

test('500 numbers from a page go to Upcall through 429s and 5xx, with a correct summary', async ({
  extension,
  sandbox,
}) => {
  test.setTimeout(240_000);
  await setUpCampaigns(extension);
  const blocked = contactAt(10);
  const already = contactAt(20);
  expect((await extension.send<{ ok: boolean }>('dnc/add', { number: blocked.e164 })).value?.ok).toBe(true);
  const pre = await extension.send<{ status: string }>('campaigns/add', {
    service: 'upcall',
    campaignId: '1001',
    contact: { e164: already.e164 },
  });
  expect(pre.value?.status).toBe('added');

  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=500');
  const tabId = await extension.tabIdOf(page);
  let popup = await openThisPage(extension, tabId);
  await expect(popup.getByText('500 numbers on this page; 500 selected.')).toBeVisible({ timeout: 20_000 });
  await expect(popup.getByRole('checkbox', { name: 'Select all (500)' })).toBeChecked();
  await expect(
    popup.getByText('1 of the selected numbers is on the do-not-call list and will be skipped.', { exact: false }),
  ).toBeVisible();
  await popup.getByLabel('Campaign').selectOption({ label: 'Spring renewals (ready)' });
  await popup.screenshot({ path: '/tmp/this-page-list.png' });

  sandbox.sandbox.requests.length = 0;
  sandbox.sandbox.faults.setChaos({
    service: 'upcall',
    rate: 0.05,
    modes: ['rate-limit', 'status', 'status-after-commit'],
    status: 503,
    retryAfter: 1,
    seed: 20241122,
  });
  await popup.getByRole('button', { name: 'Add 500 to Spring renewals' }).click();

  // Progress keeps arriving; the page and the popup answer at once meanwhile.
  const progress = popup.getByRole('progressbar', { name: 'Added so far to Spring renewals' });
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(60);
  const seen: number[] = [];
  for (let i = 0; i < 6; i += 1) {
    const began = Date.now();
    const title = await page.evaluate(() => document.title);
    expect(title).toContain('Contacts');
    expect(Date.now() - began).toBeLessThan(1_000);
    seen.push(Number(await progress.getAttribute('value')));
    await popup.waitForTimeout(300);
  }
  expect(seen.at(-1)!).toBeGreaterThan(seen[0]!);
  await popup.screenshot({ path: '/tmp/bulk-progress.png' });

  // Closing the popup does not stop it; opening it again shows where it is.
  await popup.close();
  popup = await openThisPage(extension, tabId);
  await expect(popup.getByRole('heading', { name: /^(Adding to|Done:) Spring renewals \(Upcall\)$/ })).toBeVisible();

  await expect(popup.getByRole('heading', { name: 'Done: Spring renewals (Upcall)' })).toBeVisible({
    timeout: 180_000,
  });
  await popup.screenshot({ path: '/tmp/bulk-summary.png' });
  // Row 10 is on the local list; row 276 (+1 650-555-0123) is seeded in Upcall as `dnc`.
  expect(await summaryValue(popup, 'Added')).toBe('497');
  expect(await summaryValue(popup, 'Already there')).toBe('1');
  expect(await summaryValue(popup, 'Blocked as do-not-call')).toBe('2');
  expect(await summaryValue(popup, 'Failed')).toBe('0');
  await expect(popup.getByRole('status')).toHaveText('500 of 500 done');
  await popup.getByText('Blocked as do-not-call (2)').click();
  await expect(popup.locator('.bulk__blocked')).toContainText(
    '+1 404-555-0100 is on the do-not-call list: your do-not-call list',
  );
  await expect(popup.locator('.bulk__blocked')).toContainText('Upcall marks +16505550123 do-not-call in this campaign');

  // The sandbox was really hostile, and the campaign holds every number once.
  const faults = sandbox.requests({ service: 'upcall' }).filter((r) => r.fault);
  expect(faults.filter((r) => r.fault === 'rate-limit').length).toBeGreaterThan(0);
  expect(faults.filter((r) => r.fault === 'status' || r.fault === 'status-after-commit').length).toBeGreaterThan(0);
  const inCampaign = sandbox
    .state<{ numbers: { phone: string; campaignId: string }[] }>('upcall')
    .numbers.filter((n) => n.campaignId === '1001')
    .map((n) => n.phone);
  for (let i = 0; i < 500; i += 1) {
    const { e164 } = contactAt(i);
    // The `dnc` one is Upcall's own record, not ours.
    expect(
      inCampaign.filter((p) => p === e164),
      e164,
    ).toHaveLength(i === 10 ? 0 : 1);
  }
  await expectNotification(
    extension,
    'Spring renewals (Upcall): 497 added, 1 already there, 2 blocked as do-not-call.',
  );
  sandbox.sandbox.faults.setChaos(undefined);
});

test('a bulk add to SIP Caller looks each number up and uploads the new ones as CSV', async ({
  extension,
  sandbox,
}) => {
  await setUpCampaigns(extension);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=30');
  const popup = await openThisPage(extension, await extension.tabIdOf(page));
  await expect(popup.getByText('30 numbers on this page; 30 selected.')).toBeVisible();
  await popup.getByLabel('Campaign').selectOption({ label: 'Billing follow-ups (Active)' });
  sandbox.sandbox.requests.length = 0;
  await popup.getByRole('button', { name: 'Add 30 to Billing follow-ups' }).click();
  await expect(popup.getByRole('heading', { name: 'Done: Billing follow-ups (SIP Caller)' })).toBeVisible({
    timeout: 60_000,
  });
  // +16505550100 (row 0) is in Billing follow-ups already.
  expect(await summaryValue(popup, 'Added')).toBe('29');
  expect(await summaryValue(popup, 'Already there')).toBe('1');
  const writes = sandbox.requests({ service: 'sipcaller', method: 'POST' });
  expect(writes.map((r) => [r.path, r.query])).toEqual([
    ['/accounts/acc-5001/campaigns/cmp-102/numbers/upload', { firstRowIsHeader: 'false', varCount: '2' }],
  ]);
  const csv = String(writes[0]!.body);
  // The multipart body: the file's rows are the lines that start with a number.
  expect(csv.split(/\r?\n/).filter((line) => line.startsWith('+'))).toHaveLength(29);
  expect(csv).toContain(`${contactAt(1).e164},Ben,Acme Tools`);
  expect(csv).not.toContain(contactAt(0).e164);
});

test('a bulk add to Call-Em-All says why numbers outside North America fail, and Cancel stops sending', async ({
  extension,
  sandbox,
}) => {
  test.setTimeout(120_000);
  await setUpCampaigns(extension);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=40');
  const popup = await openThisPage(extension, await extension.tabIdOf(page));
  await expect(popup.getByText('40 numbers on this page; 40 selected.')).toBeVisible();
  await popup.getByLabel('Campaign').selectOption({ label: 'Callback Requests (User list)' });

  // Slow answers, so there is time to cancel half-way.
  sandbox.sandbox.faults.addRule({ service: 'callemall', method: 'POST', mode: 'delay', delayMs: 150, count: 10_000 });
  await popup.getByRole('button', { name: 'Add 40 to Callback Requests' }).click();
  const progress = popup.getByRole('progressbar', { name: 'Added so far to Callback Requests' });
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(8);
  await popup.getByRole('button', { name: 'Cancel' }).click();
  await expect(popup.getByRole('heading', { name: 'Cancelled: Callback Requests (Call-Em-All)' })).toBeVisible({
    timeout: 30_000,
  });

  const added = Number(await summaryValue(popup, 'Added'));
  const failed = Number(await summaryValue(popup, 'Failed'));
  const notSent = Number(await summaryValue(popup, 'Not sent \\(cancelled\\)'));
  expect(added).toBeGreaterThan(0);
  expect(added + failed + notSent).toBe(40);
  expect(notSent).toBeGreaterThan(0);
  // Rows 9, 19, 29 and 39 are abroad: refused before any request, with the reason.
  await expect(popup.getByRole('region', { name: 'Why some failed' })).toContainText(
    'Call-Em-All refused the request: +442079460000 is not a US or Canadian (+1) number',
  );
  // What the summary says was added is what the list holds; nothing more was sent after Cancel.
  const state = sandbox.state<{ lists: { ListID: number; members: number[] }[] }>('callemall');
  expect(state.lists.find((l) => l.ListID === 35)!.members).toHaveLength(added);
  const sent = sandbox.requests({ service: 'callemall', method: 'POST', pathIncludes: '/lists/35/contacts' }).length;
  await popup.waitForTimeout(1_000);
  expect(sandbox.requests({ service: 'callemall', method: 'POST', pathIncludes: '/lists/35/contacts' })).toHaveLength(
    sent,
  );
});
