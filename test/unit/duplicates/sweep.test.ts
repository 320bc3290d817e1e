/**
 * The duplicate sweep (issue 10): checks due together are looked at with one list per scope;
 * a write whose send was uncertain is looked at again once a late commit can no longer land; a
 * failed look is tried again soon (never after the outbox's long backoff) and given up only
 * after MAX_CHECK_ATTEMPTS, which Activity is told. The CRM remover removes only our own copies.
 */
import { describe, expect, it } from 'vitest';
import { createCall, withEntryMarker, type CrmConfig } from '../../../lib/crm/client.ts';
import { crmNoteRecord, crmRemover } from '../../../lib/duplicates/crm.ts';
import type { DuplicateRemover } from '../../../lib/duplicates/remover.ts';
import {
  countChecks,
  getCheck,
  listAbandonedChecks,
  listRemovals,
  newCheck,
  putChecks,
} from '../../../lib/duplicates/store.ts';
import { CHECK_RETRY_CAP_MS, createSweep } from '../../../lib/duplicates/sweep.ts';
import { FIRST_CHECK_DELAY_MS, MAX_CHECK_ATTEMPTS, type WrittenRecord } from '../../../lib/duplicates/types.ts';
import { ServiceError } from '../../../lib/errors.ts';
import type { ServiceId } from '../../../lib/services.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { contactId } from '../../../sandbox/demo/data.ts';
import { createCrmSimulator, type StoredCall } from '../../../sandbox/services/crm.ts';
import { useSandbox } from '../../support/sandbox.ts';

const T0 = 1_700_000_000_000;

function record(scope: string, n: number, service: ServiceId = 'crm'): WrittenRecord {
  return {
    service,
    scope,
    match: { ref: `ref${n}` },
    keepId: `keep${n}`,
    since: T0,
    label: `note ${n}`,
    source: { kind: 'outbox', id: `entry${n}` },
  };
}

interface Look {
  service: ServiceId;
  scope: string;
  records: string[];
}

function setup(
  look: (scope: string, records: readonly WrittenRecord[]) => Promise<{ removed: string[]; kept?: string }[]>,
) {
  const clock = { now: T0 };
  const looks: Look[] = [];
  const remover = (service: ServiceId): DuplicateRemover => ({
    async removeCopies(_config, scope, records) {
      looks.push({ service, scope, records: records.map((r) => r.label) });
      return look(scope, records);
    },
  });
  const sweep = createSweep({
    removers: {
      crm: remover('crm'),
      upcall: remover('upcall'),
      sipcaller: remover('sipcaller'),
      callemall: remover('callemall'),
      multisender: remover('multisender'),
    },
    config: async () => ({}),
    now: () => clock.now,
    random: () => 0.999,
    setTimer: () => undefined,
    clearTimer: () => undefined,
    log: () => undefined,
  });
  return { clock, looks, sweep };
}

describe('the sweep', () => {
  it('lists each scope once for all the writes due in it, and only when they are due', async () => {
    const { clock, looks, sweep } = setup(async (_scope, records) => records.map(() => ({ removed: [] })));
    await putChecks([
      newCheck('a', record('contact-1', 1), T0),
      newCheck('b', record('contact-1', 2), T0),
      newCheck('c', record('contact-2', 3), T0),
      newCheck('d', record('list-9', 4, 'callemall'), T0),
    ]);
    expect(await sweep.runDue()).toBe(0);
    clock.now = T0 + FIRST_CHECK_DELAY_MS;
    expect(await sweep.runDue()).toBe(4);
    expect(looks).toEqual(
      expect.arrayContaining([
        { service: 'crm', scope: 'contact-1', records: ['note 1', 'note 2'] },
        { service: 'crm', scope: 'contact-2', records: ['note 3'] },
        { service: 'callemall', scope: 'list-9', records: ['note 4'] },
      ]),
    );
    expect(looks).toHaveLength(3);
    expect(await countChecks()).toBe(0);
  });

  it('looks again after a late commit can no longer land, and logs what each round removed', async () => {
    let copies = ['x1'];
    const { clock, sweep } = setup(async (_scope, records) => records.map(() => ({ removed: copies, kept: 'keep1' })));
    await putChecks([newCheck('a', record('contact-1', 1), T0, T0 + 120_000)]);
    clock.now = T0 + FIRST_CHECK_DELAY_MS;
    await sweep.runDue();
    expect((await getCheck('a'))?.round).toBe(2);
    expect((await getCheck('a'))?.dueAt).toBe(T0 + 120_000);
    copies = ['x2'];
    clock.now = T0 + 120_000;
    await sweep.runDue();
    expect(await getCheck('a')).toBeUndefined();
    expect((await listRemovals()).map((r) => r.removed)).toEqual([['x2'], ['x1']]);
  });

  it('tries a failed look again within the cap, honours a longer Retry-After, and gives up after the last attempt', async () => {
    const answer: { retryAfterMs?: number } = {};
    const { clock, sweep } = setup(async () => {
      throw new ServiceError({
        service: 'CRM',
        kind: 'server',
        message: 'CRM is unavailable (503).',
        retryAfterMs: answer.retryAfterMs,
      });
    });
    await putChecks([newCheck('a', record('contact-1', 1), T0)]);
    clock.now = T0 + FIRST_CHECK_DELAY_MS;
    for (let attempt = 1; attempt < MAX_CHECK_ATTEMPTS; attempt += 1) {
      await sweep.runDue();
      const check = (await getCheck('a'))!;
      expect(check.attempts).toBe(attempt);
      expect(check.dueAt - clock.now).toBeLessThanOrEqual(CHECK_RETRY_CAP_MS);
      clock.now = check.dueAt;
    }
    answer.retryAfterMs = 90_000;
    await putChecks([newCheck('b', record('contact-2', 2), clock.now, undefined, 0)]);
    await sweep.runDue();
    expect(await getCheck('a')).toBeUndefined();
    expect((await getCheck('b'))!.dueAt - clock.now).toBe(90_000);
    const abandoned = await listAbandonedChecks();
    expect(abandoned.map((a) => [a.label, a.failure.message])).toEqual([['note 1', 'CRM is unavailable (503).']]);
  });
});

describe('the CRM remover', () => {
  const clock = { now: Date.UTC(2026, 11, 1, 15) };
  const simulator = createCrmSimulator({ now: () => clock.now });
  const sandbox = useSandbox({ simulators: [simulator] });
  const { userId, apiKey } = SANDBOX_CREDENTIALS.crm;
  const config = (): CrmConfig => ({ baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.crm}`, userId, apiKey });
  const calls = () => (simulator.state() as { calls: StoredCall[] }).calls;

  it('keeps the copy the CRM answered with, removes the other copies of that note, and touches no one else’s call', async () => {
    const contact = contactId(3);
    const note = { contactId: contact, callResult: 'conversation' as const, date: '2026-12-01' };
    const ours = withEntryMarker('Talked about the renewal.', 'entry-1');
    const first = await createCall(config(), { ...note, text: ours });
    const copy = await createCall(config(), { ...note, text: ours });
    const theirs = await createCall(config(), { ...note, text: 'Talked about the renewal.' });
    const other = await createCall(config(), { ...note, text: withEntryMarker('Another note.', 'entry-2') });
    const rec = crmNoteRecord({
      contactId: contact,
      ref: /\[ref ([0-9a-f]{8})\]/.exec(ours)![1]!,
      keepId: copy.id,
      since: clock.now - 60_000,
      label: 'the note',
      source: { kind: 'outbox', id: 'entry-1' },
    });
    const [outcome] = await crmRemover.removeCopies(config(), contact, [rec], AbortSignal.timeout(5_000));
    expect(outcome).toEqual({ removed: [first.id], kept: copy.id });
    expect(
      calls()
        .map((c) => c.id)
        .sort(),
    ).toEqual([copy.id, theirs.id, other.id].sort());
  });
});
