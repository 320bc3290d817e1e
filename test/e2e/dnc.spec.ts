/**
 * Duplicates and do-not-call, in Chromium through the built extension and the sandbox: a number
 * already in a campaign is reported and not added twice; a number on the user's list, in
 * Call-Em-All's opt-outs or marked `dnc` by Upcall is blocked with where it was found, and nothing
 * is sent, unless the user overrides that one number deliberately.
 */
import {
  clickMenuItem,
  expectNotification,
  notifications,
  openCampaignView,
  openDemo,
  setUpCampaigns,
} from './campaign-support.ts';
import { expect, test, type ExtensionHelpers } from './fixtures.ts';

async function blankTab(extension: ExtensionHelpers): Promise<number> {
  const blank = await extension.context.newPage();
  await blank.goto('about:blank');
  const worker = await extension.worker();
  return worker.evaluate(async () => (await chrome.tabs.query({ url: 'about:blank' }))[0]?.id ?? -1);
}

test('a number on the do-not-call list in options is blocked, says why, and is sent only when overridden', async ({
  extension,
  sandbox,
}) => {
  await setUpCampaigns(extension);
  const options = await extension.openOptions();
  await options.getByLabel('Do-not-call number').fill('(650) 555-0100');
  await options.getByLabel('Do-not-call note (optional)').fill('Asked not to be called');
  await options.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(options.getByRole('list', { name: 'Numbers you added' })).toContainText(
    '+1 650-555-0100 · Asked not to be called',
  );
  await options
    .getByRole('region', { name: 'Do-not-call list' })
    .screenshot({ path: '/tmp/options-dnc-list.png' })
    .catch(() => undefined);

  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=20');
  sandbox.sandbox.requests.length = 0;
  const view = await openCampaignView(page, '(650) 555-0100');
  await expect(view.getByRole('alert')).toHaveText(
    /^\+1 650-555-0100 is on the do-not-call list: your do-not-call list \(added \d{4}-\d\d-\d\d: “Asked not to be called”\)\.$/,
  );
  await view
    .getByRole('group', { name: 'Upcall' })
    .getByRole('radio', { name: /^Spring renewals/ })
    .check();
  const add = view.getByRole('button', { name: 'Add to Spring renewals' });
  await expect(add).toBeDisabled();
  await expect(view).toContainText('Nothing is sent unless you tick the box above.');
  await page.screenshot({ path: '/tmp/campaign-panel-dnc.png' });
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toEqual([]);

  // One number, deliberately.
  await view
    .getByRole('checkbox', { name: 'Add this number anyway: I have checked that this person may be called.' })
    .check();
  await add.click();
  await expect(view.getByRole('status')).toHaveText('Added +1 650-555-0100 to Spring renewals (Upcall).');
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toHaveLength(1);

  // Removed from the list, it is no longer blocked.
  await options.getByRole('button', { name: 'Remove +1 650-555-0100' }).click();
  await expect(options.getByText('Your list is empty.')).toBeVisible();
  const check = await extension.send<{ blocked: boolean }>('campaigns/check', { e164: '+16505550100' });
  expect(check.value?.blocked).toBe(false);
});

test('Call-Em-All’s opt-outs block a number for every service; nothing is sent', async ({ extension, sandbox }) => {
  await setUpCampaigns(extension);
  // The opt-outs were synced when the settings were saved.
  const list = await extension.send<{ callEmAll: { count: number } }>('dnc/list', {});
  expect(list.value?.callEmAll.count).toBeGreaterThan(0);
  const tabId = await blankTab(extension);
  sandbox.sandbox.requests.length = 0;

  await clickMenuItem(extension, { menuItemId: 'campaign|upcall|1001', selectionText: '214-555-0199' }, tabId);
  await expectNotification(
    extension,
    '+1 214-555-0199 is on the do-not-call list: Call-Em-All opt-outs (opted out 2020-10-05). Nothing was sent.',
  );
  expect((await notifications(extension)).at(-1)!.title).toBe('Not added: do-not-call');
  expect(sandbox.requests({ service: 'upcall' })).toEqual([]);
});

test('a number Upcall marks dnc is reported, not added, and blocked from then on', async ({ extension, sandbox }) => {
  await setUpCampaigns(extension);
  sandbox.control('upcall', 'mark-dnc', { campaignId: '1001', phone: '+16505550100' });
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=20');
  sandbox.sandbox.requests.length = 0;

  let view = await openCampaignView(page, '(650) 555-0100');
  await view
    .getByRole('group', { name: 'Upcall' })
    .getByRole('radio', { name: /^Spring renewals/ })
    .check();
  await view.getByRole('button', { name: 'Add to Spring renewals' }).click();
  await expect(view.getByRole('status')).toHaveText(
    /^Upcall marks \+16505550100 do-not-call in this campaign \(number \d+\); it was not added\.$/,
  );
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toEqual([]);
  await view.getByRole('button', { name: 'Done' }).click();

  // Screening now knows it, for every campaign and service.
  view = await openCampaignView(page, '(650) 555-0100');
  await expect(view.getByRole('alert')).toHaveText(
    /^\+1 650-555-0100 is on the do-not-call list: Upcall marked it do-not-call in Spring renewals \(seen \d{4}-\d\d-\d\d\)\.$/,
  );
});

test('a number already in the campaign is reported and never added twice, on each service', async ({
  extension,
  sandbox,
}) => {
  await setUpCampaigns(extension);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=20');
  sandbox.sandbox.requests.length = 0;

  // Upcall: added once, then reported.
  for (const expected of [
    'Added +1 650-555-0100 to Spring renewals (Upcall).',
    '+1 650-555-0100 is already in Spring renewals (Upcall); it was not added again.',
  ]) {
    const view = await openCampaignView(page, '(650) 555-0100');
    await view
      .getByRole('group', { name: 'Upcall' })
      .getByRole('radio', { name: /^Spring renewals/ })
      .check();
    await view.getByRole('button', { name: 'Add to Spring renewals' }).click();
    await expect(view.getByRole('status')).toHaveText(expected);
    await view.getByRole('button', { name: 'Done' }).click();
  }
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toHaveLength(1);
  await expectNotification(
    extension,
    '+1 650-555-0100 is already in Spring renewals (Upcall); it was not added again.',
  );
  expect((await notifications(extension)).at(-1)!.title).toBe('Already in Spring renewals');

  // SIP Caller: the sandbox has +16505550100 in Billing follow-ups already.
  const view = await openCampaignView(page, '(650) 555-0100');
  await view
    .getByRole('group', { name: 'SIP Caller' })
    .getByRole('radio', { name: /^Billing follow-ups/ })
    .check();
  await view.getByRole('button', { name: 'Add to Billing follow-ups' }).click();
  await expect(view.getByRole('status')).toHaveText(
    '+1 650-555-0100 is already in Billing follow-ups (SIP Caller); it was not added again.',
  );
  expect(sandbox.requests({ service: 'sipcaller', method: 'POST' })).toEqual([]);

  // Call-Em-All: Bob White (585) 555-0337 is in Spring Renewals.
  await clickMenuItem(
    extension,
    { menuItemId: 'campaign|callemall|31', selectionText: '585-555-0337' },
    await blankTab(extension),
  );
  await expectNotification(
    extension,
    '+1 585-555-0337 is already in Spring Renewals (Call-Em-All); it was not added again.',
  );
  expect(sandbox.requests({ service: 'callemall', method: 'POST' })).toEqual([]);
});
