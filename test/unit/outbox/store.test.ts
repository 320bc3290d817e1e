/** The outbox's IndexedDB layer (fake-indexeddb, fresh per test). */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../lib/db.ts';
import { beginTry } from '../../../lib/outbox/state.ts';
import {
  clearPause,
  completeTry,
  countEntries,
  discardEntry,
  enqueue,
  finishTry,
  getEntry,
  getPause,
  listEntries,
  listHistory,
  listPauses,
  pendingHead,
  servicesWithPending,
  setPause,
  startTry,
  updateEntry,
} from '../../../lib/outbox/store.ts';
import { HISTORY_LIMIT, SENT_ENTRIES_KEPT } from '../../../lib/outbox/types.ts';
import type { CrmCallRequest } from '../../../lib/outbox/crm-call.ts';
import { callRequest } from './fixtures.ts';

describe('enqueue', () => {
  it('stores a queued entry, due now, in order', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'a' }) }, 1_000);
    const b = await enqueue({ kind: 'crm-call', request: callRequest({ text: 'b' }) }, 2_000);
    expect(a).toMatchObject({ kind: 'crm-call', service: 'crm', seq: 1, state: 'queued', attempts: 0, nextAttemptAt: 1_000, unconfirmed: false });
    expect(b.seq).toBe(2);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(await getEntry(a.id)).toEqual(a);
    expect((await listEntries()).map((e) => (e.request as CrmCallRequest).text)).toEqual(['a', 'b']);
  });

  it('refuses an invalid request and a reused id, storing nothing', async () => {
    await expect(enqueue({ kind: 'crm-call', request: callRequest({ contactId: '../x' }) }, 1)).rejects.toThrow();
    await enqueue({ kind: 'crm-call', request: callRequest(), id: 'same' }, 1);
    await expect(enqueue({ kind: 'crm-call', request: callRequest({ text: 'other' }), id: 'same' }, 2)).rejects.toThrow();
    const entries = await listEntries();
    expect(entries).toHaveLength(1);
    expect((entries[0]!.request as CrmCallRequest).text).toBe('Talked about the renewal');
  });

  it('writes its bookkeeping in the same transaction: both or neither', async () => {
    await enqueue({ kind: 'crm-call', request: callRequest() }, 1, async (tx) => {
      await tx.objectStore('meta').put('yes', 'side');
    });
    const db = await openDatabase();
    expect(await db.get('meta', 'side')).toBe('yes');
    await expect(
      enqueue({ kind: 'crm-call', request: callRequest() }, 2, async (tx) => {
        await tx.objectStore('meta').put('half', 'side');
        tx.abort();
      }),
    ).rejects.toThrow();
    expect(await db.get('meta', 'side')).toBe('yes');
    expect(await listEntries()).toHaveLength(1);
  });
});

describe('tries', () => {
  it('the head is the oldest entry still to deliver', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    const b = await enqueue({ kind: 'crm-call', request: callRequest() }, 2);
    const c = await enqueue({ kind: 'crm-call', request: callRequest() }, 3);
    expect((await pendingHead('crm'))?.id).toBe(a.id);
    await updateEntry(a.id, (e) => ({ ...e, state: 'needs-attention' }));
    expect((await pendingHead('crm'))?.id).toBe(b.id);
    const begun = await startTry(b.id, 10);
    expect(begun?.before.state).toBe('queued');
    // A try under way (or left by a stopped worker) is still the head.
    expect((await pendingHead('crm'))?.id).toBe(b.id);
    await completeTry(b.id, 1, { via: 'response', remoteId: 'r' }, 11);
    expect((await pendingHead('crm'))?.id).toBe(c.id);
    expect(await pendingHead('upcall')).toBeUndefined();
    expect(await servicesWithPending()).toEqual(['crm']);
  });

  it('marks the try before it starts, durably: the stored entry says sending and unconfirmed', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    const begun = await startTry(a.id, 50);
    expect(begun?.started).toMatchObject({ state: 'sending', attempts: 1, unconfirmed: true, lastAttemptAt: 50 });
    expect(await getEntry(a.id)).toEqual(begun?.started);
  });

  it('does not start a try on an entry that is gone or refused', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    await updateEntry(a.id, (e) => ({ ...e, state: 'needs-attention' }));
    expect(await startTry(a.id, 2)).toBeUndefined();
    expect(await startTry('missing', 2)).toBeUndefined();
  });

  it('a try that no longer owns the entry writes nothing (fencing by attempt)', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    const first = (await startTry(a.id, 10))!.started;
    // The worker stopped; the next one took the entry up again.
    const second = (await startTry(a.id, 20))!.started;
    expect(second.attempts).toBe(2);
    expect(await finishTry(a.id, first.attempts, { ...first, state: 'needs-attention' })).toBe(false);
    expect(await completeTry(a.id, first.attempts, { via: 'response' }, 30)).toBe(false);
    expect(await getEntry(a.id)).toEqual(second);
    expect(await listHistory()).toEqual([]);
    expect(await completeTry(a.id, second.attempts, { via: 'response', remoteId: 'r2' }, 40)).toBe(true);
    expect(await getEntry(a.id)).toMatchObject({ state: 'sent', delivered: { remoteId: 'r2' } });
  });
});

describe('history', () => {
  it('records each delivered call with the entry, newest first, the last 200', async () => {
    for (let i = 0; i < HISTORY_LIMIT + 5; i += 1) {
      const entry = await enqueue({ kind: 'crm-call', request: callRequest({ text: `note ${i}` }) }, i);
      await startTry(entry.id, i);
      await completeTry(entry.id, 1, { via: i % 2 ? 'reconciled' : 'response', remoteId: `c${i}` }, 10_000 + i);
    }
    const history = await listHistory();
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toMatchObject({ text: `note ${HISTORY_LIMIT + 4}`, remoteId: `c${HISTORY_LIMIT + 4}`, loggedAt: 10_000 + HISTORY_LIMIT + 4 });
    expect(history.at(-1)?.text).toBe('note 5');
    expect(history.every((r, i) => i === 0 || history[i - 1]!.loggedAt > r.loggedAt)).toBe(true);
    expect(await listHistory(3)).toHaveLength(3);
    // Delivered entries are pruned the same way.
    const sent = (await listEntries()).filter((e) => e.state === 'sent');
    expect(sent).toHaveLength(SENT_ENTRIES_KEPT);
    expect((sent[0]!.request as CrmCallRequest).text).toBe('note 5');
  });
});

describe('user actions and counts', () => {
  it('discard deletes unless the blocker refuses', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    expect(await discardEntry(a.id, () => 'busy')).toEqual({ ok: false, reason: 'busy' });
    expect(await getEntry(a.id)).toBeDefined();
    expect(await discardEntry(a.id, () => undefined)).toEqual({ ok: true });
    expect(await getEntry(a.id)).toBeUndefined();
  });

  it('update refuses with a reason and writes nothing', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    expect(await updateEntry(a.id, () => 'no')).toEqual({ ok: false, reason: 'no' });
    expect(await updateEntry('missing', (e) => e)).toMatchObject({ ok: false });
    expect(await getEntry(a.id)).toEqual(a);
  });

  it('counts queued (with sending) and needs-attention', async () => {
    const a = await enqueue({ kind: 'crm-call', request: callRequest() }, 1);
    const b = await enqueue({ kind: 'crm-call', request: callRequest() }, 2);
    await enqueue({ kind: 'crm-call', request: callRequest() }, 3);
    await startTry(a.id, 4);
    await updateEntry(b.id, (e) => ({ ...beginTry(e, 5), state: 'needs-attention' }));
    expect(await countEntries()).toEqual({ queued: 2, needsAttention: 1 });
  });

  it('keeps one pause per service', async () => {
    const failure = { kind: 'auth' as const, service: 'CRM', status: 401 };
    await setPause({ service: 'crm', failure, since: 1, settingsFingerprint: 'x' });
    await setPause({ service: 'upcall', failure: { ...failure, service: 'Upcall' }, since: 2, settingsFingerprint: 'y' });
    expect((await getPause('crm'))?.settingsFingerprint).toBe('x');
    expect((await listPauses()).map((p) => p.service).sort()).toEqual(['crm', 'upcall']);
    expect(await clearPause('crm')).toBe(true);
    expect(await clearPause('crm')).toBe(false);
    expect(await getPause('crm')).toBeUndefined();
  });
});
