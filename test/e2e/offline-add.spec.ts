/**
 * Adds made while a service cannot be reached: the panel says they are queued, Activity lists
 * them, and once the service is back (the sandbox stops dropping connections) the outbox delivers
 * them — also after the service worker was stopped meanwhile — exactly once, with a notification.
 */
import { expectNotification, openCampaignView, openDemo, setUpCampaigns } from './campaign-support.ts';
import { expect, test } from './fixtures.ts';

test('adds made while the services are unreachable are queued, shown in Activity, and delivered when they recover', async ({
  extension,
  sandbox,
}) => {
  test.setTimeout(180_000);
  await setUpCampaigns(extension);
  const page = await openDemo(extension, sandbox, '/demo/contacts?rows=20');

  // "Offline": every request to Upcall and SIP Caller has its connection dropped.
  sandbox.sandbox.faults.addRule({ service: 'upcall', mode: 'drop-before', count: 100_000 });
  sandbox.sandbox.faults.addRule({ service: 'sipcaller', mode: 'drop-before', count: 100_000 });
  sandbox.sandbox.requests.length = 0;

  let view = await openCampaignView(page, '(650) 555-0100');
  await view
    .getByRole('group', { name: 'Upcall' })
    .getByRole('radio', { name: /^Spring renewals/ })
    .check();
  await view.getByRole('button', { name: 'Add to Spring renewals' }).click();
  await expect(view.getByRole('status')).toHaveText(
    'Queued: +1 650-555-0100 will be added to Spring renewals when Upcall can be reached.',
  );
  await view.getByRole('button', { name: 'Done' }).click();

  view = await openCampaignView(page, '415-555-0100');
  await view
    .getByRole('group', { name: 'SIP Caller' })
    .getByRole('radio', { name: /^Feedback calls/ })
    .check();
  await view.getByRole('button', { name: 'Add to Feedback calls' }).click();
  await expect(view.getByRole('status')).toHaveText(
    'Queued: +1 415-555-0100 will be added to Feedback calls when SIP Caller can be reached.',
  );
  await expectNotification(
    extension,
    'Queued: +1 415-555-0100 will be added to Feedback calls when SIP Caller can be reached.',
  );

  // Nothing reached the services.
  expect(sandbox.requests({ service: 'upcall' }).every((r) => r.fault === 'drop-before')).toBe(true);

  const popup = await extension.openPopup();
  await popup.goto(popup.url().replace(/popup\.html.*$/, 'popup.html?view=activity'));
  const outbox = popup.getByRole('list', { name: 'Outbox' });
  const upcallEntry = outbox.getByRole('listitem').filter({ hasText: '+1 650-555-0100 → Spring renewals (Upcall)' });
  const sipEntry = outbox.getByRole('listitem').filter({ hasText: '+1 415-555-0100 → Feedback calls (SIP Caller)' });
  await expect(upcallEntry).toContainText('Queued');
  await expect(sipEntry).toContainText('Queued');
  await expect(upcallEntry).toContainText('Add to campaign: Ada Abbott, Northwind Traders');
  await popup.close();

  // The worker is stopped while they wait, then the services come back.
  await extension.stopServiceWorker();
  sandbox.sandbox.faults.reset();
  // Opening the popup wakes delivery (as the outbox's alarm would, within 30 s).
  const again = await extension.openPopup();
  await again.goto(again.url().replace(/popup\.html.*$/, 'popup.html?view=activity'));

  await expect
    .poll(() => sandbox.requests({ service: 'upcall', method: 'POST' }).filter((r) => r.status === 201).length, {
      timeout: 120_000,
    })
    .toBe(1);
  await expect
    .poll(
      () =>
        sandbox.requests({ service: 'sipcaller', method: 'POST' }).filter((r) => r.status === 200 || r.status === 201)
          .length,
      {
        timeout: 120_000,
      },
    )
    .toBe(1);
  await expectNotification(extension, 'Added +1 650-555-0100 to Spring renewals (Upcall).', 30_000);
  await expectNotification(extension, 'Added +1 415-555-0100 to Feedback calls (SIP Caller).', 30_000);
  const upcallNumbers = sandbox.state<{ numbers: { phone: string; campaignId: string }[] }>('upcall').numbers;
  expect(upcallNumbers.filter((n) => n.phone === '+16505550100' && n.campaignId === '1001')).toHaveLength(1);
  await expect(
    again.getByRole('list', { name: 'Outbox' }).getByRole('listitem').filter({ hasText: 'Spring renewals (Upcall)' }),
  ).toContainText('Sent', { timeout: 15_000 });
});
