import { describe, expect, it } from 'vitest';
import { createBulkAdapter, type BulkAdapter } from '../../../lib/bulk/adapters.ts';
import { countItems, groupFailures, newBulkJob, type BulkJob } from '../../../lib/bulk/job.ts';
import { runBulkJob } from '../../../lib/bulk/run.ts';
import type { ContactDetails } from '../../../lib/providers/types.ts';
import type { CampaignServiceId } from '../../../lib/services.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();

function config(service: CampaignServiceId): unknown {
  const baseUrl = `${sandbox.current.url}${SERVICE_PREFIXES[service]}`;
  if (service === 'upcall') return { baseUrl, token: SANDBOX_CREDENTIALS.upcall.token };
  if (service === 'sipcaller')
    return { baseUrl, ...SANDBOX_CREDENTIALS.sipcaller, varOrder: ['first_name', 'company'] };
  return { baseUrl, ...SANDBOX_CREDENTIALS.callemall };
}

/** n distinct US numbers in 555-01xx style, with names. */
function contacts(n: number, from = 0): ContactDetails[] {
  return Array.from({ length: n }, (_, i) => ({
    e164: `+1650555${String(2000 + from + i).padStart(4, '0')}`,
    firstName: `First${from + i}`,
    lastName: `Last${from + i}`,
    company: 'Northwind',
  }));
}

function job(
  service: CampaignServiceId,
  campaignId: string,
  list: ContactDetails[],
  blocked = new Map<string, string>(),
): BulkJob {
  return newBulkJob({
    id: 'job-1',
    service,
    campaignId,
    campaignName: 'Test campaign',
    contacts: list,
    blocked,
    outsideHours: 0,
    callingHours: { start: '09:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] },
    now: Date.now(),
  });
}

/** Wraps an adapter to measure how many of its calls overlap. */
function measured(adapter: BulkAdapter): { adapter: BulkAdapter; max: () => number } {
  let current = 0;
  let max = 0;
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      current += 1;
      max = Math.max(max, current);
      try {
        return await fn(...args);
      } finally {
        current -= 1;
      }
    };
  return {
    adapter: {
      ...adapter,
      processItem: wrap(adapter.processItem.bind(adapter)),
      uploadBatch: adapter.uploadBatch ? wrap(adapter.uploadBatch.bind(adapter)) : undefined,
    },
    max: () => max,
  };
}

const upcallNumbers = (campaignId: string) =>
  (
    sandbox.current.simulators.find((s) => s.id === 'upcall')!.state() as {
      numbers: { campaignId: string; phone: string }[];
    }
  ).numbers.filter((n) => n.campaignId === campaignId);

describe('runBulkJob with Upcall', () => {
  it('adds every number, four at a time at most, through 429s and 5xx, with a correct summary', async () => {
    const list = contacts(60);
    // Two already there, one blocked by screening before the run.
    sandbox.current.simulators.find((s) => s.id === 'upcall')!.reset();
    const seeded = createBulkAdapter('upcall', config('upcall'), '1001');
    await seeded.processItem(
      { ...list[0]!, status: 'pending', attempts: 0 },
      new AbortController().signal,
      async () => undefined,
    );
    await seeded.processItem(
      { ...list[1]!, status: 'pending', attempts: 0 },
      new AbortController().signal,
      async () => undefined,
    );
    sandbox.current.requests.length = 0;

    sandbox.current.faults.addRule({ service: 'upcall', method: 'POST', mode: 'rate-limit', retryAfter: 1, count: 2 });
    sandbox.current.faults.addRule({ service: 'upcall', method: 'GET', mode: 'status', status: 503, count: 3 });
    sandbox.current.faults.addRule({ service: 'upcall', method: 'POST', mode: 'drop-after', count: 1 });
    const { adapter, max } = measured(createBulkAdapter('upcall', config('upcall'), '1001'));
    const saved: number[] = [];
    const done = await runBulkJob(
      job('upcall', '1001', list, new Map([[list[2]!.e164, 'your do-not-call list']])),
      { adapter, save: async (j) => void saved.push(countItems(j.items).done), random: () => 0 },
      new AbortController().signal,
    );

    expect(done.state).toBe('done');
    expect(countItems(done.items)).toEqual({
      total: 60,
      done: 60,
      added: 57,
      duplicate: 2,
      doNotCall: 1,
      failed: 0,
      notSent: 0,
    });
    expect(max()).toBeLessThanOrEqual(4);
    expect(max()).toBeGreaterThan(1);
    // Every number once in the campaign, even the one whose answer was dropped.
    const phones = upcallNumbers('1001').map((n) => n.phone);
    for (const c of list.slice(3)) expect(phones.filter((p) => p === c.e164)).toHaveLength(1);
    expect(phones).not.toContain(list[2]!.e164);
    // Progress was written along the way, not only at the end.
    expect(saved.length).toBeGreaterThan(1);
    expect(saved.at(-1)).toBe(60);
  });

  it('waits out a 429’s Retry-After before any further request', async () => {
    sandbox.current.faults.addRule({ service: 'upcall', mode: 'rate-limit', retryAfter: 1, count: 1 });
    const done = await runBulkJob(
      job('upcall', '1001', contacts(12)),
      { adapter: createBulkAdapter('upcall', config('upcall'), '1001'), save: async () => undefined },
      new AbortController().signal,
    );
    expect(countItems(done.items).added).toBe(12);
    const requests = sandbox.current.requests.filter((r) => r.service === 'upcall');
    const limited = requests.find((r) => r.status === 429)!;
    const later = requests.filter((r) => r.seq > limited.seq);
    // The other three workers' requests were already on their way; nothing new starts in the pause.
    const inside = later.filter((r) => r.time < limited.time + 950);
    expect(inside.length).toBeLessThanOrEqual(3);
    expect(inside.every((r) => r.time - limited.time < 100)).toBe(true);
    expect(later.some((r) => r.time >= limited.time + 1000)).toBe(true);
  });

  it('gives up on a number after repeated 5xx and says why', async () => {
    const list = contacts(3);
    sandbox.current.faults.addRule({
      service: 'upcall',
      mode: 'status',
      status: 500,
      count: 1000,
      pathIncludes: '/numbers',
    });
    const done = await runBulkJob(
      job('upcall', '1001', list),
      {
        adapter: createBulkAdapter('upcall', config('upcall'), '1001'),
        save: async () => undefined,
        maxAttempts: 2,
        random: () => 0,
      },
      new AbortController().signal,
    );
    expect(countItems(done.items)).toMatchObject({ failed: 3, added: 0 });
    expect(groupFailures(done.items)).toEqual([
      {
        reason: 'Upcall had a problem (500): Injected failure. It will be retried. Gave up after 2 tries.',
        count: 3,
        numbers: list.map((c) => c.e164),
      },
    ]);
  });

  it('stops at once when the token is refused, sending nothing more', async () => {
    const bad = { ...(config('upcall') as object), token: 'wrong' };
    const done = await runBulkJob(
      job('upcall', '1001', contacts(20)),
      { adapter: createBulkAdapter('upcall', bad, '1001'), save: async () => undefined },
      new AbortController().signal,
    );
    expect(done.state).toBe('stopped');
    expect(done.stopReason).toBe('Upcall rejected the token (401). Check the Upcall settings in options.');
    expect(countItems(done.items).failed).toBe(20);
    // The four workers' first requests, then nothing.
    expect(sandbox.current.requests.filter((r) => r.service === 'upcall').length).toBeLessThanOrEqual(4);
  });

  it('cancels: requests under way finish, nothing more is sent', async () => {
    const cancel = new AbortController();
    sandbox.current.faults.addRule({ service: 'upcall', mode: 'delay', delayMs: 150, count: 1000 });
    let saves = 0;
    const done = await runBulkJob(
      job('upcall', '1001', contacts(40)),
      {
        adapter: createBulkAdapter('upcall', config('upcall'), '1001'),
        save: async (j) => {
          saves += 1;
          if (countItems(j.items).added >= 4) cancel.abort();
        },
      },
      cancel.signal,
    );
    expect(saves).toBeGreaterThan(0);
    const counts = countItems(done.items);
    expect(done.state).toBe('cancelled');
    expect(counts.added).toBeGreaterThanOrEqual(4);
    expect(counts.notSent).toBe(40 - counts.added);
    expect(upcallNumbers('1001').filter((n) => n.phone.startsWith('+16505552'))).toHaveLength(counts.added);
  });

  it('continues a job read back after a restart; a number whose try was under way counts as added if found', async () => {
    const list = contacts(5);
    const adapter = createBulkAdapter('upcall', config('upcall'), '1001');
    // The first number was being added when the worker stopped, and it did land.
    await adapter.processItem(
      { ...list[0]!, status: 'pending', attempts: 0 },
      new AbortController().signal,
      async () => undefined,
    );
    const restored = job('upcall', '1001', list);
    restored.items[0]!.inFlight = true;
    restored.items[1]!.status = 'added';
    const done = await runBulkJob(restored, { adapter, save: async () => undefined }, new AbortController().signal);
    expect(countItems(done.items)).toMatchObject({ added: 5, duplicate: 0, done: 5 });
  });
});

describe('runBulkJob with SIP Caller', () => {
  it('looks each number up, then uploads the absent ones as CSV', async () => {
    const list = [...contacts(150), { e164: '+16505550100', firstName: 'Ana' }];
    const done = await runBulkJob(
      job('sipcaller', 'cmp-102', list),
      { adapter: createBulkAdapter('sipcaller', config('sipcaller'), 'cmp-102'), save: async () => undefined },
      new AbortController().signal,
    );
    // +16505550100 is seeded in cmp-102.
    expect(countItems(done.items)).toMatchObject({ added: 150, duplicate: 1, failed: 0 });
    const uploads = sandbox.current.requests.filter(
      (r) => r.service === 'sipcaller' && r.path.endsWith('/numbers/upload'),
    );
    expect(uploads.map((r) => r.query)).toEqual([
      { firstRowIsHeader: 'false', varCount: '2' },
      { firstRowIsHeader: 'false', varCount: '2' },
    ]);
    expect(
      sandbox.current.requests.some(
        (r) => r.service === 'sipcaller' && r.method === 'POST' && r.path.endsWith('/numbers'),
      ),
    ).toBe(false);
    const csv = String(uploads[0]!.body);
    expect(csv).toContain('+16505552000,First0,Northwind');
  });

  it('an upload whose answer was lost is checked number by number, not uploaded twice', async () => {
    sandbox.current.faults.addRule({ service: 'sipcaller', pathIncludes: '/upload', mode: 'drop-after', count: 1 });
    const list = contacts(30);
    const done = await runBulkJob(
      job('sipcaller', 'cmp-101', list),
      {
        adapter: createBulkAdapter('sipcaller', config('sipcaller'), 'cmp-101'),
        save: async () => undefined,
        random: () => 0,
      },
      new AbortController().signal,
    );
    expect(countItems(done.items)).toMatchObject({ added: 30, duplicate: 0 });
    const uploads = sandbox.current.requests.filter(
      (r) => r.service === 'sipcaller' && r.path.endsWith('/numbers/upload'),
    );
    expect(uploads).toHaveLength(1);
  });
});

describe('runBulkJob with Call-Em-All', () => {
  it('reads the list once, creates each contact and adds it; list members and non-US numbers are reported', async () => {
    const list = [
      ...contacts(10),
      { e164: '+15855550337', firstName: 'Bob' }, // already in Spring Renewals (31)
      { e164: '+442079460123', firstName: 'Nigel' },
    ];
    const done = await runBulkJob(
      job('callemall', '31', list),
      { adapter: createBulkAdapter('callemall', config('callemall'), '31'), save: async () => undefined },
      new AbortController().signal,
    );
    expect(countItems(done.items)).toMatchObject({ added: 10, duplicate: 1, failed: 1 });
    expect(groupFailures(done.items)[0]!.reason).toContain('not a US or Canadian (+1) number');
    const reads = sandbox.current.requests.filter(
      (r) => r.service === 'callemall' && r.method === 'GET' && r.path === '/lists/31/contacts',
    );
    expect(reads).toHaveLength(1);
    const posts = sandbox.current.requests.filter((r) => r.service === 'callemall' && r.method === 'POST');
    expect(posts.filter((r) => r.path === '/contacts')).toHaveLength(10);
    expect(posts.filter((r) => r.path === '/lists/31/contacts')).toHaveLength(10);
  });
});
