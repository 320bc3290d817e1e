/**
 * Reconciliation of 'crm-call' entries against the real CRM simulator over HTTP: a note whose
 * POST landed without an answer is found; one that never landed is not; an identical note
 * logged on purpose is not mistaken for it.
 */
import { describe, expect, it } from 'vitest';
import { contactId } from '../../../sandbox/demo/data.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { createCrmSimulator, type StoredCall } from '../../../sandbox/services/crm.ts';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import { createCrmCallExecutor, newCallOf } from '../../../lib/outbox/crm-call-executor.ts';
import { beginTry } from '../../../lib/outbox/state.ts';
import type { OutboxEntry } from '../../../lib/outbox/types.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createCrmSimulator();
const sandbox = useSandbox({ simulators: [simulator] });
const CONTACT = contactId(3);

const executor = createCrmCallExecutor({
  config: async () => ({
    baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.crm}`,
    userId: SANDBOX_CREDENTIALS.crm.userId,
    apiKey: SANDBOX_CREDENTIALS.crm.apiKey,
  }),
});

function entry(id: string, text = 'Talked about the renewal', contact = CONTACT): OutboxEntry<'crm-call'> {
  const queued: OutboxEntry<'crm-call'> = {
    id,
    kind: 'crm-call',
    service: 'crm',
    seq: 1,
    request: {
      contactId: contact,
      phoneNumber: '+16505550100',
      callResult: 'left_message',
      text,
      recordingLink: 'https://recordings.example/1',
      calledVia: 'SIP Caller',
      calledAt: Date.now(),
      date: '2026-03-14',
    },
    state: 'queued',
    attempts: 0,
    failureStreak: 0,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    nextAttemptAt: Date.now(),
    unconfirmed: false,
  };
  return beginTry(queued, Date.now()) as OutboxEntry<'crm-call'>;
}

const calls = () => (simulator.state() as { calls: StoredCall[] }).calls;
const signal = () => AbortSignal.timeout(10_000);

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error.failure;
    throw error;
  }
  throw new Error('expected a failure');
}

function fault(mode: string, extra: Record<string, unknown> = {}) {
  sandbox.current.faults.addRule({ mode: mode as never, count: 1, method: 'POST', ...extra });
}

describe('crm-call executor', () => {
  it('sends every field, with the reference marker in the note', async () => {
    const delivered = await executor.send(entry('entry-send'), signal());
    expect(delivered.via).toBe('response');
    expect(calls()).toHaveLength(1);
    const [call] = calls();
    expect(call).toMatchObject({
      id: delivered.remoteId,
      contact_id: CONTACT,
      call_result: 'left_message',
      phone_number: '+16505550100',
      called_via: 'SIP Caller',
      recording_link: 'https://recordings.example/1',
      date: '2026-03-14',
    });
    expect(call!.text).toBe(newCallOf(entry('entry-send')).text);
    expect(call!.text).toMatch(/^Talked about the renewal\n\n— logged via CRM Call Companion \[ref [0-9a-f]{8}\]$/);
  });

  it('finds a note whose connection dropped after the CRM committed it', async () => {
    fault('drop-after');
    const note = entry('entry-drop-after');
    const failure = await failureOf(executor.send(note, signal()));
    expect(failure.mayHaveReached).toBe(true);
    expect(calls()).toHaveLength(1);
    const result = await executor.reconcile(note, signal());
    expect(result).toMatchObject({ status: 'found', delivered: { via: 'reconciled', remoteId: calls()[0]!.id } });
    // What it found is what the duplicate check keeps.
    expect(result.status === 'found' && result.delivered.written?.keepId).toBe(calls()[0]!.id);
  });

  it('finds a note answered with a 5xx after the commit', async () => {
    fault('status-after-commit', { status: 502 });
    const note = entry('entry-502');
    const failure = await failureOf(executor.send(note, signal()));
    expect(failure).toMatchObject({ kind: 'server', status: 502, mayHaveReached: true });
    expect((await executor.reconcile(note, signal())).status).toBe('found');
  });

  it('does not find a note whose connection dropped before the CRM handled it', async () => {
    fault('drop-before');
    const note = entry('entry-drop-before');
    const failure = await failureOf(executor.send(note, signal()));
    expect(failure.mayHaveReached).toBe(true);
    expect(calls()).toHaveLength(0);
    expect(await executor.reconcile(note, signal())).toEqual({ status: 'absent' });
  });

  it('tells two identical notes apart by their entries', async () => {
    // The user logs the same words twice on purpose: the second must not be taken as sent.
    await executor.send(entry('first-of-two'), signal());
    expect(await executor.reconcile(entry('second-of-two'), signal())).toEqual({ status: 'absent' });
    expect((await executor.reconcile(entry('first-of-two'), signal())).status).toBe('found');
  });

  it('finds it among many calls of the contact (several pages)', async () => {
    sandbox.current.simulators[0]!.control!('seed', { contact_id: CONTACT, count: 230, text: 'Talked about the renewal' });
    fault('drop-after');
    const note = entry('entry-among-many');
    await failureOf(executor.send(note, signal()));
    sandbox.current.simulators[0]!.control!('seed', { contact_id: CONTACT, count: 30 });
    const result = await executor.reconcile(note, signal());
    expect(result.status).toBe('found');
    expect(calls().filter((c) => c.text.includes('[ref'))).toHaveLength(1);
  });

  it('still finds it after someone edited the note on the CRM (the marker stays)', async () => {
    const note = entry('entry-edited');
    const { remoteId } = await executor.send(note, signal());
    const stored = calls().find((c) => c.id === remoteId)!;
    stored.text = stored.text.replace('Talked about the renewal', 'Renewal agreed, send contract');
    expect(await executor.reconcile(note, signal())).toMatchObject({ status: 'found', delivered: { via: 'reconciled', remoteId } });
  });

  it('reads a contact the CRM does not know as absent (the send then asks the user)', async () => {
    const note = entry('entry-no-contact', 'x', contactId(19_999).replace(/.$/, 'f'));
    expect(await executor.reconcile(note, signal())).toEqual({ status: 'absent' });
  });

  it('throws rather than answer when the list itself fails', async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 503, count: 1, method: 'GET' });
    const failure = await failureOf(executor.reconcile(entry('entry-list-fails'), signal()));
    expect(failure).toMatchObject({ kind: 'server', status: 503 });
  });

  it('copes with a CRM clock behind ours (looks back a day before the first try)', async () => {
    simulator.control!('clock', { now: Date.now() - 3 * 3600_000 });
    fault('drop-after');
    const note = entry('entry-skewed');
    await failureOf(executor.send(note, signal()));
    expect((await executor.reconcile(note, signal())).status).toBe('found');
  });
});
