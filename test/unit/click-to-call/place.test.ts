import { beforeEach, describe, expect, it } from 'vitest';
import { createClickToCallFor, prepareClickToCall, type PlaceDeps } from '../../../lib/click-to-call/place.ts';
import { getUnconfirmed, listTracked } from '../../../lib/click-to-call/store.ts';
import type { ScreeningView, TrackedClickToCall } from '../../../lib/click-to-call/types.ts';
import { ServiceError } from '../../../lib/errors.ts';
import { multisender } from '../../../lib/providers/multisender.ts';
import { settingsSchema, type Settings } from '../../../lib/settings.ts';
import { sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();
const NUMBER = '+16505550100';
const SECOND = '+442079460958';

let settings: Settings;
let placed: TrackedClickToCall[];
let blocked: Record<string, ScreeningView>;
let now: number;

function deps(patch: Partial<PlaceDeps> = {}): PlaceDeps {
  return {
    settings: async () => settings,
    config: async (s) => {
      const resolved = multisender.resolveConfig(s, sandboxSecrets() as never);
      if (!resolved.ok)
        throw new ServiceError({
          kind: 'not-configured',
          service: 'Multisender',
          message: `missing ${resolved.missing.join(', ')}`,
        });
      return resolved.config;
    },
    screen: async (e164) => blocked[e164] ?? { blocked: false, reasons: [] },
    now: () => now,
    placed: (call) => {
      placed.push(call);
    },
    ...patch,
  };
}

function withDefaults(patch: Partial<Settings['multisender']>): Settings {
  return { ...settings, multisender: { ...settings.multisender, ...patch } };
}

const posts = () => sandbox.current.requests.filter((r) => r.method === 'POST' && r.path === '/click_to_calls');

beforeEach(() => {
  settings = settingsSchema.parse({
    ...sandboxSettings(sandbox.current.url),
    multisender: {
      ...sandboxSettings(sandbox.current.url).multisender,
      voiceFileId: '101',
      voiceFileName: 'Callback request (EN)',
      activeFrom: '08:30',
      activeTo: '18:00',
      activeWeekdays: [1, 2, 3, 4, 5, 6],
      acceptKey: '1',
      declineKey: '2',
      maxRedials: 2,
      expiryHours: 48,
    },
  });
  placed = [];
  blocked = {};
  now = Date.now();
});

describe('prepare', () => {
  it('reads the numbers, screens each, and shows the defaults', async () => {
    blocked[SECOND] = { blocked: true, reasons: ['On the Call-Em-All opt-out list'] };
    const view = await prepareClickToCall(deps(), ['(650) 555-0100', '+44 20 7946 0958', 'call me', '650 555 0100']);
    expect(view.receivers.map((r) => [r.e164, r.error])).toEqual([
      [NUMBER, undefined],
      [SECOND, undefined],
      [undefined, expect.stringContaining('"call me" is not a phone number')],
      [NUMBER, '+1 650 555 0100 is already in the list.'],
    ]);
    expect(view.receivers[0]!.screening).toEqual({ blocked: false, reasons: [] });
    expect(view.receivers[1]!.screening).toEqual({ blocked: true, reasons: ['On the Call-Em-All opt-out list'] });
    expect(view).toMatchObject({
      voiceFile: { id: '101', name: 'Callback request (EN)' },
      hours: '08:30–18:00',
      weekdays: 'Mon–Sat',
      acceptKey: '1',
      declineKey: '2',
      maxRedials: 2,
      expiresAt: now + 48 * 3_600_000,
      settingsErrors: {},
      setupProblem: undefined,
      screened: true,
    });
    expect(sandbox.current.requests).toEqual([]);
  });

  it('names what is wrong with the defaults and with the setup', async () => {
    settings = withDefaults({ voiceFileId: '', baseUrl: '' });
    const view = await prepareClickToCall(deps({ screen: undefined }), ['+16505550100 ext. 45']);
    expect(view.settingsErrors).toEqual({ voiceFileId: 'Choose a voice file.' });
    expect(view.setupProblem).toBe('Multisender is not set up: missing base URL. Open options to add it.');
    expect(view.screened).toBe(false);
    expect(view.receivers[0]).toMatchObject({
      e164: NUMBER,
      display: '+1 650 555 0100',
      note: 'Multisender dials +1 650 555 0100 only; the extension 45 is not dialled.',
    });
  });
});

describe('create', () => {
  it('sends the documented body, tracks the call and hands it on', async () => {
    const result = await createClickToCallFor(deps(), {
      receivers: [NUMBER, SECOND],
      requestId: 'req-00000001',
      overrideDoNotCall: [],
      source: 'popup',
    });
    expect(result).toMatchObject({
      ok: true,
      adopted: false,
      call: { state: 'calling', voiceFileName: 'Callback request (EN)' },
    });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.body).toEqual({
      expiresAt: new Date(now + 48 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '),
      activeFrom: '08:30:00',
      activeTo: '18:00:00',
      activeWeekdays: [
        { weekday: 'monday', active: '1' },
        { weekday: 'tuesday', active: '1' },
        { weekday: 'wednesday', active: '1' },
        { weekday: 'thursday', active: '1' },
        { weekday: 'friday', active: '1' },
        { weekday: 'saturday', active: '1' },
        { weekday: 'sunday', active: '0' },
      ],
      voiceFileId: 101,
      actionButtons: [
        { button: '1', action: 'accept' },
        { button: '2', action: 'decline' },
      ],
      receivers: [{ phone: NUMBER }, { phone: SECOND }],
      maxRedials: 2,
      meta: { createdBy: 'CRM Call Companion', requestId: 'req-00000001' },
    });
    const [stored] = await listTracked();
    expect(stored).toMatchObject({
      requestId: 'req-00000001',
      numbers: [NUMBER, SECOND],
      source: 'popup',
      state: 'calling',
    });
    expect(placed.map((c) => c.id)).toEqual([stored!.id]);

    // The same confirmation again (a double click) answers the same call, without a request.
    const again = await createClickToCallFor(deps(), {
      receivers: [NUMBER, SECOND],
      requestId: 'req-00000001',
      overrideDoNotCall: [],
      source: 'popup',
    });
    expect(again).toMatchObject({ ok: true, call: { id: stored!.id } });
    expect(posts()).toHaveLength(1);
  });

  it('refuses invalid defaults before sending anything', async () => {
    settings = withDefaults({ voiceFileId: '', declineKey: '1' });
    const result = await createClickToCallFor(deps(), {
      receivers: [NUMBER],
      requestId: 'req-00000002',
      overrideDoNotCall: [],
      source: 'popup',
    });
    expect(result).toEqual({
      ok: false,
      reason: 'settings',
      errors: { voiceFileId: 'Choose a voice file.', declineKey: 'The decline key must differ from the accept key.' },
      sentence:
        'Nothing was sent. Fix the Multisender defaults in options — Voice file: Choose a voice file. Decline key: The decline key must differ from the accept key.',
    });
    expect(sandbox.current.requests).toEqual([]);
  });

  it('a do-not-call number is refused unless the user overrides it for that number', async () => {
    blocked[SECOND] = { blocked: true, reasons: ['Marked do-not-call in Upcall'] };
    const refused = await createClickToCallFor(deps(), {
      receivers: [NUMBER, SECOND],
      requestId: 'req-00000003',
      overrideDoNotCall: [],
      source: 'page',
    });
    expect(refused).toEqual({
      ok: false,
      reason: 'do-not-call',
      blocked: [{ e164: SECOND, reasons: ['Marked do-not-call in Upcall'] }],
      sentence: '+442079460958 is on a do-not-call list, so nothing was sent. Call anyway only if you have consent.',
    });
    expect(posts()).toEqual([]);

    const overridden = await createClickToCallFor(deps(), {
      receivers: [NUMBER, SECOND],
      requestId: 'req-00000003',
      overrideDoNotCall: [SECOND],
      source: 'page',
    });
    expect(overridden.ok).toBe(true);
    expect(posts()).toHaveLength(1);
  });

  it('says so when Multisender cannot be reached, and queues nothing', async () => {
    sandbox.current.faults.addRule({ service: 'multisender', mode: 'status', status: 422, count: 1 });
    const result = await createClickToCallFor(deps(), {
      receivers: [NUMBER],
      requestId: 'req-00000004',
      overrideDoNotCall: [],
      source: 'popup',
    });
    expect(result).toEqual({
      ok: false,
      reason: 'failed',
      sentence: 'Multisender refused the request (422): Injected failure. No call was placed.',
      mayHaveReached: false,
    });
    expect(await listTracked()).toEqual([]);
    expect(await getUnconfirmed('req-00000004')).toBeUndefined();

    const unreachable = await createClickToCallFor(
      deps({ settings: async () => withDefaults({ baseUrl: 'http://127.0.0.1:9/v1' }) }),
      { receivers: [NUMBER], requestId: 'req-00000005', overrideDoNotCall: [], source: 'popup' },
    );
    expect(unreachable).toMatchObject({ ok: false, reason: 'failed', mayHaveReached: true });
    if (unreachable.ok) return;
    expect(unreachable.sentence).toMatch(
      /^Cannot reach 127\.0\.0\.1:9\. .* The click-to-call may have been placed anyway: Retry checks Multisender first, so it is never placed twice\.$/,
    );
  });

  it('a lost answer: the retry finds the call Multisender made instead of placing a second one', async () => {
    sandbox.current.faults.addRule({ service: 'multisender', method: 'POST', mode: 'drop-after', count: 1 });
    const input = { receivers: [NUMBER], requestId: 'req-00000006', overrideDoNotCall: [], source: 'popup' as const };
    const lost = await createClickToCallFor(deps(), input);
    expect(lost).toMatchObject({ ok: false, reason: 'failed', mayHaveReached: true });
    expect(await getUnconfirmed('req-00000006')).toMatchObject({ numbers: [NUMBER] });

    const retried = await createClickToCallFor(deps(), input);
    expect(retried).toMatchObject({ ok: true, adopted: true });
    expect(posts()).toHaveLength(1);
    expect(sandbox.current.requests.filter((r) => r.method === 'GET' && r.path === '/click_to_calls')).toHaveLength(1);
    expect(await getUnconfirmed('req-00000006')).toBeUndefined();
    expect(await listTracked()).toHaveLength(1);
  });

  it('a 503 that committed nothing: the retry looks, finds nothing, and places it once', async () => {
    sandbox.current.faults.addRule({ service: 'multisender', method: 'POST', mode: 'status', status: 503, count: 1 });
    const input = { receivers: [NUMBER], requestId: 'req-00000007', overrideDoNotCall: [], source: 'popup' as const };
    const first = await createClickToCallFor(deps(), input);
    expect(first).toMatchObject({ ok: false, reason: 'failed', mayHaveReached: true });
    if (first.ok) return;
    expect(first.sentence).toMatch(
      /^Multisender had a problem \(503\): Injected failure\. The click-to-call may have been placed/,
    );
    const second = await createClickToCallFor(deps(), input);
    expect(second).toMatchObject({ ok: true, adopted: false });
    expect(posts()).toHaveLength(2);
    const state = sandbox.current.simulators.find((s) => s.id === 'multisender')!.state() as {
      clickToCalls: { meta: { requestId?: string } | null }[];
    };
    expect(state.clickToCalls.filter((c) => c.meta?.requestId === 'req-00000007')).toHaveLength(1);
  });
});
