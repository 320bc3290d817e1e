/**
 * Copies made beneath the extension, against the sandbox's kept-alive connections (issue 10):
 * Chromium re-sends a request whose reused connection closes before any answer, and `fetch`
 * reports only the second answer. With the fresh-connection rule on (as shipped) a request never
 * goes out on a reused connection, so it is never re-sent; with it off (as over HTTP/2 or a
 * pooling proxy, where the rule cannot act) the copies are made, then found and removed: a CRM
 * note by its marker, a second click-to-call cancelled before it calls anyone.
 */
import type { Page } from '@playwright/test';
import { contactId, phoneAt } from '../../sandbox/demo/data.ts';
import type { StoredCall } from '../../sandbox/services/crm.ts';
import { expect, test, type ExtensionHelpers, type SandboxControl } from './fixtures.ts';
import { crmCalls, logThroughPopup, type ChaosNote } from './outbox-driver.ts';

test.setTimeout(5 * 60_000);

interface Listed {
  entries: { id: string; state: string; title: string; detail: string; duplicatesRemoved: string[] }[];
  duplicates: { pending: number; removed: { sentence: string; sourceKind: string }[] };
}

function note(index: number, run: string): ChaosNote {
  return { index, phone: phoneAt(index).display, contact: contactId(0), text: `Note ${index} of ${run}.` };
}

function callsWith(sandbox: SandboxControl, text: string): StoredCall[] {
  return crmCalls(sandbox.sandbox).filter((call) => call.text.startsWith(text));
}

function postsOf(sandbox: SandboxControl, text: string) {
  return sandbox
    .requests({ service: 'crm', method: 'POST' })
    .filter((r) => String((r.body as { text?: string } | undefined)?.text ?? '').startsWith(text));
}

async function listed(extension: ExtensionHelpers): Promise<Listed> {
  await extension.send('outbox/kick', {});
  return (await extension.send<Listed>('outbox/list', {})).value!;
}

/** Saves the note, then waits until the outbox has delivered it. */
async function logAndDeliver(popup: Page, extension: ExtensionHelpers, n: ChaosNote): Promise<void> {
  await logThroughPopup(popup, n);
  await expect
    .poll(async () => (await listed(extension)).entries.some((e) => e.detail === n.text && e.state === 'sent'), {
      timeout: 60_000,
    })
    .toBe(true);
}

test('a POST dropped after the commit: never re-sent on a fresh connection; on a reused one, the copy is removed', async ({
  extension,
  sandbox,
}) => {
  await extension.configureSandbox();
  const popup = await extension.openPopup();
  const run = `run-${Date.now()}`;

  // As shipped: every request of the extension asks for its connection to be closed after it.
  await logAndDeliver(popup, extension, note(1, run));
  sandbox.sandbox.faults.addRule({ service: 'crm', method: 'POST', mode: 'drop-after', count: 1 });
  await logAndDeliver(popup, extension, note(2, run));
  expect(postsOf(sandbox, `Note 2 of ${run}.`)).toHaveLength(1);
  expect(sandbox.requests({ service: 'crm' }).filter((r) => r.reusedConnection)).toEqual([]);
  // The lost answer was reconciled: the note is in the CRM once, and nothing was deleted.
  expect(callsWith(sandbox, `Note 2 of ${run}.`)).toHaveLength(1);

  // Where the rule cannot act, connections are reused and the browser re-sends the dropped POST.
  await extension.setFreshConnections(false);
  await logAndDeliver(popup, extension, note(3, run));
  sandbox.sandbox.faults.addRule({ service: 'crm', method: 'POST', mode: 'drop-after', count: 1 });
  await logAndDeliver(popup, extension, note(4, run));
  const resent = postsOf(sandbox, `Note 4 of ${run}.`);
  expect(resent.map((r) => [r.fault ?? 'answered', r.reusedConnection])).toEqual([
    ['drop-after', true],
    ['answered', false],
  ]);
  expect(callsWith(sandbox, `Note 4 of ${run}.`)).toHaveLength(2);

  // The duplicate check finds the second copy by its marker and deletes it, keeping the one the
  // outbox was answered with.
  await expect.poll(() => callsWith(sandbox, `Note 4 of ${run}.`).length, { timeout: 90_000 }).toBe(1);
  const deletes = sandbox.requests({ service: 'crm', method: 'DELETE' });
  expect(deletes).toHaveLength(1);
  for (const i of [1, 2, 3, 4]) expect(callsWith(sandbox, `Note ${i} of ${run}.`), `note ${i}`).toHaveLength(1);

  // Activity says what was removed, and where.
  await popup.getByRole('tab', { name: 'Activity' }).click();
  const row = popup.locator('li.outbox-entry').filter({ hasText: `Note 4 of ${run}.` });
  await expect(row).toContainText(/Duplicate removed: a second copy of the note for \+1 [\d ]+ on contact \w+ was deleted from the CRM \(call \w+\); \w+ is kept\./);
  await popup.screenshot({ path: '/tmp/activity-duplicate-removed.png', fullPage: true });
});

test('a click-to-call whose POST the browser re-sends: the second one is cancelled at once', async ({
  extension,
  sandbox,
}) => {
  await extension.configureSandbox();
  const current = await extension.send<{ settings: Record<string, Record<string, unknown>> }>('settings/get', {});
  const settings = current.value!.settings;
  const saved = await extension.send<{ ok: boolean }>('settings/save', {
    settings: { ...settings, multisender: { ...settings.multisender, voiceFileId: '101', voiceFileName: 'Callback request (EN)' } },
    secrets: {},
  });
  expect(saved.value?.ok, JSON.stringify(saved)).toBe(true);
  await extension.setFreshConnections(false);
  const popup = await extension.context.newPage();
  await popup.setViewportSize({ width: 420, height: 760 });
  await popup.goto(`chrome-extension://${extension.id}/popup.html?view=click-to-call`);
  await popup.getByLabel('Number to call').fill('+1 212 555 0147');
  await popup.getByRole('button', { name: 'Review call' }).click();
  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await expect(confirm.getByRole('button', { name: 'Confirm and call' })).toBeEnabled();

  // A request on a kept-alive connection first, as any earlier use of the service leaves one.
  expect((await extension.send<unknown[]>('multisender/voice-files', {})).ok).toBe(true);
  const before = sandbox.state<{ clickToCalls: unknown[] }>('multisender').clickToCalls.length;
  sandbox.sandbox.faults.addRule({
    service: 'multisender',
    method: 'POST',
    pathIncludes: '/click_to_calls',
    mode: 'drop-after',
    count: 1,
  });
  await confirm.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(popup.getByRole('group', { name: 'Click-to-call placed' }).getByRole('status')).toContainText(
    'Placed: Multisender will call +1 212 555 0147',
  );
  const created = sandbox
    .requests({ service: 'multisender', method: 'POST' })
    .filter((r) => r.path === '/click_to_calls');
  // Two creates reached Multisender for one confirmation: the browser's re-send of the first.
  expect(created.map((r) => [r.fault ?? 'answered', r.reusedConnection])).toEqual([
    ['drop-after', true],
    ['answered', false],
  ]);

  // The copy is cancelled straight away; one click-to-call is left to call the person.
  await expect
    .poll(() => sandbox.state<{ clickToCalls: unknown[] }>('multisender').clickToCalls.length, { timeout: 15_000 })
    .toBe(before + 1);
  expect(sandbox.requests({ service: 'multisender', method: 'DELETE' })).toHaveLength(1);
  const requestId = (created[0]!.body as { meta: { requestId: string } }).meta.requestId;
  const left = sandbox
    .state<{ clickToCalls: { meta?: { requestId?: string } }[] }>('multisender')
    .clickToCalls.filter((c) => c.meta?.requestId === requestId);
  expect(left).toHaveLength(1);

  await popup.getByRole('tab', { name: 'Activity' }).click();
  await expect(popup.getByRole('region', { name: 'Duplicates removed' })).toContainText(
    'Duplicate removed: a second copy of the click-to-call to +12125550147 was cancelled at Multisender before it could call',
  );
});
