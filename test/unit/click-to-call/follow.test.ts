import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CLICK_TO_CALL_ALARM,
  createClickToCallHandlers,
  placeDeps,
  showNotice,
} from '../../../lib/background/click-to-call-handlers.ts';
import { createFollower, type Follower, type FollowDeps } from '../../../lib/click-to-call/follow.ts';
import type { Notice } from '../../../lib/click-to-call/status.ts';
import { getTracked, listTracked } from '../../../lib/click-to-call/store.ts';
import { addLocalDoNotCall } from '../../../lib/dnc/store.ts';
import type { SenderContext } from '../../../lib/messaging.ts';
import { multisender, type MultisenderConfig } from '../../../lib/providers/multisender.ts';
import { storeSettings } from '../../../lib/settings-storage.ts';
import { settingsSchema } from '../../../lib/settings.ts';
import { sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();
const ctx: SenderContext = {
  kind: 'extension',
  origin: 'chrome-extension://x',
  url: 'chrome-extension://x/popup.html',
};
const NUMBER = '+16505550100';

let notices: { notice: Notice; id: string }[];
let follower: Follower;
let handlers: ReturnType<typeof createClickToCallHandlers>;
let configFails: boolean;

function settings() {
  const base = sandboxSettings(sandbox.current.url);
  return settingsSchema.parse({
    ...base,
    multisender: { ...base.multisender, voiceFileId: '101', voiceFileName: 'Callback request (EN)' },
  });
}

function config(): MultisenderConfig {
  const resolved = multisender.resolveConfig(settings(), sandboxSecrets() as never);
  if (!resolved.ok) throw new Error('not configured');
  return resolved.config;
}

const control = (action: string, body: unknown) =>
  sandbox.current.simulators.find((s) => s.id === 'multisender')!.control!(action, body);

beforeEach(async () => {
  notices = [];
  configFails = false;
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => true;
  await storeSettings(settings());
  const deps: FollowDeps = {
    config: async () => {
      if (configFails) throw new Error('config should not be asked');
      return config();
    },
    notify: async (notice, id) => {
      notices.push({ notice, id });
    },
    schedule: async (active) => {
      const existing = await fakeBrowser.alarms.get(CLICK_TO_CALL_ALARM);
      if (active && !existing) await fakeBrowser.alarms.create(CLICK_TO_CALL_ALARM, { periodInMinutes: 0.5 });
      if (!active && existing) await fakeBrowser.alarms.clear(CLICK_TO_CALL_ALARM);
    },
    now: Date.now,
  };
  follower = createFollower(deps);
  handlers = createClickToCallHandlers(follower, {
    ...placeDeps(follower),
    config: async () => config(),
  });
});

async function place(receivers = [NUMBER], requestId = 'req-follow-1'): Promise<string> {
  const result = await handlers['click-to-call/create'](
    { receivers, requestId, overrideDoNotCall: [], source: 'popup' },
    ctx,
  );
  if (!result.ok) throw new Error(result.sentence);
  return result.call.id;
}

describe('the confirmation in the background', () => {
  it("shows the contact's local time against the calling hours", async () => {
    const view = await handlers['click-to-call/prepare']({ numbers: ['+1 212 555 0100'] }, ctx);
    expect(view.receivers[0]!.localTime).toEqual({
      text: expect.stringMatching(/^It is \d\d:\d\d on \w+day in .*New_York.*calling hours/),
      outsideHours: expect.any(Boolean),
    });
    expect(view.setupProblem).toBeUndefined();
    expect(view.voiceFile).toEqual({ id: '101', name: 'Callback request (EN)' });
  });

  it('screens against the do-not-call list, and places a blocked number only when overridden', async () => {
    await addLocalDoNotCall('+12125550100', 'asked not to be called', Date.parse('2030-01-02T00:00:00Z'));
    const view = await handlers['click-to-call/prepare']({ numbers: ['+1 212 555 0100', NUMBER] }, ctx);
    expect(view.screened).toBe(true);
    expect(view.receivers.map((r) => r.screening)).toEqual([
      { blocked: true, reasons: ['your do-not-call list (added 2030-01-02: “asked not to be called”)'] },
      { blocked: false, reasons: [] },
    ]);
    const refused = await handlers['click-to-call/create'](
      { receivers: ['+12125550100'], requestId: 'req-dnc-0001', overrideDoNotCall: [], source: 'popup' },
      ctx,
    );
    expect(refused).toMatchObject({ ok: false, reason: 'do-not-call' });
    expect(sandbox.current.requests).toEqual([]);
    const overridden = await handlers['click-to-call/create'](
      { receivers: ['+12125550100'], requestId: 'req-dnc-0001', overrideDoNotCall: ['+12125550100'], source: 'popup' },
      ctx,
    );
    expect(overridden.ok).toBe(true);
  });
});

describe('following click-to-calls', () => {
  it('polls while one is in progress, shows what Multisender says, and notifies an accept once', async () => {
    const id = await place([NUMBER, '+442079460958']);
    expect(await fakeBrowser.alarms.get(CLICK_TO_CALL_ALARM)).toBeDefined();

    control('set-receiver', { clickToCallId: id, index: 0, answered: true, reply: 'noAnswer', dialledCalls: 2 });
    let list = await handlers['click-to-call/list']({ refresh: true }, ctx);
    expect(list.calls[0]).toMatchObject({
      id,
      state: 'calling',
      active: true,
      receivers: [
        { phone: NUMBER, answered: true, reply: 'noAnswer', dialledCalls: 2 },
        { phone: '+442079460958', dialledCalls: 0 },
      ],
      totals: { dialledCalls: 2, answeredCalls: 1 },
    });

    control('set-receiver', {
      clickToCallId: id,
      index: 1,
      answered: true,
      reply: 'accept',
      dialledCalls: 1,
      callDuration: 0,
    });
    await follower.refresh();
    await follower.refresh();
    list = await handlers['click-to-call/list']({}, ctx);
    expect(list.calls[0]).toMatchObject({ state: 'accepted', acceptedBy: '+442079460958', active: true });
    expect(notices).toEqual([
      {
        id,
        notice: {
          kind: 'accepted',
          title: 'Click-to-call accepted',
          message: '+44 20 7946 0958 pressed the accept key: Multisender is connecting the call.',
        },
      },
    ]);

    // Once the duration is in, nothing is left to follow: the alarm goes.
    control('set-receiver', { clickToCallId: id, index: 1, callDuration: 184 });
    await follower.refresh();
    list = await handlers['click-to-call/list']({}, ctx);
    expect(list.calls[0]).toMatchObject({ state: 'accepted', active: false, totals: { durationSeconds: 184 } });
    expect(await fakeBrowser.alarms.get(CLICK_TO_CALL_ALARM)).toBeUndefined();
    const gets = sandbox.current.requests.filter(
      (r) => r.method === 'GET' && r.path === `/click_to_calls/${id}`,
    ).length;
    await follower.refresh();
    expect(
      sandbox.current.requests.filter((r) => r.method === 'GET' && r.path === `/click_to_calls/${id}`),
    ).toHaveLength(gets);
  });

  it('notifies an expiry; a refresh right after another shares it', async () => {
    const id = await place();
    control('expire', { clickToCallId: id });
    await Promise.all([follower.refresh(), follower.refresh()]);
    expect(notices.map((n) => n.notice.kind)).toEqual(['expired']);
    expect((await getTracked(id))?.state).toBe('expired');
    expect(
      sandbox.current.requests.filter((r) => r.method === 'GET' && r.path === `/click_to_calls/${id}`),
    ).toHaveLength(1);

    const before = sandbox.current.requests.length;
    await handlers['click-to-call/list']({ refresh: true }, ctx);
    expect(sandbox.current.requests.length).toBe(before);
  });

  it('an unreachable Multisender is shown under the call, and polling goes on', async () => {
    const id = await place();
    sandbox.current.faults.addRule({ service: 'multisender', method: 'GET', mode: 'status', status: 502, count: 1 });
    await follower.refresh();
    const [view] = (await handlers['click-to-call/list']({}, ctx)).calls;
    expect(view).toMatchObject({
      id,
      state: 'calling',
      active: true,
      checkError: expect.stringMatching(/^Multisender had a problem \(502\)/),
    });
    await follower.refresh();
    expect((await handlers['click-to-call/list']({}, ctx)).calls[0]!.checkError).toBeUndefined();
  });

  it('deleted at Multisender meanwhile: removed, and no longer followed', async () => {
    const id = await place();
    await fetch(`${config().baseUrl}/click_to_calls/${id}`, {
      method: 'DELETE',
      headers: { 'X-Access-Token': config().token, Accept: 'application/json', 'Content-Type': 'application/json' },
    });
    await follower.refresh();
    expect((await getTracked(id))?.state).toBe('removed');
    expect(await fakeBrowser.alarms.get(CLICK_TO_CALL_ALARM)).toBeUndefined();
  });

  it('cancel sends DELETE; an ended call is not cancelled', async () => {
    const id = await place();
    expect(await handlers['click-to-call/cancel']({ id }, ctx)).toEqual({ ok: true });
    expect(sandbox.current.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/click_to_calls/${id}`,
    ]);
    expect((await getTracked(id))?.state).toBe('cancelled');
    expect(await handlers['click-to-call/cancel']({ id }, ctx)).toEqual({
      ok: false,
      sentence: 'It has already ended (cancelled); there is nothing to cancel.',
    });
    expect(await fakeBrowser.alarms.get(CLICK_TO_CALL_ALARM)).toBeUndefined();

    const second = await place([NUMBER], 'req-follow-2');
    sandbox.current.faults.addRule({ service: 'multisender', method: 'DELETE', mode: 'status', status: 500, count: 1 });
    expect(await handlers['click-to-call/cancel']({ id: second }, ctx)).toEqual({
      ok: false,
      sentence: 'Not cancelled. Multisender had a problem (500): Injected failure.',
    });
    expect((await getTracked(second))?.state).toBe('calling');
  });

  it('keeps the 50 most recent', async () => {
    for (let i = 0; i < 52; i += 1) await place([NUMBER], `req-many-${String(i).padStart(4, '0')}`);
    const all = await listTracked();
    expect(all).toHaveLength(50);
    expect(all[0]!.requestId).toBe('req-many-0051');
  });

  it('a notification is plain text with the extension icon, one id per call and event', async () => {
    await showNotice({ kind: 'accepted', title: 'Click-to-call accepted', message: 'x' }, '9003');
    expect(fakeBrowser.notifications.getAllCreateOptions()).toEqual({
      'click-to-call:9003:accepted': {
        type: 'basic',
        iconUrl: expect.stringMatching(/\/icon\/128\.png$/),
        title: 'Click-to-call accepted',
        message: 'x',
      },
    });
  });
});
