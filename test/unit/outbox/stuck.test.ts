/**
 * No entry is stuck and none blocks the line (issue 10): a payload the service keeps refusing
 * the same way is set aside once the service is seen answering others; a check that cannot be
 * made leaves an entry that can be retried, edited and sent anyway; a 401 pause belongs to the
 * credentials it was seen with, and saving credentials or a passing test lifts it.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import { createDelivery, type DeliveryOptions } from '../../../lib/outbox/delivery.ts';
import type { OutboxExecutor } from '../../../lib/outbox/executors.ts';
import { editBlocker, POISON_TRIES, reconcileBlocked, sendAnyway } from '../../../lib/outbox/state.ts';
import {
  credentialsGeneration,
  enqueue,
  getEntry,
  getPause,
  renewCredentials,
  setPauseIfCurrent,
  updateEntry,
} from '../../../lib/outbox/store.ts';
import type { OutboxEntry } from '../../../lib/outbox/types.ts';
import { callRequest, noCampaignAdds } from './fixtures.ts';

const failure = (f: Omit<Failure, 'service'>): ServiceError => new ServiceError({ service: 'CRM', ...f });

function setup(executor: OutboxExecutor<'crm-call'>, overrides: Partial<DeliveryOptions> = {}) {
  const clock = { now: 1_000_000 };
  const delivery = createDelivery({
    executors: { 'crm-call': executor, 'campaign-add': noCampaignAdds },
    now: () => clock.now,
    random: () => 0.5,
    setTimer: () => undefined,
    clearTimer: () => undefined,
    settingsFingerprint: async () => 'fp',
    ...overrides,
  });
  return { clock, delivery };
}

/** Steps the CRM's delivery until `until` holds, moving the clock past every wait. */
async function stepUntil(
  delivery: ReturnType<typeof setup>['delivery'],
  clock: { now: number },
  until: () => Promise<boolean>,
  max = 50,
): Promise<void> {
  for (let i = 0; i < max && !(await until()); i += 1) {
    const result = await delivery.step('crm');
    if (result.kind === 'waiting') clock.now = result.until;
  }
}

describe('an entry that keeps failing the same way', () => {
  it(`is set aside after ${POISON_TRIES} same failures when the service answers others, and the next goes on`, async () => {
    const sent: string[] = [];
    const executor: OutboxExecutor<'crm-call'> = {
      async send(entry) {
        if (entry.request.text === 'poison') throw failure({ kind: 'server', status: 500, mayHaveReached: false });
        sent.push(entry.request.text);
        return { via: 'response', remoteId: entry.id };
      },
      async reconcile() {
        return { status: 'absent' };
      },
    };
    let probes = 0;
    const { clock, delivery } = setup(executor, {
      probe: async () => {
        probes += 1;
      },
    });
    const poison = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'poison' }) }, clock.now);
    await enqueue({ kind: 'crm-call', request: callRequest({ text: 'after it' }) }, clock.now);

    await stepUntil(delivery, clock, async () => sent.length > 0);
    const set = await getEntry(poison.id);
    expect(set).toMatchObject({ state: 'needs-attention', sameFailures: POISON_TRIES, lastError: { status: 500 } });
    expect(set!.setAside).toBe(
      `It failed ${POISON_TRIES} times in a row the same way while CRM answers other requests, so it was set aside and what came after it went on.`,
    );
    expect(set!.attempts).toBe(POISON_TRIES);
    expect(probes).toBe(1);
    expect(sent).toEqual(['after it']);
  });

  it('is not set aside while the service answers nothing (an outage): the line holds, in order', async () => {
    const executor: OutboxExecutor<'crm-call'> = {
      async send() {
        throw failure({ kind: 'server', status: 503, mayHaveReached: false });
      },
      async reconcile() {
        return { status: 'absent' };
      },
    };
    const { clock, delivery } = setup(executor, {
      probe: async () => {
        throw failure({ kind: 'server', status: 503 });
      },
    });
    const first = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'first' }) }, clock.now);
    const second = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'second' }) }, clock.now);
    await stepUntil(delivery, clock, async () => false, 3 * POISON_TRIES);
    expect(await getEntry(first.id)).toMatchObject({ state: 'queued' });
    expect((await getEntry(first.id))!.attempts).toBeGreaterThan(POISON_TRIES);
    expect(await getEntry(second.id)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('a 429 is the service asking to wait, not a refusal: it is never counted', async () => {
    let calls = 0;
    const executor: OutboxExecutor<'crm-call'> = {
      async send(entry) {
        calls += 1;
        if (calls <= POISON_TRIES + 2) throw failure({ kind: 'rate-limited', status: 429, retryAfterMs: 1_000 });
        return { via: 'response', remoteId: entry.id };
      },
      async reconcile() {
        return { status: 'absent' };
      },
    };
    const { clock, delivery } = setup(executor, { probe: async () => undefined });
    const entry = await enqueue({ kind: 'crm-call', request: callRequest() }, clock.now);
    await stepUntil(delivery, clock, async () => (await getEntry(entry.id))?.state === 'sent');
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sent', attempts: POISON_TRIES + 3 });
  });
});

describe('a look for an earlier copy that cannot be made', () => {
  async function blockedEntry(): Promise<{
    entry: OutboxEntry;
    sends: string[];
    delivery: ReturnType<typeof setup>['delivery'];
    clock: { now: number };
  }> {
    const sends: string[] = [];
    const listing = 'forbidden' as 'forbidden' | 'ok';
    const executor: OutboxExecutor<'crm-call'> = {
      async send(entry) {
        sends.push(entry.request.text);
        if (sends.length === 1) throw failure({ kind: 'timeout', mayHaveReached: true });
        return { via: 'response', remoteId: entry.id };
      },
      async reconcile() {
        if (listing === 'forbidden') {
          throw failure({ kind: 'auth', status: 403, message: 'this key may not list calls' });
        }
        return { status: 'absent' };
      },
    };
    const { clock, delivery } = setup(executor);
    const entry = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'hello' }) }, clock.now);
    await stepUntil(delivery, clock, async () => (await getEntry(entry.id))?.state === 'needs-attention');
    return { entry: (await getEntry(entry.id))!, sends, delivery, clock };
  }

  it('needs attention, says so, and can be edited, retried, or sent anyway', async () => {
    const { entry, sends, delivery, clock } = await blockedEntry();
    expect(entry).toMatchObject({ state: 'needs-attention', unconfirmed: true, lastFailurePhase: 'reconcile' });
    expect(reconcileBlocked(entry)).toBe(true);
    expect(editBlocker(entry, false)).toBeUndefined();
    expect(sends).toEqual(['hello']);

    // Retry repeats the look (the user may have fixed the key's rights): still refused, still here.
    await updateEntry(entry.id, (e) => ({ ...e, state: 'queued', nextAttemptAt: 0 }));
    await stepUntil(delivery, clock, async () => (await getEntry(entry.id))?.state === 'needs-attention');
    expect(await getEntry(entry.id)).toMatchObject({ state: 'needs-attention', unconfirmed: true });

    // Send anyway: no look, one send, delivered.
    const result = await updateEntry(entry.id, (e) => sendAnyway(e, clock.now));
    expect(result.ok).toBe(true);
    await stepUntil(delivery, clock, async () => (await getEntry(entry.id))?.state === 'sent');
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sent' });
    expect(sends).toEqual(['hello', 'hello']);
  });

  it('sending anyway is refused where there is nothing to check', async () => {
    const plain = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    expect(sendAnyway(plain, 2)).toBe('Nothing needs checking first: use Retry now.');
  });
});

describe('a 401 pause belongs to the credentials it was seen with', () => {
  it('a refusal of the old key that arrives after the new key was saved does not pause the service', async () => {
    let savedDuringTry = false;
    const executor: OutboxExecutor<'crm-call'> = {
      async send(entry) {
        if (!savedDuringTry) {
          savedDuringTry = true;
          // The user saves the new key while this try, made with the old one, is on its way.
          await renewCredentials(['crm']);
          throw failure({ kind: 'auth', status: 401 });
        }
        return { via: 'response', remoteId: entry.id };
      },
      async reconcile() {
        return { status: 'absent' };
      },
    };
    const { clock, delivery } = setup(executor);
    const entry = await enqueue({ kind: 'crm-call', request: callRequest() }, clock.now);
    await delivery.step('crm');
    expect(await getPause('crm')).toBeUndefined();
    await delivery.step('crm');
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sent' });
  });

  it('a pause is lifted by saving the credentials again, even unchanged, and by a passing test', async () => {
    const generation = await credentialsGeneration('crm');
    const pause = { service: 'crm' as const, failure: { kind: 'auth' as const, service: 'CRM', status: 401 }, since: 1, settingsFingerprint: 'fp' };
    expect(await setPauseIfCurrent(pause, generation)).toBe(true);
    expect(await renewCredentials(['crm'])).toEqual(['crm']);
    expect(await getPause('crm')).toBeUndefined();
    // An older try's 401 cannot bring it back.
    expect(await setPauseIfCurrent(pause, generation)).toBe(false);
    expect(await getPause('crm')).toBeUndefined();
  });
});
