/**
 * Click-to-call via Multisender (issue 5) in Chromium against the sandbox: created from the
 * page's number button and from the popup (the body Multisender receives is the documented one),
 * invalid defaults refused with nothing sent, an unreachable service shown with Retry (never
 * queued, never placed twice), statuses changed in the sandbox followed in Activity with
 * notifications, Cancel sending DELETE, and "Log this call" prefilling the form.
 */
import type { Page } from '@playwright/test';
import { DB_NAME } from '../../lib/db.ts';
import { contactAt } from '../../sandbox/demo/data.ts';
import { expect, test, type ExtensionHelpers, type SandboxControl } from './fixtures.ts';

const CONTACT = contactAt(0);
const MOBILE = CONTACT.phoneDisplay; // "(650) 555-0100" → +16505550100
const UK = '+442079460958';

interface Defaults {
  voiceFileId: string;
  voiceFileName: string;
  activeFrom: string;
  activeTo: string;
  activeWeekdays: number[];
  acceptKey: string;
  declineKey: string;
  maxRedials: number;
  expiryHours: number;
}

const DEFAULTS: Defaults = {
  voiceFileId: '101',
  voiceFileName: 'Callback request (EN)',
  activeFrom: '08:00',
  activeTo: '20:30',
  activeWeekdays: [1, 2, 3, 4, 5, 6],
  acceptKey: '1',
  declineKey: '2',
  maxRedials: 2,
  expiryHours: 24,
};

/** The sandbox for every service, and these Multisender defaults, through the real settings/save. */
async function setUp(extension: ExtensionHelpers, defaults: Partial<Defaults> = {}): Promise<void> {
  await extension.configureSandbox();
  const current = await extension.send<{ settings: Record<string, Record<string, unknown>> }>('settings/get', {});
  const settings = current.value!.settings;
  const saved = await extension.send<{ ok: boolean }>('settings/save', {
    settings: { ...settings, multisender: { ...settings.multisender, ...DEFAULTS, ...defaults } },
    secrets: {},
  });
  expect(saved.value?.ok, JSON.stringify(saved)).toBe(true);
}

function posts(sandbox: SandboxControl) {
  return sandbox.requests({ service: 'multisender', method: 'POST' }).filter((r) => r.path === '/click_to_calls');
}

/** The documented POST /click_to_calls body for DEFAULTS, placed between `before` and `after`. */
function expectDocumentedBody(body: unknown, receivers: string[], before: number, after: number): void {
  const record = body as Record<string, unknown>;
  expect(record).toEqual({
    expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    activeFrom: '08:00:00',
    activeTo: '20:30:00',
    activeWeekdays: [
      { weekday: 'monday', active: '1' },
      { weekday: 'tuesday', active: '1' },
      { weekday: 'wednesday', active: '1' },
      { weekday: 'thursday', active: '1' },
      { weekday: 'friday', active: '1' },
      { weekday: 'saturday', active: '1' },
      { weekday: 'sunday', active: '0' },
    ],
    voiceFileId: 101,
    actionButtons: [
      { button: '1', action: 'accept' },
      { button: '2', action: 'decline' },
    ],
    receivers: receivers.map((phone) => ({ phone })),
    maxRedials: 2,
    meta: { createdBy: 'CRM Call Companion', requestId: expect.stringMatching(/^[\w-]{8,64}$/) },
  });
  // expiresAt is UTC, expiryHours after the moment it was placed.
  const expires = Date.parse(`${String(record.expiresAt).replace(' ', 'T')}Z`);
  expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 24 * 3_600_000);
  expect(expires).toBeLessThanOrEqual(after + 24 * 3_600_000);
}

async function openRecord(extension: ExtensionHelpers, sandbox: SandboxControl): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${CONTACT.id}`);
  return page;
}

/** Opens the number's menu and chooses Click-to-call; returns the confirmation view. */
async function openInPagePanel(page: Page, label = MOBILE) {
  await page
    .getByRole('button', { name: `Call actions for ${label}`, exact: true })
    .first()
    .click();
  await page.getByRole('menuitem', { name: 'Click-to-call via Multisender' }).click();
  return page.getByRole('group', { name: `Click-to-call ${label} via Multisender` });
}

async function openPopupAt(extension: ExtensionHelpers, query: string): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.setViewportSize({ width: 420, height: 760 });
  await popup.goto(`chrome-extension://${extension.id}/popup.html${query}`);
  return popup;
}

test('from the page button: the confirmation, then the documented body at Multisender', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const page = await openRecord(extension, sandbox);
  const panel = await openInPagePanel(page);

  await expect(panel.getByRole('listitem').first()).toContainText('+1 650 555 0100');
  await expect(panel).toContainText('Ada Abbott, Northwind Traders');
  // The contact's local time (area code 650: California) and the do-not-call screening.
  await expect(panel).toContainText(/It is \d\d:\d\d on \w+day in .*Los_Angeles/);
  await expect(panel).toContainText('Not on any do-not-call list.');
  await expect(panel.locator('dl')).toContainText('Voice fileCallback request (EN)');
  await expect(panel.locator('dl')).toContainText('Hours08:00–20:30, Mon–Sat');
  await expect(panel.locator('dl')).toContainText('Keys1 accepts · 2 declines');

  // A further number, called if the first does not accept.
  await panel.getByLabel('Further numbers, in order (optional)').fill('+44 20 7946 0958');
  // Typed but not checked yet: nothing unchecked is ever sent.
  await expect(panel.getByRole('button', { name: 'Confirm and call' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Update list' }).click();
  await expect(panel.getByRole('listitem')).toHaveCount(2);
  await expect(panel.getByRole('listitem').nth(1)).toContainText('+44 20 7946 0958 · then #2');
  await expect(panel.getByLabel('Further numbers, in order (optional)')).toBeFocused();
  await page.screenshot({ path: '/tmp/ctc-page-confirmation.png' });
  expect(posts(sandbox)).toEqual([]);

  const before = Date.now();
  await panel.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(panel.getByRole('status')).toHaveText(
    "Placed: Multisender will call +1 650 555 0100 during its active hours (08:00–20:30, Mon–Sat). Follow it in the extension's Activity tab.",
  );
  const after = Date.now();
  expect(posts(sandbox)).toHaveLength(1);
  expectDocumentedBody(posts(sandbox)[0]!.body, ['+16505550100', UK], before, after);
  await page.screenshot({ path: '/tmp/ctc-page-placed.png' });

  // Done closes the panel and gives focus back to the number's button.
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(panel).toBeHidden();

  const popup = await openPopupAt(extension, '?view=activity');
  const item = popup.getByRole('list', { name: 'Click-to-calls' }).getByRole('listitem').first();
  await expect(item).toContainText('+1 650 555 0100 +1 more');
  await expect(item).toContainText('Calling');
});

/** What the background showed as notifications (the e2e build records them: lib/background/notifications.ts). */
async function notifications(extension: ExtensionHelpers): Promise<{ id: string; title: string; message: string }[]> {
  const worker = await extension.worker();
  const { shown, recorded } = await worker.evaluate(async (dbName) => {
    const ids = Object.keys(await chrome.notifications.getAll());
    const list = await new Promise<{ id: string; title: string; message: string }[]>((resolve, reject) => {
      const open = indexedDB.open(dbName);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction('meta').objectStore('meta').get('e2e/notifications');
        get.onsuccess = () => {
          open.result.close();
          resolve((get.result as { id: string; title: string; message: string }[] | undefined) ?? []);
        };
        get.onerror = () => reject(get.error);
      };
    });
    return { shown: ids, recorded: list };
  }, DB_NAME);
  const ours = recorded.filter((n) => n.id.startsWith('click-to-call:'));
  // Each recorded one was also handed to the browser's notification centre.
  for (const notice of ours) expect(shown).toContain(notice.id);
  return ours;
}

test('from the popup: live status in Activity, a notification on accept, Log this call prefills the form', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const popup = await openPopupAt(extension, '');
  await popup.getByRole('tab', { name: 'Click-to-call' }).click();
  await popup.getByLabel('Number to call').fill('+1 212 555 0147');
  await popup.getByLabel('Further numbers, in order (optional)').fill('(415) 555-2671\nnot a number');
  await popup.getByRole('button', { name: 'Review call' }).click();

  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await expect(confirm.getByRole('listitem')).toHaveCount(3);
  await expect(confirm.getByRole('listitem').nth(0)).toContainText('+1 212 555 0147 · first');
  await expect(confirm.getByRole('listitem').nth(0)).toContainText(/in .*New_York/);
  await expect(confirm.getByRole('listitem').nth(1)).toContainText('+1 415 555 2671 · then #2');
  await expect(confirm.getByRole('listitem').nth(2)).toContainText('"not a number" is not a phone number');
  await expect(confirm.getByRole('listitem').nth(2)).not.toContainText('then #');
  await expect(confirm.getByRole('listitem').nth(2)).toContainText('It is left out.');
  await expect(confirm).toContainText('Callback request (EN)');
  await expect(confirm).toContainText('08:00–20:30, Mon–Sat');
  await popup.screenshot({ path: '/tmp/ctc-popup-confirmation.png', fullPage: true });
  expect(posts(sandbox)).toEqual([]);

  const before = Date.now();
  await confirm.getByRole('button', { name: 'Confirm and call' }).click();
  const placed = popup.getByRole('group', { name: 'Click-to-call placed' });
  await expect(placed.getByRole('status')).toHaveText(
    'Placed: Multisender will call +1 212 555 0147 during its active hours (08:00–20:30, Mon–Sat).',
  );
  expectDocumentedBody(posts(sandbox)[0]!.body, ['+12125550147', '+14155552671'], before, Date.now());
  const id = sandbox
    .state<{ clickToCalls: { clickToCallId: string }[] }>('multisender')
    .clickToCalls.at(-1)!.clickToCallId;

  await placed.getByRole('button', { name: 'Follow it in Activity' }).click();
  await expect(popup.getByRole('tab', { name: 'Activity' })).toHaveAttribute('aria-selected', 'true');
  const item = popup.locator(`[data-click-to-call="${id}"]`);
  await expect(item).toContainText('Calling');
  await expect(item).toContainText('+1 212 555 0147not called yet · 0 calls');

  // What the sandbox's Multisender says shows up while the popup is open.
  sandbox.control('multisender', 'set-receiver', {
    clickToCallId: id,
    index: 0,
    answered: false,
    reply: 'noAnswer',
    dialledCalls: 3,
  });
  await expect(item).toContainText('+1 212 555 0147no answer · 3 calls');
  await expect(item).toContainText('3 dialled · 0 answered');
  sandbox.control('multisender', 'set-receiver', {
    clickToCallId: id,
    index: 1,
    answered: true,
    reply: 'accept',
    dialledCalls: 1,
    callDuration: 0,
    latestCallAt: '2024-03-02 10:15:00',
  });
  await expect(item.locator('.ctc-state')).toHaveText('Accepted');
  await expect(item).toContainText('Accepted by +1 415 555 2671');
  sandbox.control('multisender', 'set-receiver', {
    clickToCallId: id,
    index: 1,
    callDuration: 184,
    latestCallAt: '2024-03-02 10:15:00',
  });
  await expect(item).toContainText('+1 415 555 2671accepted · 1 call · 3 min 4 s');
  await popup.screenshot({ path: '/tmp/ctc-popup-activity.png', fullPage: true });

  expect(await notifications(extension)).toEqual([
    {
      id: `click-to-call:${id}:accepted`,
      title: 'Click-to-call accepted',
      message: '+1 415 555 2671 pressed the accept key: Multisender is connecting the call.',
      at: expect.any(Number),
    },
  ]);

  // Log this call: the Log a call tab, prefilled with the one who accepted.
  await item.getByRole('button', { name: 'Log this call' }).click();
  await expect(popup.getByRole('tab', { name: 'Log a call' })).toHaveAttribute('aria-selected', 'true');
  const form = popup.getByRole('form', { name: 'Log a call' });
  await expect(form.getByLabel('Phone number')).toHaveValue('+1 415 555 2671');
  await expect(form.getByRole('radio', { name: 'Conversation' })).toBeChecked();
  await expect(form.getByLabel('Called via')).toHaveValue('Multisender');
  await expect(form.getByLabel('Call time')).toHaveValue(/^2024-03-0[1-3]T\d\d:[0-5]5$/);
});

test('cancel asks first, then sends DELETE; an expiry is notified and logs as no answer', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const page = await openRecord(extension, sandbox);
  let panel = await openInPagePanel(page);
  await panel.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(panel.getByRole('status')).toContainText('Placed:');
  await panel.getByRole('button', { name: 'Done' }).click();
  panel = await openInPagePanel(page, '+14155552671');
  await panel.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(panel.getByRole('status')).toContainText('Placed: Multisender will call +1 415 555 2671');
  const [first, second] = sandbox
    .state<{ clickToCalls: { clickToCallId: string }[] }>('multisender')
    .clickToCalls.slice(-2)
    .map((c) => c.clickToCallId);

  const popup = await openPopupAt(extension, '?view=activity');
  const cancelled = popup.locator(`[data-click-to-call="${first}"]`);
  await cancelled.getByRole('button', { name: 'Cancel…' }).click();
  await expect(cancelled.getByRole('group', { name: 'Confirm cancelling' })).toContainText(
    'Cancel this click-to-call? Multisender stops calling.',
  );
  await expect(cancelled.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await popup.keyboard.press('Enter');
  await expect(cancelled.getByRole('button', { name: 'Cancel…' })).toBeFocused();
  expect(sandbox.requests({ service: 'multisender', method: 'DELETE' })).toEqual([]);
  await cancelled.getByRole('button', { name: 'Cancel…' }).click();
  await cancelled.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(cancelled.getByRole('status')).toHaveText('Cancelled: Multisender will not call anyone for it.');
  await expect(cancelled.locator('.ctc-state')).toHaveText('Cancelled');
  expect(sandbox.requests({ service: 'multisender', method: 'DELETE' }).map((r) => r.path)).toEqual([
    `/click_to_calls/${first}`,
  ]);

  // The other one expires at Multisender: shown, notified, and logged as no answer.
  sandbox.control('multisender', 'expire', { clickToCallId: second });
  const expired = popup.locator(`[data-click-to-call="${second}"]`);
  await expect(expired.locator('.ctc-state')).toHaveText('Expired');
  await expect(expired).toContainText('Expired with no accept');
  await expect
    .poll(async () => (await notifications(extension)).map((n) => [n.id, n.message]))
    .toEqual([
      [
        `click-to-call:${second}:expired`,
        'No one accepted the click-to-call to +1 415 555 2671 before it expired; Multisender has stopped calling.',
      ],
    ]);
  await expired.getByRole('button', { name: 'Log this call' }).click();
  const form = popup.getByRole('form', { name: 'Log a call' });
  await expect(form.getByLabel('Phone number')).toHaveValue('+1 415 555 2671');
  await expect(form.getByRole('radio', { name: 'No answer' })).toBeChecked();
  await expect(form.getByLabel('Called via')).toHaveValue('Multisender');
});

test('invalid defaults are refused with the reason, and nothing is sent', async ({ extension, sandbox }) => {
  // Saved settings may lack what a click-to-call needs: no voice file chosen yet. (Settings
  // refuse an empty weekday list, so that one cannot be saved.)
  await setUp(extension, { voiceFileId: '', voiceFileName: '' });
  const page = await openRecord(extension, sandbox);
  const panel = await openInPagePanel(page);
  await expect(panel.getByRole('alert')).toContainText('Fix the Multisender defaults in options first:');
  await expect(panel.getByRole('alert')).toContainText('Choose a voice file.');
  await expect(panel.getByRole('button', { name: 'Confirm and call' })).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Open options' })).toBeVisible();

  const popup = await openPopupAt(extension, '?view=click-to-call');
  await popup.getByLabel('Number to call').fill('+1 212 555 0147');
  await popup.getByRole('button', { name: 'Review call' }).click();
  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await expect(confirm.getByRole('alert')).toContainText('Choose a voice file.');
  await expect(confirm.getByRole('button', { name: 'Confirm and call' })).toBeDisabled();

  // Even a page that sent the request anyway is refused before anything leaves.
  const direct = await extension.send<{ ok: boolean; reason: string; sentence: string }>('click-to-call/create', {
    receivers: ['+12125550147'],
    requestId: 'e2e-invalid-0001',
  });
  expect(direct.value).toMatchObject({ ok: false, reason: 'settings' });
  expect(direct.value?.sentence).toContain('Voice file: Choose a voice file.');
  expect(sandbox.requests({ service: 'multisender', method: 'POST' })).toEqual([]);
});

test('an unreachable Multisender is shown with Retry, never queued, never placed twice', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const page = await openRecord(extension, sandbox);
  const panel = await openInPagePanel(page);

  // The request reaches Multisender, which creates the call, but the answer is lost.
  sandbox.sandbox.faults.addRule({
    service: 'multisender',
    method: 'POST',
    pathIncludes: '/click_to_calls',
    mode: 'drop-after',
    count: 1,
  });
  await panel.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(panel.getByRole('alert')).toContainText(
    'The click-to-call may have been placed anyway: Retry checks Multisender first, so it is never placed twice.',
  );
  await page.screenshot({ path: '/tmp/ctc-page-error.png' });
  await expect(panel.getByRole('button', { name: 'Retry' })).toBeFocused();
  await panel.getByRole('button', { name: 'Retry' }).click();
  await expect(panel.getByRole('status')).toContainText(
    'Multisender had already placed it, so nothing was sent twice.',
  );
  expect(posts(sandbox)).toHaveLength(1);
  expect(sandbox.state<{ clickToCalls: unknown[] }>('multisender').clickToCalls).toHaveLength(3);

  // Refused outright (503 before anything is created): the sentence, Retry, and then it is placed.
  const popup = await openPopupAt(extension, '?view=click-to-call');
  await popup.getByLabel('Number to call').fill('+1 212 555 0147');
  await popup.getByRole('button', { name: 'Review call' }).click();
  sandbox.sandbox.faults.addRule({
    service: 'multisender',
    method: 'POST',
    pathIncludes: '/click_to_calls',
    mode: 'status',
    status: 503,
    count: 1,
  });
  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await confirm.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(confirm.getByRole('alert')).toHaveText(
    'Multisender had a problem (503): Injected failure. The click-to-call may have been placed anyway: Retry checks Multisender first, so it is never placed twice.',
  );
  await popup.screenshot({ path: '/tmp/ctc-popup-error.png', fullPage: true });
  // Nothing waits in the outbox: a click-to-call is time-bound.
  const outbox = await extension.send<{ entries: unknown[] }>('outbox/list', {});
  expect(outbox.value?.entries).toEqual([]);
  await confirm.getByRole('button', { name: 'Retry' }).click();
  await expect(popup.getByRole('group', { name: 'Click-to-call placed' }).getByRole('status')).toContainText(
    'Placed: Multisender will call +1 212 555 0147',
  );
  expect(posts(sandbox)).toHaveLength(3);
  expect(sandbox.state<{ clickToCalls: unknown[] }>('multisender').clickToCalls).toHaveLength(4);
});

test('a do-not-call number is blocked until the user deliberately overrides it', async ({ extension, sandbox }) => {
  await setUp(extension);
  const added = await extension.send<{ ok: boolean }>('dnc/add', {
    number: '+1 212 555 0147',
    note: 'asked us not to call',
  });
  expect(added.ok).toBe(true);
  const popup = await openPopupAt(extension, '?view=click-to-call');
  await popup.getByLabel('Number to call').fill('+1 212 555 0147');
  await popup.getByRole('button', { name: 'Review call' }).click();
  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await expect(confirm).toContainText('On a do-not-call list: your do-not-call list');
  await expect(confirm.getByRole('button', { name: 'Confirm and call' })).toBeDisabled();
  await confirm.getByRole('checkbox', { name: 'Call +1 212 555 0147 anyway: I have their consent' }).check();
  await confirm.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(popup.getByRole('group', { name: 'Click-to-call placed' })).toBeVisible();
  expect((posts(sandbox)[0]!.body as { receivers: unknown }).receivers).toEqual([{ phone: '+12125550147' }]);
});

/**
 * Runs the right-click menu's "Click-to-call via Multisender" route for a number (a test cannot
 * click a native menu), with the toolbar popup either "opening" (headless Chromium shows no
 * page for it, so the test opens popup.html itself, as the toolbar button does) or refused, as
 * Chrome refuses it without a focused normal window (then a small window opens instead).
 */
async function clickToCallFromMenu(
  extension: ExtensionHelpers,
  tabId: number,
  popup: 'opens' | 'refused',
): Promise<void> {
  const worker = await extension.worker();
  await worker.evaluate(
    async ([id, mode]) => {
      const openPopup =
        mode === 'opens' ? async () => undefined : async () => Promise.reject(new Error('no focused window'));
      for (const api of [globalThis.chrome, (globalThis as { browser?: typeof chrome }).browser]) {
        if (api?.action) Object.defineProperty(api.action, 'openPopup', { value: openPopup, configurable: true });
      }
      // Through the menu's own onClicked, on a selected number with an extension.
      await globalThis.__crmCompanionE2e!.contextMenuClick(
        {
          menuItemId: 'click-to-call',
          selectionText: '+1 (650) 555-0100 ext. 45',
          editable: false,
          modifiers: [],
          frameId: 0,
        },
        { id, index: 0, active: true, highlighted: true, pinned: false, incognito: false },
      );
    },
    [tabId, popup] as const,
  );
}

test('the right-click menu opens the popup on the confirmation', async ({ extension, sandbox }) => {
  await setUp(extension);
  const page = await openRecord(extension, sandbox);
  const tabId = await extension.tabIdOf(page);

  await clickToCallFromMenu(extension, tabId, 'opens');
  const popup = await openPopupAt(extension, '');
  const confirm = popup.getByRole('group', { name: 'Confirm click-to-call via Multisender' });
  await expect(confirm).toContainText('+1 650 555 0100');
  await expect(confirm).toContainText('Multisender dials +1 650 555 0100 only; the extension 45 is not dialled.');
  await expect(popup.getByRole('tab', { name: 'Click-to-call' })).toHaveAttribute('aria-selected', 'true');
  await confirm.getByRole('button', { name: 'Confirm and call' }).click();
  await expect(popup.getByRole('group', { name: 'Click-to-call placed' })).toBeVisible();
  expect((posts(sandbox)[0]!.body as { receivers: unknown }).receivers).toEqual([{ phone: '+16505550100' }]);

  // Shown once: the next popup opens as usual.
  const again = await openPopupAt(extension, '');
  await expect(again.getByRole('tab', { name: 'Log a call' })).toHaveAttribute('aria-selected', 'true');
  await expect(again.getByRole('tab', { name: 'Click-to-call' })).toHaveAttribute('aria-selected', 'false');

  // Where the popup cannot open, a small window shows the same confirmation.
  const opened = extension.context.waitForEvent('page', (p) => p.url().includes('popup.html'));
  await clickToCallFromMenu(extension, tabId, 'refused');
  const window = await opened;
  expect(new URL(window.url()).searchParams.get('view')).toBe('click-to-call');
  await expect(window.getByRole('group', { name: 'Confirm click-to-call via Multisender' })).toContainText(
    '+1 650 555 0100',
  );
});

test('keyboard only: from the number button to a placed call, and back to the button', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const page = await openRecord(extension, sandbox);
  const button = page.getByRole('button', { name: `Call actions for ${MOBILE}`, exact: true }).first();
  await button.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Click-to-call via Multisender' })).toBeFocused();
  await page.keyboard.press('Enter');

  const panel = page.getByRole('group', { name: `Click-to-call ${MOBILE} via Multisender` });
  const confirm = panel.getByRole('button', { name: 'Confirm and call' });
  await expect(confirm).toBeEnabled();
  // Tab moves between the confirmation's controls (and wraps) instead of closing the panel.
  await page.keyboard.press('Tab');
  await expect(panel.getByLabel('Further numbers, in order (optional)')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByRole('button', { name: 'Update list' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(panel.getByRole('button', { name: 'Update list' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toContainText('Placed: Multisender will call +1 650 555 0100');
  await expect(panel.getByRole('button', { name: 'Done' })).toBeFocused();
  expect(posts(sandbox)).toHaveLength(1);
  await page.keyboard.press('Enter');
  await expect(panel).toBeHidden();
  await expect(button).toBeFocused();
});

test('a stopped service worker loses nothing: Activity picks the call up where it was', async ({
  extension,
  sandbox,
}) => {
  await setUp(extension);
  const placed = await extension.send<{ ok: boolean; call: { id: string } }>('click-to-call/create', {
    receivers: ['+12125550147'],
    requestId: 'e2e-restart-0001',
  });
  expect(placed.value?.ok).toBe(true);
  const id = placed.value!.call.id;
  const alarm = await (await extension.worker()).evaluate(() => chrome.alarms.get('click-to-call-poll'));
  expect(alarm?.periodInMinutes).toBe(0.5);

  await extension.stopServiceWorker();
  sandbox.control('multisender', 'set-receiver', {
    clickToCallId: id,
    index: 0,
    answered: true,
    reply: 'accept',
    dialledCalls: 1,
  });
  const popup = await openPopupAt(extension, '?view=activity');
  const item = popup.locator(`[data-click-to-call="${id}"]`);
  await expect(item.locator('.ctc-state')).toHaveText('Accepted');
  await expect
    .poll(async () => (await notifications(extension)).map((n) => n.id))
    .toEqual([`click-to-call:${id}:accepted`]);
});
