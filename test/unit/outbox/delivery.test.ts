/**
 * The delivery loop against fake-indexeddb with scripted executors: order, one try at a time,
 * backoff and Retry-After, refusals, 401 pauses, and a worker stopped in the middle of a try.
 */
import { describe, expect, it } from 'vitest';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import { createDelivery, type DeliveryOptions } from '../../../lib/outbox/delivery.ts';
import type { OutboxExecutor, ReconcileResult } from '../../../lib/outbox/executors.ts';
import { RECONCILE_SETTLE_MS } from '../../../lib/outbox/schedule.ts';
import { clearPause, enqueue, getEntry, getPause, listEntries, listHistory } from '../../../lib/outbox/store.ts';
import type { Delivered, OutboxEntry } from '../../../lib/outbox/types.ts';
import { callRequest, noCampaignAdds } from './fixtures.ts';

type Script = (entry: OutboxEntry<'crm-call'>) => Promise<Delivered> | Delivered;

/** A fake CRM: what it holds, and a script of how each send behaves. */
class FakeService {
  readonly stored = new Map<string, number>();
  readonly log: string[] = [];
  active = 0;
  maxActive = 0;
  sendScript: Script[] = [];
  reconcileScript: ((entry: OutboxEntry<'crm-call'>) => Promise<ReconcileResult> | ReconcileResult)[] = [];

  executor: OutboxExecutor<'crm-call'> = {
    send: async (entry) => {
      this.log.push(`send ${entry.request.text}`);
      this.active += 1;
      this.maxActive = Math.max(this.maxActive, this.active);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        const step = this.sendScript.shift();
        if (step) return await step(entry);
        return this.commit(entry);
      } finally {
        this.active -= 1;
      }
    },
    reconcile: async (entry) => {
      this.log.push(`reconcile ${entry.request.text}`);
      const step = this.reconcileScript.shift();
      if (step) return step(entry);
      return this.stored.has(entry.id)
        ? { status: 'found', delivered: { via: 'reconciled', remoteId: `r-${entry.id}` } }
        : { status: 'absent' };
    },
  };

  commit(entry: OutboxEntry): Delivered {
    this.stored.set(entry.id, (this.stored.get(entry.id) ?? 0) + 1);
    return { via: 'response', remoteId: `r-${entry.id}` };
  }
}

const fail = (failure: Omit<Failure, 'service'>) => (): never => {
  throw new ServiceError({ service: 'CRM', ...failure });
};

function setup(fake: FakeService, overrides: Partial<DeliveryOptions> = {}) {
  const clock = { now: 1_000_000 };
  const delivery = createDelivery({
    executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds },
    now: () => clock.now,
    random: () => 0.5,
    setTimer: () => undefined,
    clearTimer: () => undefined,
    settingsFingerprint: async () => 'fp',
    ...overrides,
  });
  return { clock, delivery };
}

async function add(text: string, at = 1_000_000) {
  return enqueue({ kind: 'crm-call', request: callRequest({ text }) }, at);
}

describe('delivery', () => {
  it('delivers each service in seq order, one try at a time, and records the history', async () => {
    const fake = new FakeService();
    const delivery = createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds } });
    for (const text of ['one', 'two', 'three', 'four']) await add(text, Date.now());
    delivery.kick();
    delivery.kick(); // a second wake-up while running starts no second runner
    await delivery.idle();
    expect(fake.log).toEqual(['send one', 'send two', 'send three', 'send four']);
    expect(fake.maxActive).toBe(1);
    expect((await listEntries()).map((e) => e.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect((await listHistory()).map((h) => h.text)).toEqual(['four', 'three', 'two', 'one']);
  });

  it('picks up an entry queued while it runs', async () => {
    const fake = new FakeService();
    const delivery = createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds } });
    await add('first', Date.now());
    fake.sendScript.push(async (entry) => {
      await add('queued meanwhile', Date.now());
      delivery.kick();
      return fake.commit(entry);
    });
    delivery.kick();
    await delivery.idle();
    expect(fake.log).toEqual(['send first', 'send queued meanwhile']);
  });

  it('waits out the backoff and Retry-After before trying again', async () => {
    const fake = new FakeService();
    const { clock, delivery } = setup(fake);
    const entry = await add('limited');
    fake.sendScript.push(fail({ kind: 'rate-limited', status: 429, retryAfterMs: 30_000 }));
    expect(await delivery.step('crm')).toMatchObject({ kind: 'tried', outcome: 'retry' });
    const queued = await getEntry(entry.id);
    expect(queued).toMatchObject({ state: 'queued', attempts: 1, unconfirmed: false, lastError: { kind: 'rate-limited' } });
    expect(queued!.nextAttemptAt).toBe(clock.now + 30_000);
    expect(await delivery.step('crm')).toEqual({ kind: 'waiting', until: clock.now + 30_000 });
    clock.now += 30_000;
    expect(await delivery.step('crm')).toMatchObject({ kind: 'tried', outcome: 'sent', phase: 'send' });
    // A 429 proves nothing landed: no reconciliation was needed.
    expect(fake.log).toEqual(['send limited', 'send limited']);
  });

  it('holds the line: later entries wait while the head backs off', async () => {
    const fake = new FakeService();
    const { clock, delivery } = setup(fake);
    await add('head');
    await add('behind');
    fake.sendScript.push(fail({ kind: 'server', status: 503 }));
    await delivery.step('crm');
    expect((await delivery.step('crm')).kind).toBe('waiting');
    clock.now += 5 * 60_000;
    await delivery.step('crm');
    await delivery.step('crm');
    expect(fake.log).toEqual(['send head', 'reconcile head', 'send head', 'send behind']);
  });

  it('reconciles a send that may have landed, and counts it sent when found', async () => {
    const fake = new FakeService();
    const { clock, delivery } = setup(fake);
    const entry = await add('dropped after commit');
    fake.sendScript.push((e) => {
      fake.commit(e);
      throw new ServiceError({ service: 'CRM', kind: 'offline', mayHaveReached: true });
    });
    await delivery.step('crm');
    expect(await getEntry(entry.id)).toMatchObject({ state: 'queued', unconfirmed: true });
    clock.now += RECONCILE_SETTLE_MS;
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'sent', phase: 'reconcile' });
    expect(fake.stored.get(entry.id)).toBe(1);
    expect(fake.log).toEqual(['send dropped after commit', 'reconcile dropped after commit']);
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sent', delivered: { via: 'reconciled' } });
  });

  it('a failed reconciliation keeps the entry unconfirmed and sends nothing', async () => {
    const fake = new FakeService();
    const { clock, delivery } = setup(fake);
    const entry = await add('x');
    fake.sendScript.push(fail({ kind: 'timeout', mayHaveReached: true }));
    fake.reconcileScript.push(fail({ kind: 'rate-limited', status: 429, retryAfterMs: 1_000 }));
    await delivery.step('crm');
    clock.now += 60_000;
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'retry', phase: 'reconcile' });
    expect(await getEntry(entry.id)).toMatchObject({ state: 'queued', unconfirmed: true, attempts: 2 });
    clock.now += 60_000;
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'sent', phase: 'send' });
    expect(fake.log).toEqual(['send x', 'reconcile x', 'reconcile x', 'send x']);
  });

  it('a worker stopped mid-try leaves a sending entry that the next worker reconciles first', async () => {
    const fake = new FakeService();
    const clock = { now: 1_000_000 };
    const options = { now: () => clock.now, random: () => 0.5, setTimer: () => undefined, clearTimer: () => undefined };
    const first = createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds }, ...options });
    const entry = await add('cut off');
    let landed!: () => void;
    const reached = new Promise<void>((resolve) => (landed = resolve));
    // The request lands, then the worker is stopped: the promise never settles.
    fake.sendScript.push((e) => {
      fake.commit(e);
      landed();
      return new Promise<never>(() => undefined);
    });
    void first.step('crm');
    await reached;
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sending', unconfirmed: true, attempts: 1 });

    const second = createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds }, ...options });
    // Too soon after the cut-off try: the server may still be working on it.
    expect(await second.step('crm')).toEqual({ kind: 'waiting', until: clock.now + RECONCILE_SETTLE_MS });
    clock.now += RECONCILE_SETTLE_MS;
    expect(await second.step('crm')).toMatchObject({ outcome: 'sent', phase: 'reconcile' });
    expect(fake.stored.get(entry.id)).toBe(1);
    expect(await second.step('crm')).toEqual({ kind: 'idle' });
  });

  it('sends the stopped try again when reconciliation finds it absent', async () => {
    const fake = new FakeService();
    const clock = { now: 1_000_000 };
    const options = { now: () => clock.now, random: () => 0.5, setTimer: () => undefined, clearTimer: () => undefined };
    const entry = await add('never left');
    let started!: () => void;
    const began = new Promise<void>((resolve) => (started = resolve));
    fake.sendScript.push(() => {
      started();
      return new Promise<never>(() => undefined);
    });
    void createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds }, ...options }).step('crm');
    await began;
    const second = createDelivery({ executors: { 'crm-call': fake.executor, 'campaign-add': noCampaignAdds }, ...options });
    clock.now += RECONCILE_SETTLE_MS;
    expect(await second.step('crm')).toMatchObject({ outcome: 'sent', phase: 'send' });
    expect(fake.stored.get(entry.id)).toBe(1);
    expect(await getEntry(entry.id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a refused entry waits for the user; the next one goes on', async () => {
    const fake = new FakeService();
    const { delivery } = setup(fake);
    const refused = await add('bad');
    await add('good');
    fake.sendScript.push(fail({ kind: 'invalid', status: 422, message: 'text: is too long' }));
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'attention' });
    expect(await getEntry(refused.id)).toMatchObject({
      state: 'needs-attention',
      unconfirmed: false,
      lastError: { status: 422, message: 'text: is too long' },
    });
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'sent' });
    expect(await delivery.step('crm')).toEqual({ kind: 'idle' });
  });

  it('a 401 pauses the whole service, keeping every entry, until the pause is lifted', async () => {
    const fake = new FakeService();
    const { delivery } = setup(fake);
    const a = await add('a');
    await add('b');
    fake.sendScript.push(fail({ kind: 'auth', status: 401 }));
    expect(await delivery.step('crm')).toMatchObject({ outcome: 'pause' });
    expect(await getPause('crm')).toMatchObject({ service: 'crm', failure: { status: 401 }, settingsFingerprint: 'fp' });
    expect(await getEntry(a.id)).toMatchObject({ state: 'queued', lastError: { status: 401 } });
    expect(await delivery.step('crm')).toEqual({ kind: 'paused' });
    expect(fake.log).toEqual(['send a']);
    await clearPause('crm');
    await delivery.step('crm');
    await delivery.step('crm');
    expect(fake.log).toEqual(['send a', 'send a', 'send b']);
    expect((await listEntries()).every((e) => e.state === 'sent')).toBe(true);
  });

  it('an unexpected error is not swallowed: the entry asks the user, with the message', async () => {
    const fake = new FakeService();
    const { delivery } = setup(fake, { log: () => undefined });
    const entry = await add('boom');
    fake.sendScript.push(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(await delivery.step('crm')).toMatchObject({ outcome: 'attention' });
    } finally {
      console.error = quiet;
    }
    // It may have reached the CRM (the error came mid-send), so it is checked before any resend.
    expect(await getEntry(entry.id)).toMatchObject({
      state: 'needs-attention',
      unconfirmed: true,
      lastError: { kind: 'unexpected', message: 'cannot read properties of undefined' },
    });
  });

  it('reports a try in flight, so the user cannot edit or discard it under the send', async () => {
    const fake = new FakeService();
    const { delivery } = setup(fake);
    const entry = await add('slow');
    let release!: () => void;
    fake.sendScript.push(async (e) => {
      await new Promise<void>((resolve) => (release = resolve));
      return fake.commit(e);
    });
    const running = delivery.step('crm');
    await expect.poll(() => delivery.isInFlight(entry.id)).toBe(true);
    release();
    await running;
    expect(delivery.isInFlight(entry.id)).toBe(false);
  });
});
