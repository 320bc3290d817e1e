/**
 * Log a call from the popup, as a user does it: prefilled from the open contact page and the
 * selection, checked next to each field, saved with Ctrl+Enter, delivered to the CRM simulator,
 * and followed in Activity (refused notes edited, resent or discarded; a 401 pausing the CRM).
 * Screenshots of the form and of Activity with a refused note go to a temporary folder.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { contactAt, contactId } from '../../sandbox/demo/data.ts';
import type { StoredCall } from '../../sandbox/services/crm.ts';
import { expect, test, type ExtensionHelpers } from './fixtures.ts';

const SHOTS = process.env.OUTBOX_SHOTS_DIR ?? join(tmpdir(), 'crm-companion-shots');
mkdirSync(SHOTS, { recursive: true });

interface ListView {
  entries: { id: string; state: string; title: string; lastError?: { status?: number } }[];
}

async function outbox(extension: ExtensionHelpers): Promise<ListView['entries']> {
  const reply = await extension.send<ListView>('outbox/list', {});
  return reply.value?.entries ?? [];
}

async function badge(extension: ExtensionHelpers): Promise<{ text: string; color: number[] }> {
  const worker = await extension.worker();
  return worker.evaluate(async () => ({
    text: await chrome.action.getBadgeText({}),
    color: await chrome.action.getBadgeBackgroundColor({}),
  }));
}

async function openForm(extension: ExtensionHelpers, tabId?: number): Promise<Page> {
  const popup = await extension.openPopup(tabId);
  await popup.setViewportSize({ width: 420, height: 760 });
  await expect(popup.getByRole('tab', { name: 'Log a call' })).toHaveAttribute('aria-selected', 'true');
  return popup;
}

/** Types a note into the form and saves it with Ctrl+Enter; resolves once "Saved" shows. */
async function logNote(popup: Page, note: { phone: string; contact: string; text: string }): Promise<void> {
  await popup.getByLabel('Phone number').fill(note.phone);
  await popup.getByLabel('Contact ID').fill(note.contact);
  await popup.getByLabel('Notes').fill(note.text);
  await popup.getByLabel('Notes').press('Control+Enter');
  await expect(popup.locator('#log-call-status')).toHaveText(/^Saved\./);
}

test('log a call from a contact page: prefilled, checked, saved with Ctrl+Enter, delivered', async ({ extension, sandbox, context }) => {
  await extension.configureSandbox();
  const contact = contactAt(7);
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contact.id}`);
  // The user selects the mobile number on the page, then opens the popup.
  await page.evaluate(() => {
    const cell = document.querySelector('dd.phone')!;
    const range = document.createRange();
    range.selectNodeContents(cell);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  const popup = await openForm(extension, await extension.tabIdOf(page));

  // Focus is in Notes; the number comes from the selection, the contact from the page address.
  await expect(popup.getByLabel('Notes')).toBeFocused();
  await expect(popup.getByLabel('Phone number')).toHaveValue(contact.phoneDisplay.startsWith('+') ? contact.phoneDisplay : /^\+1 \d{3} 555 \d{4}$/);
  await expect(popup.getByText('The number selected on the page.')).toBeVisible();
  await expect(popup.getByLabel('Contact ID')).toHaveValue(contact.id);
  await expect(popup.getByText('From the contact page that is open.')).toBeVisible();
  await expect(popup.getByLabel('Call time')).toHaveValue(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

  // Checked before anything is queued, with the message next to the field.
  await popup.getByLabel('Contact ID').fill('');
  await popup.getByLabel('Recording link').fill('recording 42');
  await popup.getByLabel('Notes').press('Control+Enter');
  await expect(popup.locator('#log-call-status')).toHaveText('Not saved: 2 fields need attention.');
  await expect(popup.locator('#log-contactId-error')).toHaveText("Enter the CRM contact ID (it is in the contact page's address).");
  await expect(popup.getByLabel('Contact ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(popup.getByLabel('Contact ID')).toBeFocused();
  await expect(popup.locator('#log-recordingLink-error')).toContainText('https://');
  expect(await outbox(extension)).toEqual([]);

  // A pasted contact page address is read as its ID.
  await popup.getByLabel('Contact ID').fill(`${sandbox.url}/demo/contacts/${contact.id}`);
  await popup.getByLabel('Recording link').fill('https://recordings.example/42');
  await popup.getByLabel('Notes').fill('Left a message about the renewal.\nCall back Friday.');
  await popup.getByLabel('Left message').check();
  await popup.getByLabel('Called via').selectOption('SIP Caller');
  await popup.screenshot({ path: join(SHOTS, 'log-call-form.png'), fullPage: true });

  await popup.getByLabel('Notes').press('Control+Enter');
  await expect(popup.locator('#log-call-status')).toHaveText(/^Saved\./);
  // Saved means committed: the note is in the outbox, whatever the network does next.
  expect((await outbox(extension)).length).toBe(1);
  // The form is ready for the next call.
  await expect(popup.getByLabel('Notes')).toHaveValue('');
  await expect(popup.getByLabel('Phone number')).toBeFocused();

  await expect.poll(() => sandbox.state<{ calls: StoredCall[] }>('crm').calls.length).toBe(1);
  const [call] = sandbox.state<{ calls: StoredCall[] }>('crm').calls;
  expect(call).toMatchObject({
    contact_id: contact.id,
    phone_number: contact.e164,
    call_result: 'left_message',
    called_via: 'SIP Caller',
    recording_link: 'https://recordings.example/42',
  });
  expect(call!.text).toMatch(/^Left a message about the renewal\.\nCall back Friday\.\n\n— logged via CRM Call Companion \[ref [0-9a-f]{8}\]$/);

  // Activity: the note shows as sent, and in the history with a link to the contact.
  await popup.getByRole('tab', { name: 'Activity' }).click();
  const entry = popup.getByRole('listitem').filter({ hasText: 'Left message' }).first();
  await expect(entry.getByText('Sent', { exact: true })).toBeVisible();
  const link = popup.getByRole('link', { name: /in the CRM/ });
  await expect(link).toHaveAttribute('href', `${sandbox.url}/demo/contacts/${contact.id}`);

  // Tabs work from the keyboard.
  await popup.getByRole('tab', { name: 'Activity' }).press('ArrowLeft');
  await expect(popup.getByRole('tab', { name: 'Log a call' })).toHaveAttribute('aria-selected', 'true');
  await expect(popup.getByRole('tab', { name: 'Log a call' })).toBeFocused();

  // The next form remembers the contact and the service for this number.
  await popup.getByLabel('Phone number').fill(contact.phoneDisplay);
  await popup.getByLabel('Phone number').blur();
  await expect(popup.getByLabel('Contact ID')).toHaveValue(contact.id);
  await expect(popup.getByLabel('Called via')).toHaveValue('SIP Caller');
});

test('a refused note needs attention: edited and resent, or discarded after confirmation', async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  sandbox.sandbox.faults.addRule({ mode: 'status', status: 422, count: 2, method: 'POST', service: 'crm' });
  const popup = await openForm(extension);
  await logNote(popup, { phone: '(415) 555-0101', contact: contactId(11), text: 'Asked for a quote' });
  await logNote(popup, { phone: '+44 20 7946 0958', contact: contactId(12), text: 'Wrong person, remove from list' });
  await expect.poll(async () => (await outbox(extension)).map((e) => e.state)).toEqual(['needs-attention', 'needs-attention']);

  // The toolbar badge: nothing queued, but red while notes need attention.
  await expect.poll(() => badge(extension)).toEqual({ text: '!', color: [198, 40, 40, 255] });

  await popup.getByRole('tab', { name: 'Activity' }).click();
  const quote = popup.getByRole('listitem').filter({ hasText: 'Asked for a quote' });
  const wrong = popup.getByRole('listitem').filter({ hasText: 'Wrong person' });
  await expect(quote.getByText('Needs attention')).toBeVisible();
  await expect(quote.getByText('Last error: CRM refused the request (422): Injected failure.')).toBeVisible();
  await popup.screenshot({ path: join(SHOTS, 'activity-needs-attention.png'), fullPage: true });

  // Edit: the fields come back filled in; a fix is sent again.
  await quote.getByRole('button', { name: 'Edit' }).click();
  await expect(quote.getByLabel('Contact ID')).toHaveValue(contactId(11));
  await quote.getByLabel('Notes').fill('Asked for a quote for 20 seats');
  await popup.screenshot({ path: join(SHOTS, 'activity-edit.png'), fullPage: true });
  await quote.getByRole('button', { name: 'Save and send again' }).click();
  await expect(quote.getByText('Sent', { exact: true })).toBeVisible();
  await expect.poll(() => sandbox.state<{ calls: StoredCall[] }>('crm').calls.map((c) => c.text.split('\n')[0])).toEqual([
    'Asked for a quote for 20 seats',
  ]);

  // Discard asks first; keeping it changes nothing.
  await wrong.getByRole('button', { name: 'Discard' }).click();
  await expect(wrong.getByText('Discard this note? It will not be logged to the CRM')).toBeVisible();
  await wrong.getByRole('button', { name: 'Keep it' }).click();
  await expect(wrong.getByText('Needs attention')).toBeVisible();
  await wrong.getByRole('button', { name: 'Discard' }).click();
  await wrong.getByRole('button', { name: 'Discard note' }).click();
  await expect(wrong).toHaveCount(0);
  expect((await outbox(extension)).map((e) => e.state)).toEqual(['sent']);
  expect(sandbox.state<{ calls: StoredCall[] }>('crm').calls).toHaveLength(1);
  await expect.poll(async () => (await badge(extension)).text).toBe('');
});

test('a 401 pauses the CRM and says so; new credentials send what waited', async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  const wrongKey = await extension.send<{ ok: boolean }>('settings/get', {});
  expect(wrongKey.ok).toBe(true);
  const saved = await extension.send<{ ok: boolean }>('settings/save', {
    settings: (wrongKey.value as unknown as { settings: unknown }).settings,
    secrets: { crm: { apiKey: 'an-expired-key' } },
  });
  expect(saved.value?.ok).toBe(true);

  const popup = await openForm(extension);
  await logNote(popup, { phone: '212-555-0147', contact: contactId(20), text: 'First of two' });
  await logNote(popup, { phone: '212-555-0148', contact: contactId(21), text: 'Second of two' });
  await popup.getByRole('tab', { name: 'Activity' }).click();
  await expect(popup.getByRole('alert')).toContainText('CRM is paused. CRM rejected the user ID or API key (401).');
  await expect(popup.getByText('Paused', { exact: true })).toHaveCount(2);
  expect(sandbox.requests({ service: 'crm', method: 'POST' })).toHaveLength(1);
  await expect.poll(() => badge(extension)).toEqual({ text: '2', color: [138, 97, 0, 255] });

  await extension.configureSandbox();
  await expect.poll(() => sandbox.state<{ calls: StoredCall[] }>('crm').calls.map((c) => c.text.split('\n')[0])).toEqual([
    'First of two',
    'Second of two',
  ]);
  await expect(popup.getByRole('alert')).toHaveCount(0);
  await expect.poll(async () => (await badge(extension)).text).toBe('');
});

test('closing the popup and stopping the worker right after "Saved" loses nothing', async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  // The CRM is down: every request fails, so the note can only be in the outbox.
  sandbox.sandbox.faults.setChaos({ rate: 1, service: 'crm', modes: ['status'], status: 503, retryAfter: 1 });
  const popup = await openForm(extension);
  await logNote(popup, { phone: '(305) 555-0111', contact: contactId(30), text: 'Saved then closed' });
  await popup.close();
  await extension.stopServiceWorker();

  // The worker may have been stopped before its first try or in the middle of it: either way the
  // note is on disk and waiting (`sending` left by a stopped worker is reconciled, then resent).
  const kept = await outbox(extension);
  expect(kept).toHaveLength(1);
  expect(['queued', 'sending']).toContain(kept[0]!.state);
  await expect.poll(() => badge(extension)).toEqual({ text: '1', color: [31, 111, 235, 255] });
  sandbox.sandbox.faults.setChaos(undefined);
  await extension.send('outbox/kick', {});
  await expect.poll(() => sandbox.state<{ calls: StoredCall[] }>('crm').calls.map((c) => c.text.split('\n')[0]), { timeout: 60_000 }).toEqual([
    'Saved then closed',
  ]);
});
