import { describe, expect, it } from 'vitest';
import { optOutE164, readOptOutSyncState, syncCallEmAllOptOuts } from '../../../lib/dnc/optout-sync.ts';
import { screenNumber } from '../../../lib/dnc/screen.ts';
import { recordsFromSource } from '../../../lib/dnc/store.ts';
import type { CallEmAllConfig } from '../../../lib/providers/callemall.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { createCallEmAllSimulator } from '../../../sandbox/services/callemall.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createCallEmAllSimulator();
const sandbox = useSandbox({ simulators: [simulator] });

function config(): CallEmAllConfig {
  return { baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.callemall}`, ...SANDBOX_CREDENTIALS.callemall };
}

describe('optOutE164', () => {
  it('reads Call-Em-All phone numbers as North American E.164', () => {
    expect(optOutE164('9725552000')).toBe('+19725552000');
    expect(optOutE164('19725552000')).toBe('+19725552000');
    expect(optOutE164('(972) 555-2000')).toBe('+19725552000');
    expect(optOutE164('12')).toBeUndefined();
  });
});

describe('syncCallEmAllOptOuts', () => {
  it('stores the numbers opted out of calls, not those only opted out of texts', async () => {
    const now = Date.now();
    const state = await syncCallEmAllOptOuts(config(), { now });
    // The sandbox seeds 31 opt-outs of which every third allows calls, plus Dana Nocall.
    const feed = (simulator.state() as { optOuts: { PhoneNumber: string; DoNotCall: boolean }[] }).optOuts;
    const callable = feed.filter((o) => o.DoNotCall).length;
    expect(state).toMatchObject({ count: callable, lastSyncAt: now, lastFullAt: now });
    expect(state.error).toBeUndefined();
    const dana = await screenNumber('+12145550199');
    expect(dana.blocked && dana.reasons).toEqual([
      { source: 'callemall-optout', detail: 'Call-Em-All opt-outs (opted out 2020-10-05)' },
    ]);
    const textOnly = feed.find((o) => !o.DoNotCall)!;
    expect(await screenNumber(`+1${textOnly.PhoneNumber}`)).toEqual({ blocked: false });
    expect(sandbox.current.requests.every((r) => r.path === '/optouts' && r.query['date-from'] === undefined)).toBe(
      true,
    );
  });

  it('then asks only for what changed since the day before the last sync', async () => {
    const first = Date.now();
    await syncCallEmAllOptOuts(config(), { now: first });
    simulator.control!('mark-dnc', { phone: '+16505550177' });
    sandbox.current.requests.length = 0;
    const state = await syncCallEmAllOptOuts(config(), { now: first + 60_000 });
    const dayBefore = new Date(first - 86_400_000).toISOString().slice(0, 10);
    expect(sandbox.current.requests.map((r) => r.query['date-from'])).toContain(dayBefore);
    expect(state.lastFullAt).toBe(first);
    expect((await screenNumber('+16505550177')).blocked).toBe(true);
    expect((await recordsFromSource('callemall-optout')).length).toBe(state.count);
  });

  it('keeps the list it had when the service fails, and says why', async () => {
    const now = Date.now();
    await syncCallEmAllOptOuts(config(), { now });
    sandbox.current.faults.addRule({ service: 'callemall', mode: 'status', status: 503, count: 10 });
    const state = await syncCallEmAllOptOuts(config(), { now: now + 1000, full: true });
    expect(state.error).toMatchObject({ kind: 'server', status: 503 });
    expect(state.count).toBeGreaterThan(0);
    expect((await screenNumber('+12145550199')).blocked).toBe(true);
    expect(await readOptOutSyncState()).toEqual(state);
  });

  it('a full sync drops numbers no longer opted out', async () => {
    const now = Date.now();
    simulator.control!('mark-dnc', { phone: '+16505550188' });
    await syncCallEmAllOptOuts(config(), { now });
    expect((await screenNumber('+16505550188')).blocked).toBe(true);
    // Back to the seed: that opt-out is no longer in the feed, as if the person opted back in.
    sandbox.current.reset();
    await syncCallEmAllOptOuts(config(), { now: now + 1000, full: true });
    expect((await screenNumber('+16505550188')).blocked).toBe(false);
    expect((await screenNumber('+12145550199')).blocked).toBe(true);
  });
});
