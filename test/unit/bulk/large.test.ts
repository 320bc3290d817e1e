/**
 * A bulk add of 10,000 numbers through the real background's router (issue 10): one message
 * carries at most MAX_BULK_NUMBERS, so the This page tab hands the selection over in chunks and
 * the job holds every number; a stage that lost a chunk is refused with a sentence, never
 * started short.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageSenderLike } from '../../../lib/messaging.ts';
import { MAX_BULK_NUMBERS, type BulkJobView } from '../../../lib/protocol/campaigns.ts';
import { sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import { startTestBackground, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN, type TestBackground } from '../../support/background-harness.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();
const popup: MessageSenderLike = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}/popup.html` };
let background: TestBackground;

async function send<T>(type: string, payload: unknown): Promise<{ ok: boolean; value?: T }> {
  return ((await background.send({ type, payload }, popup)) as { ok: boolean; value?: T } | undefined) ?? { ok: false };
}

/** +1 212 200 0000 onwards: 10,000 distinct valid US numbers. */
function contacts(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ e164: `+1212${String(2_000_000 + from + i)}` }));
}

beforeEach(async () => {
  background = startTestBackground({ granted: () => true });
  const saved = await send<{ ok: boolean }>('settings/save', { settings: sandboxSettings(sandbox.current.url), secrets: sandboxSecrets() });
  expect(saved.value?.ok).toBe(true);
  await send('campaigns/list', { refresh: true });
});

describe('a bulk add beyond one message', () => {
  it('10,000 numbers: the router refuses them in one message, takes them in chunks, and the job holds all', async () => {
    const all = contacts(0, 10_000);
    // One message of 10,000 is more than the router accepts: it answers nothing.
    expect(await background.send({ type: 'bulk/start', payload: { service: 'upcall', campaignId: '1001', contacts: all } }, popup)).toBeUndefined();

    const stageId = crypto.randomUUID();
    const staged = await send<{ ok: boolean; staged: number }>('bulk/stage', { stageId, contacts: all.slice(0, MAX_BULK_NUMBERS) });
    expect(staged.value).toEqual({ ok: true, staged: MAX_BULK_NUMBERS });
    const started = await send<{ ok: boolean; job: BulkJobView }>('bulk/start', {
      service: 'upcall',
      campaignId: '1001',
      contacts: all.slice(MAX_BULK_NUMBERS),
      stageId,
      staged: MAX_BULK_NUMBERS,
    });
    expect(started.value?.ok, JSON.stringify(started)).toBe(true);
    expect(started.value?.job).toMatchObject({ total: 10_000, state: 'running' });

    // It runs with the same progress and cancel as any job.
    const deadline = Date.now() + 20_000;
    let status = (await send<BulkJobView>('bulk/status', {})).value!;
    while (status.added < 20 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await send<BulkJobView>('bulk/status', {})).value!;
    }
    expect(status.added).toBeGreaterThanOrEqual(20);
    const cancelled = (await send<BulkJobView>('bulk/cancel', {})).value!;
    expect(cancelled).toMatchObject({ state: 'cancelled', total: 10_000 });
    expect(cancelled.added + cancelled.notSent + cancelled.duplicate + cancelled.failed + cancelled.doNotCall).toBe(10_000);
    // The last numbers were in the job too: the first and the last chunk's ends.
    const numbers = sandbox.current.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/numbers')).map((r) => r.query.phone);
    expect(numbers).toContain('12122000000');
  });

  it('a stage that lost a chunk (its worker stopped between messages) is refused, and nothing starts', async () => {
    const stageId = crypto.randomUUID();
    const started = await send<{ ok: boolean; reason: string }>('bulk/start', {
      service: 'upcall',
      campaignId: '1001',
      contacts: contacts(0, 10),
      stageId,
      staged: MAX_BULK_NUMBERS,
    });
    expect(started.value).toEqual({
      ok: false,
      reason: `Only 0 of the ${MAX_BULK_NUMBERS} numbers sent before reached the background, so nothing was started. Press Add again.`,
    });
    expect((await send<BulkJobView | null>('bulk/status', {})).value).toBeNull();
  });
});
