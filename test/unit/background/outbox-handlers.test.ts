/**
 * The background's outbox handlers with real delivery to the CRM simulator: a saved note is
 * committed before the answer, delivered, and listed in the history with a link; a refused note
 * asks the user and is fixed by an edit; a 401 pauses the CRM until its credentials change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createOutboxHandlers, resumeAfterSettingsChange, settingsFingerprint } from '../../../lib/background/outbox-handlers.ts';
import { configFor } from '../../../lib/background/service-config.ts';
import type { CallDraft } from '../../../lib/log-call/validate.ts';
import type { SenderContext } from '../../../lib/messaging.ts';
import { createCrmCallExecutor } from '../../../lib/outbox/crm-call-executor.ts';
import { createDelivery, type Delivery } from '../../../lib/outbox/delivery.ts';
import { getEntry, getPause } from '../../../lib/outbox/store.ts';
import { updateSecrets } from '../../../lib/secrets.ts';
import { loadSettings, storeSettings } from '../../../lib/settings-storage.ts';
import { settingsSchema } from '../../../lib/settings.ts';
import { contactId } from '../../../sandbox/demo/data.ts';
import { SANDBOX_CREDENTIALS, sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import type { StoredCall } from '../../../sandbox/services/crm.ts';
import { useSandbox } from '../../support/sandbox.ts';
import { noCampaignAdds } from '../outbox/fixtures.ts';

const ctx: SenderContext = { kind: 'extension', origin: 'chrome-extension://x', url: 'chrome-extension://x/popup.html' };
const sandbox = useSandbox();
let delivery: Delivery;
let handlers: ReturnType<typeof createOutboxHandlers>;

beforeEach(async () => {
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => true;
  await storeSettings(settingsSchema.parse(sandboxSettings(sandbox.current.url)));
  await updateSecrets(sandboxSecrets());
  delivery = createDelivery({
    executors: { 'crm-call': createCrmCallExecutor({ config: () => configFor('crm') }), 'campaign-add': noCampaignAdds },
    random: () => 0,
    settingsFingerprint,
  });
  handlers = createOutboxHandlers(delivery, () => undefined);
});

// Saving wakes delivery: let it finish before the next test resets the sandbox and database.
afterEach(() => delivery.idle());

const crmCalls = () => (sandbox.current.simulators.find((s) => s.id === 'crm')!.state() as { calls: StoredCall[] }).calls;

function draft(overrides: Partial<CallDraft> = {}): CallDraft {
  return {
    phoneNumber: '650 555 0100',
    contactId: contactId(7),
    callResult: 'conversation',
    text: 'Agreed on the renewal.',
    recordingLink: '',
    calledVia: 'Upcall',
    calledAt: '2025-03-14T10:30',
    ...overrides,
  };
}

async function save(overrides: Partial<CallDraft> = {}): Promise<string> {
  const reply = await handlers['log-call/save']({ draft: draft(overrides) }, ctx);
  if (!reply.ok) throw new Error(JSON.stringify(reply.errors));
  return reply.id;
}

describe('outbox handlers', () => {
  it('commits before answering, then delivers, and lists the call with a link to the contact', async () => {
    const id = await save();
    // The answer means "Saved": the note is in IndexedDB before any request was made.
    expect(await getEntry(id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(sandbox.current.requests).toHaveLength(0);
    delivery.kick();
    await delivery.idle();
    expect(crmCalls()).toHaveLength(1);
    expect(crmCalls()[0]).toMatchObject({ contact_id: contactId(7), phone_number: '+16505550100', called_via: 'Upcall', date: '2025-03-14' });
    const history = await handlers['outbox/history']({}, ctx);
    expect(history).toMatchObject([
      { id, text: 'Agreed on the renewal.', remoteId: crmCalls()[0]!.id, contactUrl: `${sandbox.current.url}/demo/contacts/${contactId(7)}` },
    ]);
    const list = await handlers['outbox/list']({}, ctx);
    expect(list.entries).toMatchObject([{ id, state: 'sent', title: '+1 650 555 0100 · Conversation' }]);
  });

  it('saving the same form again (its answer was lost) does not queue it twice', async () => {
    const id = crypto.randomUUID();
    const first = await handlers['log-call/save']({ draft: draft(), id }, ctx);
    const again = await handlers['log-call/save']({ draft: draft(), id }, ctx);
    const raced = await Promise.all([0, 1].map(() => handlers['log-call/save']({ draft: draft({ text: 'raced' }), id: crypto.randomUUID() }, ctx)));
    expect(first).toEqual({ ok: true, id });
    expect(again).toEqual({ ok: true, id });
    expect(raced.every((reply) => reply.ok)).toBe(true);
    const sameId = crypto.randomUUID();
    const both = await Promise.all([0, 1].map(() => handlers['log-call/save']({ draft: draft({ text: 'same id' }), id: sameId }, ctx)));
    expect(both).toEqual([{ ok: true, id: sameId }, { ok: true, id: sameId }]);
    const entries = (await handlers['outbox/list']({}, ctx)).entries;
    expect(entries.map((e) => e.detail)).toEqual(['Agreed on the renewal.', 'raced', 'raced', 'same id']);
  });

  it('answers field errors and queues nothing for an invalid form', async () => {
    const reply = await handlers['log-call/save']({ draft: draft({ phoneNumber: '555', contactId: '' }) }, ctx);
    expect(reply).toMatchObject({ ok: false, errors: { phoneNumber: expect.any(String), contactId: expect.any(String) } });
    expect((await handlers['outbox/list']({}, ctx)).entries).toEqual([]);
  });

  it('a refused note asks the user with the CRM\'s message; an edit sends it', async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 422, count: 1, method: 'POST' });
    const id = await save();
    delivery.kick();
    await delivery.idle();
    const [refused] = (await handlers['outbox/list']({}, ctx)).entries;
    expect(refused).toMatchObject({ id, state: 'needs-attention', lastError: { kind: 'invalid', status: 422, message: 'Injected failure' } });
    expect(refused!.editBlocker).toBeUndefined();

    const bad = await handlers['outbox/edit']({ id, change: { kind: 'crm-call', draft: draft({ recordingLink: 'nope' }) } }, ctx);
    expect(bad).toMatchObject({ ok: false, errors: { recordingLink: expect.any(String) } });
    const edited = await handlers['outbox/edit']({ id, change: { kind: 'crm-call', draft: draft({ text: 'Fixed text' }) } }, ctx);
    expect(edited).toEqual({ ok: true });
    await delivery.idle();
    expect(crmCalls().map((c) => c.text.split('\n')[0])).toEqual(['Fixed text']);
  });

  it('discards a refused note (and refuses to discard it twice)', async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 400, count: 1, method: 'POST' });
    const id = await save();
    delivery.kick();
    await delivery.idle();
    expect(await handlers['outbox/discard']({ id }, ctx)).toEqual({ ok: true });
    expect(await getEntry(id)).toBeUndefined();
    expect(await handlers['outbox/retry']({ id }, ctx)).toMatchObject({ ok: false, reason: 'It is no longer in the outbox.' });
    expect(crmCalls()).toHaveLength(0);
  });

  it('a 401 pauses the CRM, keeps the notes, and new credentials resume it', async () => {
    await updateSecrets({ crm: { apiKey: 'expired-key' } });
    const first = await save({ text: 'first' });
    await save({ text: 'second' });
    delivery.kick();
    await delivery.idle();
    const list = await handlers['outbox/list']({}, ctx);
    expect(list.pauses).toMatchObject([{ service: 'crm', failure: { kind: 'auth', status: 401 } }]);
    expect(list.entries.map((e) => [e.state, e.paused])).toEqual([
      ['queued', true],
      ['queued', true],
    ]);
    expect(sandbox.current.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    // A save that does not touch the CRM's credentials leaves it paused.
    const { settings } = await loadSettings();
    expect(await resumeAfterSettingsChange({ settings, secretsChanged: ['upcall'] })).toEqual([]);
    await updateSecrets({ crm: { apiKey: SANDBOX_CREDENTIALS.crm.apiKey } });
    expect(await resumeAfterSettingsChange({ settings, secretsChanged: ['crm'] })).toEqual(['crm']);
    expect(await getPause('crm')).toBeUndefined();
    delivery.kick();
    await delivery.idle();
    expect(crmCalls().map((c) => c.text.split('\n')[0])).toEqual(['first', 'second']);
    expect(await getEntry(first)).toMatchObject({ state: 'sent' });
  });

  it('a changed CRM user ID also resumes a 401 pause', async () => {
    await updateSecrets({ crm: { apiKey: 'expired-key' } });
    await save();
    delivery.kick();
    await delivery.idle();
    const { settings } = await loadSettings();
    expect(await resumeAfterSettingsChange({ settings, secretsChanged: [] })).toEqual([]);
    expect(await resumeAfterSettingsChange({ settings: { ...settings, crm: { ...settings.crm, userId: 'someone-else' } }, secretsChanged: [] })).toEqual(['crm']);
  });

  it('edits a note that may already be on the CRM: the copy found there is brought up to date, never posted twice', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, method: 'POST' });
    // The list that would find it keeps failing for now (503, Retry-After 1 s).
    sandbox.current.faults.addRule({ mode: 'status', status: 503, count: 1_000, method: 'GET' });
    // Saving wakes delivery; the first try is cut off after the CRM committed it.
    const id = await save();
    await delivery.idle();
    const [entry] = (await handlers['outbox/list']({}, ctx)).entries;
    expect(entry).toMatchObject({ state: 'queued', unconfirmed: true, lastError: { kind: 'server', status: 503 } });
    expect(entry!.editBlocker).toBeUndefined();
    sandbox.current.faults.reset();
    expect(await handlers['outbox/edit']({ id, change: { kind: 'crm-call', draft: draft({ text: 'changed' }) } }, ctx)).toEqual({
      ok: true,
    });
    // Found by reconciliation, not posted again, and the CRM's copy now says what the user wrote.
    await expect.poll(async () => (await getEntry(id))?.state, { timeout: 5_000 }).toBe('sent');
    expect(await getEntry(id)).toMatchObject({ delivered: { via: 'reconciled' } });
    expect(crmCalls()).toHaveLength(1);
    expect(crmCalls()[0]!.text).toMatch(/^changed\n\n— logged via CRM Call Companion \[ref [0-9a-f]{8}\]$/);
    expect(sandbox.current.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(sandbox.current.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('remembers the contact and service per number for the next form', async () => {
    await save({ calledVia: 'SIP Caller', contactId: contactId(9) });
    expect(await handlers['log-call/number-memory']({ phoneNumber: '+1 (650) 555-0100' }, ctx)).toEqual({
      contactId: contactId(9),
      calledVia: 'SIP Caller',
    });
    expect(await handlers['log-call/number-memory']({ phoneNumber: '212 555 0199' }, ctx)).toEqual({});
  });
});
