/**
 * The outbox's state machine: what each HTTP answer does to an entry (through the real fetch
 * wrapper, so a status is classified exactly as in production), and each transition's fields.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import { request } from '../../../lib/http.ts';
import {
  afterFailure,
  applyEdit,
  beginTry,
  classifyFailure,
  discardBlocker,
  dueAt,
  editBlocker,
  markSent,
  mayHaveApplied,
  retryNow,
} from '../../../lib/outbox/state.ts';
import { backoffCeiling, RECONCILE_SETTLE_MS } from '../../../lib/outbox/schedule.ts';
import type { OutboxEntry } from '../../../lib/outbox/types.ts';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status'));
    if (status === 0) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Connection: 'close' };
    if (status === 429 || status === 503) headers['Retry-After'] = '7';
    res.writeHead(status, headers);
    res.end(JSON.stringify({ status, message: 'said by the service' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The Failure the real fetch wrapper produces for a POST answered with `status` (0: dropped). */
async function failureFor(status: number): Promise<Failure> {
  try {
    await request({
      service: 'CRM',
      method: 'POST',
      url: `${base}/?status=${status}`,
      json: {},
      errorMessage: (body) => (body as { message?: string }).message,
    });
  } catch (error) {
    if (error instanceof ServiceError) return error.failure;
    throw error;
  }
  throw new Error(`status ${status} did not fail`);
}

function entry(overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: 'e1',
    kind: 'crm-call',
    service: 'crm',
    seq: 1,
    request: {
      contactId: '5f0c00000000000000000001',
      phoneNumber: '+16505550100',
      callResult: 'conversation',
      text: 'Hello',
      recordingLink: '',
      calledVia: 'Upcall',
      calledAt: 1_000,
      date: '2026-03-14',
    },
    state: 'queued',
    attempts: 0,
    failureStreak: 0,
    createdAt: 1_000,
    updatedAt: 1_000,
    nextAttemptAt: 1_000,
    unconfirmed: false,
    ...overrides,
  };
}

describe('what each answer does (issue: retry / needs attention / pause)', () => {
  const cases: [number, 'retry' | 'attention' | 'pause', boolean][] = [
    // status, action, may the POST have been applied
    [0, 'retry', true], // connection dropped
    [408, 'retry', true],
    [429, 'retry', false],
    [500, 'retry', true],
    [502, 'retry', true],
    [503, 'retry', true],
    [504, 'retry', true],
    [400, 'attention', false],
    [403, 'attention', false],
    [404, 'attention', false],
    [410, 'attention', false],
    [422, 'attention', false],
    [401, 'pause', false],
  ];
  it.each(cases)('HTTP %i → %s (may have applied: %s)', async (status, action, applied) => {
    const failure = await failureFor(status);
    expect(classifyFailure(failure)).toBe(action);
    expect(mayHaveApplied(failure)).toBe(applied);
  });

  it('keeps the service message for needs-attention entries', async () => {
    const failure = await failureFor(422);
    expect(failure.message).toBe('said by the service');
    const next = afterFailure(beginTry(entry(), 2_000), failure, 'send', false, 2_100, () => 0.5);
    expect(next.state).toBe('needs-attention');
    expect(next.lastError).toEqual(failure);
  });

  it('honours Retry-After on 429 and 503', async () => {
    for (const status of [429, 503]) {
      const failure = await failureFor(status);
      expect(failure.retryAfterMs).toBe(7_000);
      const next = afterFailure(beginTry(entry(), 2_000), failure, 'send', false, 2_100, () => 0);
      expect(next.nextAttemptAt).toBe(2_100 + 7_000);
    }
  });

  it('retries failures that are not HTTP answers', () => {
    const failures: Failure[] = [
      { kind: 'offline', service: 'CRM', mayHaveReached: true },
      { kind: 'timeout', service: 'CRM', mayHaveReached: true },
      { kind: 'bad-response', service: 'CRM', mayHaveReached: true },
      { kind: 'cancelled', service: 'CRM' },
    ];
    for (const failure of failures) {
      expect(classifyFailure(failure)).toBe('retry');
      expect(mayHaveApplied(failure)).toBe(true);
    }
    expect(classifyFailure({ kind: 'not-configured', service: 'CRM' })).toBe('pause');
    expect(classifyFailure({ kind: 'permission', service: 'CRM' })).toBe('pause');
    expect(classifyFailure({ kind: 'unexpected', service: 'CRM' })).toBe('attention');
  });
});

describe('transitions', () => {
  it('a try marks the entry sending and unconfirmed, counting attempts from the first', () => {
    const first = beginTry(entry(), 2_000);
    expect(first).toMatchObject({ state: 'sending', attempts: 1, unconfirmed: true, firstAttemptAt: 2_000, lastAttemptAt: 2_000 });
    const second = beginTry({ ...first, state: 'queued' }, 5_000);
    expect(second).toMatchObject({ attempts: 2, firstAttemptAt: 2_000, lastAttemptAt: 5_000 });
  });

  it('a retryable failure queues it again after a jittered wait within the bounds', () => {
    const started = { ...beginTry(entry(), 2_000), failureStreak: 1 }; // it failed once before
    const failure: Failure = { kind: 'server', service: 'CRM', status: 500, mayHaveReached: true };
    const early = afterFailure(started, failure, 'send', false, 3_000, () => 0);
    const late = afterFailure(started, failure, 'send', false, 3_000, () => 0.999);
    expect(early.state).toBe('queued');
    expect(early.nextAttemptAt).toBe(3_000);
    expect(late.nextAttemptAt).toBeLessThan(3_000 + backoffCeiling(2));
    expect(late.nextAttemptAt).toBeGreaterThan(3_000 + backoffCeiling(2) * 0.99);
  });

  it('the backoff grows with failures in a row, and an answer from the service resets it', () => {
    const server: Failure = { kind: 'server', service: 'CRM', status: 503, mayHaveReached: true };
    let current = entry();
    const ceilings: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      current = afterFailure(beginTry(current, 0), server, 'reconcile', true, 0, () => 0.999_999);
      ceilings.push(current.nextAttemptAt);
    }
    expect(current.failureStreak).toBe(4);
    expect(ceilings).toEqual([999, 1_999, 3_999, 7_999]);
    // This try's reconciliation answered ("absent"), then the send failed: a fresh streak of one.
    const afterAnswer = afterFailure(beginTry(current, 0), server, 'send', true, 0, () => 0.999_999);
    expect(afterAnswer).toMatchObject({ failureStreak: 1, nextAttemptAt: 999, attempts: 5 });
    expect(markSent(afterAnswer, { via: 'response' }, 1).failureStreak).toBe(0);
  });

  it('unconfirmed: a failed send says for itself; a failed reconcile keeps what was', () => {
    const started = beginTry(entry(), 1_000);
    const dropped: Failure = { kind: 'offline', service: 'CRM', mayHaveReached: true };
    const limited: Failure = { kind: 'rate-limited', service: 'CRM', status: 429 };
    expect(afterFailure(started, dropped, 'send', false, 2_000, () => 0).unconfirmed).toBe(true);
    expect(afterFailure(started, limited, 'send', true, 2_000, () => 0).unconfirmed).toBe(false);
    // The list call itself was rate-limited: the earlier send is still unaccounted for.
    expect(afterFailure(started, limited, 'reconcile', true, 2_000, () => 0).unconfirmed).toBe(true);
  });

  it('a 401 leaves the entry queued and due (its service is paused instead)', () => {
    const next = afterFailure(beginTry(entry(), 1_000), { kind: 'auth', service: 'CRM', status: 401 }, 'send', false, 2_000, () => 0.5);
    expect(next).toMatchObject({ state: 'queued', nextAttemptAt: 2_000, unconfirmed: false });
  });

  it('sent clears the error and records how it was found', () => {
    const sent = markSent({ ...beginTry(entry(), 1_000), lastError: { kind: 'offline', service: 'CRM' } }, { via: 'reconciled', remoteId: 'c1' }, 3_000);
    expect(sent).toMatchObject({ state: 'sent', unconfirmed: false, sentAt: 3_000, delivered: { via: 'reconciled', remoteId: 'c1' } });
    expect(sent.lastError).toBeUndefined();
  });

  it('a try cut off on our side waits for the server to settle before it is looked for', () => {
    // Left `sending` by a stopped worker: its request may be under way on the server.
    const stale = { ...beginTry(entry(), 10_000), nextAttemptAt: 10_100 };
    expect(dueAt(stale)).toBe(10_000 + RECONCILE_SETTLE_MS);
    expect(dueAt({ ...stale, nextAttemptAt: 60_000 })).toBe(60_000);
    expect(dueAt({ ...stale, state: 'queued' })).toBe(10_100);
    // A timeout: we stopped waiting, the server may not have stopped working.
    const started = beginTry(entry(), 10_000);
    const timedOut = afterFailure(started, { kind: 'timeout', service: 'CRM', mayHaveReached: true }, 'send', false, 25_000, () => 0);
    expect(timedOut.nextAttemptAt).toBe(25_000 + RECONCILE_SETTLE_MS);
    // A reset connection or a 5xx: the server is done with it; only the backoff applies.
    const dropped = afterFailure(started, { kind: 'offline', service: 'CRM', mayHaveReached: true }, 'send', false, 25_000, () => 0);
    expect(dropped.nextAttemptAt).toBe(25_000);
  });

  it('the user: retry now, edit, discard', () => {
    const refused = { ...entry({ state: 'needs-attention', nextAttemptAt: 9_999 }) };
    expect(retryNow(refused, 5_000)).toMatchObject({ state: 'queued', nextAttemptAt: 5_000 });
    expect(editBlocker(refused, false)).toBeUndefined();
    const edited = applyEdit({ ...refused, lastError: { kind: 'invalid', service: 'CRM', status: 422 } }, { ...refused.request, text: 'Fixed' }, 6_000);
    expect(edited).toMatchObject({ state: 'queued', nextAttemptAt: 6_000, request: { text: 'Fixed' } });
    expect(edited.lastError).toBeUndefined();

    expect(editBlocker(refused, true)).toMatch(/being sent/);
    // An entry whose earlier try may have landed can be edited: the copy found is updated.
    expect(editBlocker({ ...refused, unconfirmed: true }, false)).toBeUndefined();
    expect(applyEdit({ ...refused, unconfirmed: true }, refused.request, 6_000)).toMatchObject({
      unconfirmed: true,
      editedWhileUnconfirmed: true,
    });
    expect(editBlocker({ ...refused, state: 'sent' }, false)).toMatch(/already/);
    expect(discardBlocker(refused, false)).toBeUndefined();
    expect(discardBlocker({ ...refused, unconfirmed: true, state: 'sending' }, false)).toBeUndefined();
    expect(discardBlocker(refused, true)).toMatch(/being sent/);
    expect(discardBlocker({ ...refused, state: 'sent' }, false)).toMatch(/already/);
  });
});
