/**
 * Bounded storage (issue 10): after 10,000 operations of every kind that leaves something in
 * IndexedDB — notes delivered (with their duplicate checks), campaign adds looked up and then
 * discarded, click-to-calls whose answer was lost and never retried, numbers used from pages —
 * every store holds no more than its stated bound, and nothing of finished work is left in `meta`.
 */
import { describe, expect, it } from 'vitest';
import { ATTEMPT_KEPT_MS, countUnconfirmed, markUnconfirmed } from '../../lib/click-to-call/store.ts';
import { openDatabase } from '../../lib/db.ts';
import { crmNoteRecord } from '../../lib/duplicates/crm.ts';
import { countChecks } from '../../lib/duplicates/store.ts';
import { createSweep } from '../../lib/duplicates/sweep.ts';
import {
  countNumberMemory,
  NUMBER_MEMORY_LIMIT,
  readNumberMemory,
  rememberNumberUsed,
} from '../../lib/log-call/number-memory.ts';
import { createDelivery } from '../../lib/outbox/delivery.ts';
import type { OutboxExecutor } from '../../lib/outbox/executors.ts';
import { discardEntry, enqueue } from '../../lib/outbox/store.ts';
import { CAMPAIGN_CHECKED_PREFIX, HISTORY_LIMIT, SENT_ENTRIES_KEPT } from '../../lib/outbox/types.ts';
import { callRequest, noCampaignAdds } from './outbox/fixtures.ts';

const NOTES = 600;
const DISCARDED_ADDS = 1_000;
const ABANDONED_CALLS = 1_000;
const NUMBERS_USED = 7_400;

const T0 = 1_700_000_000_000;

async function metaKeys(): Promise<string[]> {
  const db = await openDatabase();
  return (await db.getAllKeys('meta')).map(String);
}

describe('the stores after 10,000 operations', () => {
  it('hold no more than their bounds', { timeout: 120_000 }, async () => {
    expect(NOTES + DISCARDED_ADDS + ABANDONED_CALLS + NUMBERS_USED).toBe(10_000);
    const clock = { now: T0 };

    // Notes, each delivered with a write to look at again, then the sweep runs them all.
    const executor: OutboxExecutor<'crm-call'> = {
      async send(entry) {
        return {
          via: 'response',
          remoteId: entry.id,
          written: crmNoteRecord({
            contactId: entry.request.contactId,
            ref: entry.id.slice(0, 8),
            keepId: entry.id,
            since: clock.now,
            label: 'a note',
            source: { kind: 'outbox', id: entry.id },
          }),
        };
      },
      async reconcile() {
        return { status: 'absent' };
      },
    };
    const delivery = createDelivery({
      executors: { 'crm-call': executor, 'campaign-add': noCampaignAdds },
      now: () => clock.now,
      random: () => 0.5,
      setTimer: () => undefined,
      clearTimer: () => undefined,
      settingsFingerprint: async () => 'fp',
    });
    for (let i = 0; i < NOTES; i += 1) {
      await enqueue({ kind: 'crm-call', request: callRequest({ text: `note ${i}` }) }, clock.now);
      expect(await delivery.step('crm')).toMatchObject({ kind: 'tried', outcome: 'sent' });
      clock.now += 1_000;
    }
    clock.now += 10 * 60_000;
    const sweep = createSweep({
      removers: Object.fromEntries(
        (['crm', 'upcall', 'sipcaller', 'callemall', 'multisender'] as const).map((service) => [
          service,
          {
            removeCopies: async (_config: unknown, _scope: string, records: readonly unknown[]) =>
              records.map(() => ({ removed: [] })),
          },
        ]),
      ) as never,
      config: async () => ({}),
      now: () => clock.now,
      setTimer: () => undefined,
      clearTimer: () => undefined,
    });
    while ((await sweep.runDue()) > 0);

    // Campaign adds whose earlier try was looked up, then discarded by the user.
    const db = await openDatabase();
    for (let i = 0; i < DISCARDED_ADDS; i += 1) {
      const entry = await enqueue(
        {
          kind: 'campaign-add',
          request: {
            service: 'upcall',
            campaignId: '7',
            campaignName: 'Spring',
            contact: { e164: `+1650555${String(i).padStart(4, '0')}` },
            overrideDoNotCall: false,
          },
        },
        clock.now,
      );
      await db.put('meta', true, CAMPAIGN_CHECKED_PREFIX + entry.id);
      expect(await discardEntry(entry.id, () => undefined)).toEqual({ ok: true });
    }

    // Click-to-calls whose answer was lost and that nobody retried, an hour apart.
    for (let i = 0; i < ABANDONED_CALLS; i += 1) {
      clock.now += 60 * 60_000;
      await markUnconfirmed({
        requestId: `req-${i}`,
        baseUrl: 'https://ms.example',
        numbers: ['+16505550100'],
        at: clock.now,
      });
    }

    // Numbers used from pages, each once.
    for (let i = 0; i < NUMBERS_USED; i += 1) {
      clock.now += 1_000;
      await rememberNumberUsed({ e164: `+1415${String(i).padStart(7, '0')}`, action: 'copy', at: clock.now });
    }

    expect(await db.count('outbox')).toBeLessThanOrEqual(SENT_ENTRIES_KEPT);
    expect(await db.count('history')).toBeLessThanOrEqual(HISTORY_LIMIT);
    expect(await countChecks()).toBe(0);
    // One day's worth of marks (at most 25 an hour apart), not a thousand.
    expect(await countUnconfirmed()).toBeLessThanOrEqual(ATTEMPT_KEPT_MS / (60 * 60_000) + 1);
    expect(await countNumberMemory()).toBeLessThanOrEqual(NUMBER_MEMORY_LIMIT);
    // The most recent numbers are the ones kept.
    expect(await readNumberMemory(`+1415${String(NUMBERS_USED - 1).padStart(7, '0')}`)).toBeDefined();
    expect(await readNumberMemory('+14150000000')).toBeUndefined();
    const keys = await metaKeys();
    expect(keys.filter((key) => key.startsWith(CAMPAIGN_CHECKED_PREFIX))).toEqual([]);
    // Everything else in meta is one key per kind of state, not per piece of work.
    const other = keys.filter((key) => !key.startsWith('number/') && !key.startsWith('click-to-call/attempt/'));
    expect(other.length).toBeLessThanOrEqual(10);
  });
});
