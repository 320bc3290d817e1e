import { describe, expect, it } from 'vitest';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import {
  buildClickToCallBody,
  cancelClickToCall,
  clickToCallProgress,
  countWords,
  createClickToCall,
  createTextToSpeech,
  getClickToCall,
  getVoiceFile,
  listClickToCalls,
  listVoiceCodes,
  listVoiceFiles,
  multisender,
  startClickToCall,
  type ClickToCallBody,
  type ClickToCallDefaults,
  type MultisenderConfig,
} from '../../../lib/providers/multisender.ts';
import { DEFAULT_SETTINGS } from '../../../lib/settings.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import { createMultisenderSimulator } from '../../../sandbox/services/multisender.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createMultisenderSimulator();
const sandbox = useSandbox({ simulators: [simulator] });

const DEFAULTS: ClickToCallDefaults = {
  voiceFileId: '101',
  activeFrom: '09:00',
  activeTo: '17:00',
  activeWeekdays: [1, 2, 3, 4, 5],
  acceptKey: '5',
  declineKey: '9',
  maxRedials: 3,
  expiryHours: 168,
};
const NOW = new Date('2030-05-06T10:20:30.456Z');

function config(overrides: Partial<MultisenderConfig> = {}): MultisenderConfig {
  return {
    baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.multisender}`,
    token: SANDBOX_CREDENTIALS.multisender.token,
    clickToCall: DEFAULTS,
    ...overrides,
  };
}

function body(receivers: string[], defaults: Partial<ClickToCallDefaults> = {}, now = new Date()): ClickToCallBody {
  const built = buildClickToCallBody({ ...DEFAULTS, ...defaults }, receivers, now);
  if (!built.ok) throw new Error(`unexpected field errors ${JSON.stringify(built.errors)}`);
  return built.body;
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return (error as ServiceError).failure;
}

/** Straight to the simulator with the right headers, to probe its validation. */
async function rawPost(path: string, payload: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${config().baseUrl}${path}`, {
    method: 'POST',
    headers: { 'X-Access-Token': config().token, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the click-to-call body', () => {
  it('is built from the settings exactly as the reference documents it', () => {
    const built = buildClickToCallBody(DEFAULTS, ['+16505550100', '+358401234567'], NOW, {
      receiverWebhookUrl: 'https://crm.example.com/hook',
      meta: { crmContactId: 'c-1' },
    });
    expect(built).toEqual({
      ok: true,
      body: {
        // now + 168 h, in UTC, seconds kept and milliseconds dropped.
        expiresAt: '2030-05-13 10:20:30',
        activeFrom: '09:00:00',
        activeTo: '17:00:00',
        activeWeekdays: [
          { weekday: 'monday', active: '1' },
          { weekday: 'tuesday', active: '1' },
          { weekday: 'wednesday', active: '1' },
          { weekday: 'thursday', active: '1' },
          { weekday: 'friday', active: '1' },
          { weekday: 'saturday', active: '0' },
          { weekday: 'sunday', active: '0' },
        ],
        voiceFileId: 101,
        actionButtons: [
          { button: '5', action: 'accept' },
          { button: '9', action: 'decline' },
        ],
        receivers: [{ phone: '+16505550100' }, { phone: '+358401234567' }],
        maxRedials: 3,
        receiverWebhookUrl: 'https://crm.example.com/hook',
        meta: { crmContactId: 'c-1' },
      },
    });
  });

  it('maps settings weekdays (0 = Sunday) onto the seven named days', () => {
    const built = body(['+16505550100'], { activeWeekdays: [0, 6] }, NOW);
    expect(built.activeWeekdays.filter((d) => d.active === '1').map((d) => d.weekday)).toEqual(['saturday', 'sunday']);
    expect(built.activeWeekdays).toHaveLength(7);
  });

  it('returns every problem keyed by the field it concerns', () => {
    const built = buildClickToCallBody(
      {
        ...DEFAULTS,
        voiceFileId: ' ',
        activeFrom: '18:00',
        activeTo: '08:00',
        activeWeekdays: [],
        acceptKey: '5',
        declineKey: '5',
        expiryHours: 0,
      },
      ['+16505550100', '0401234567', '+16505550100'],
      NOW,
      { receiverWebhookUrl: 'http://insecure.example.com' },
    );
    expect(built).toEqual({
      ok: false,
      errors: {
        voiceFileId: 'Choose a voice file.',
        activeTo: 'The end of the active hours must be after the start.',
        activeWeekdays: 'Choose at least one weekday.',
        declineKey: 'The decline key must differ from the accept key.',
        expiryHours: 'At least 1 hour.',
        'receivers.1': '0401234567 is not an international number such as +16505550100.',
        'receivers.2': '+16505550100 is already in the list.',
        receiverWebhookUrl: 'Enter a full https:// address.',
      },
    });
  });

  it('reports malformed times, keys and an empty receiver list', () => {
    const built = buildClickToCallBody(
      { ...DEFAULTS, activeFrom: '9am', activeTo: '25:00', acceptKey: '*', declineKey: '10', maxRedials: -1 },
      [],
      NOW,
    );
    expect(built.ok).toBe(false);
    expect(built.ok ? [] : Object.keys(built.errors).sort()).toEqual([
      'acceptKey',
      'activeFrom',
      'activeTo',
      'declineKey',
      'maxRedials',
      'receivers',
    ]);
  });
});

describe('click-to-calls against the simulator', () => {
  it('posts the documented body with the three headers and reads the answer back', async () => {
    const sent = body(['+16505550100', '+16505550101']);
    const created = await createClickToCall(config(), sent);
    const [recorded] = sandbox.current.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/click_to_calls', status: 201 });
    expect(recorded!.body).toEqual(sent);
    expect(JSON.stringify(recorded!.body)).toBe(JSON.stringify(sent));
    expect(recorded!.headers).toMatchObject({
      'x-access-token': SANDBOX_CREDENTIALS.multisender.token,
      accept: 'application/json',
      'content-type': 'application/json',
    });
    expect(created).toMatchObject({
      voiceFileId: '101',
      activeFrom: '09:00:00',
      maxRedials: 3,
      expiresAt: sent.expiresAt,
    });
    expect(created.receivers.map((r) => r.phone)).toEqual(['+16505550100', '+16505550101']);
    expect(created.receivers[0]).toMatchObject({ answered: false, dialledCalls: 0, callDuration: 0 });
    expect(clickToCallProgress(created, new Date())).toEqual({ state: 'calling' });
  });

  it('sends X-Access-Token, Accept and Content-Type on GET and DELETE as well', async () => {
    await listVoiceFiles(config());
    await getClickToCall(config(), '9001');
    await cancelClickToCall(config(), '9002');
    expect(sandbox.current.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'DELETE']);
    for (const recorded of sandbox.current.requests) {
      expect(recorded.headers).toEqual({
        'x-access-token': SANDBOX_CREDENTIALS.multisender.token,
        accept: 'application/json',
        'content-type': 'application/json',
      });
    }
  });

  it('startClickToCall builds from the config defaults, and refuses bad settings before any request', async () => {
    const call = await startClickToCall(config(), ['+16505550100'], { meta: { note: 'x' } });
    expect(call.meta).toEqual({ note: 'x' });
    sandbox.current.requests.length = 0;
    const failure = await failureOf(
      startClickToCall(config({ clickToCall: { ...DEFAULTS, declineKey: '5' } }), ['+16505550100']),
    );
    expect(failure).toMatchObject({
      kind: 'invalid',
      message: 'declineKey: The decline key must differ from the accept key.',
    });
    expect(sandbox.current.requests).toHaveLength(0);
  });

  it('reads status changes after the simulator moves the call along (numeric strings accepted)', async () => {
    const created = await createClickToCall(config(), body(['+16505550100', '+16505550101']));
    simulator.control!('set-receiver', {
      clickToCallId: created.clickToCallId,
      index: 0,
      answered: 1,
      reply: 'decline',
      callDuration: 12,
      dialledCalls: 1,
    });
    simulator.control!('set-receiver', {
      clickToCallId: created.clickToCallId,
      index: 1,
      answered: 1,
      reply: 'accept',
      callDuration: 95,
      dialledCalls: 2,
    });
    const status = await getClickToCall(config(), created.clickToCallId);
    expect(sandbox.current.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/click_to_calls/${created.clickToCallId}`,
    });
    expect(status.receivers.map((r) => [r.answered, r.reply, r.callDuration, r.dialledCalls])).toEqual([
      [true, 'decline', 12, 1],
      [true, 'accept', 95, 2],
    ]);
    expect(status.stats).toMatchObject({
      totalDialedCalls: 3,
      answeredCalls: 2,
      totalDuration: 107,
      acceptsReceived: 1,
      acceptsDeclined: 1,
    });
    expect(clickToCallProgress(status, new Date())).toEqual({ state: 'accepted', acceptedBy: '+16505550101' });
  });

  it('sees an expired call as expired, and a call where everyone declined as not accepted', async () => {
    const created = await createClickToCall(config(), body(['+16505550100']));
    simulator.control!('set-receiver', {
      clickToCallId: created.clickToCallId,
      index: 0,
      answered: 1,
      reply: 'decline',
      dialledCalls: 1,
    });
    expect(clickToCallProgress(await getClickToCall(config(), created.clickToCallId), new Date())).toEqual({
      state: 'not-accepted',
    });
    simulator.control!('set-receiver', { clickToCallId: created.clickToCallId, index: 0, reply: null });
    simulator.control!('expire', { clickToCallId: created.clickToCallId });
    expect(clickToCallProgress(await getClickToCall(config(), created.clickToCallId), new Date())).toEqual({
      state: 'expired',
    });
  });

  it('lists the seeded click-to-calls, reading the reference\'s "firsName"', async () => {
    const calls = await listClickToCalls(config());
    expect(calls.map((c) => c.clickToCallId)).toEqual(['9001', '9002']);
    expect(calls[0]!.receivers[0]).toMatchObject({
      firstName: 'Alex',
      answered: true,
      reply: 'accept',
      callDuration: 184,
    });
    expect(clickToCallProgress(calls[1]!, new Date())).toEqual({ state: 'calling' });
  });

  it('cancels with DELETE /click_to_calls/:id, after which the call is not found', async () => {
    await cancelClickToCall(config(), '9002');
    expect(sandbox.current.requests[0]).toMatchObject({ method: 'DELETE', path: '/click_to_calls/9002', status: 204 });
    expect(await failureOf(getClickToCall(config(), '9002'))).toMatchObject({
      kind: 'not-found',
      message: 'Click-to-call 9002 was not found.',
    });
  });

  it("turns the simulator's 422 for a voice file that is not ready into 'invalid' with its message", async () => {
    const failure = await failureOf(createClickToCall(config(), body(['+16505550100'], { voiceFileId: '103' })));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 422,
      message: 'The click-to-call cannot be created. (voiceFileId: Voice file 103 is pending, not ready.)',
    });
    expect(await failureOf(createClickToCall(config(), body(['+16505550100'], { voiceFileId: '999' })))).toMatchObject({
      status: 422,
    });
  });

  it('the simulator validates the body the way the reference describes it', async () => {
    const good = body(['+16505550100']);
    const badTime = await rawPost('/click_to_calls', { ...good, activeFrom: '09:00' });
    expect(badTime.status).toBe(400);
    expect(badTime.json.errors).toEqual({ activeFrom: ['Required, format HH:MM:SS.'] });
    const sameKey = await rawPost('/click_to_calls', {
      ...good,
      actionButtons: [
        { button: '5', action: 'accept' },
        { button: '5', action: 'decline' },
      ],
    });
    expect(sameKey.status).toBe(422);
    expect(sameKey.json.errors).toEqual({ actionButtons: ['Each button can have one action only.'] });
    const noReceivers = await rawPost('/click_to_calls', { ...good, receivers: [] });
    expect(noReceivers.status).toBe(400);
    const sixDays = await rawPost('/click_to_calls', { ...good, activeWeekdays: good.activeWeekdays.slice(0, 6) });
    expect(sixDays.status).toBe(400);
    expect((simulator.state() as { clickToCalls: unknown[] }).clickToCalls).toHaveLength(2);
  });

  it('the simulator insists on the JSON headers on every request', async () => {
    const url = `${config().baseUrl}/voice_files`;
    const noContentType = await fetch(url, {
      headers: { 'X-Access-Token': config().token, Accept: 'application/json' },
    });
    expect(noContentType.status).toBe(415);
    const noAccept = await fetch(url, {
      headers: { 'X-Access-Token': config().token, 'Content-Type': 'application/json' },
    });
    expect(noAccept.status).toBe(406);
  });
});

describe('voice files', () => {
  it('lists voice files with their status and reads one', async () => {
    const files = await listVoiceFiles(config());
    expect(files.map((f) => [f.voiceFileId, f.status])).toEqual([
      ['101', 'ready'],
      ['102', 'ready'],
      ['103', 'pending'],
      ['104', 'failed'],
    ]);
    expect(await getVoiceFile(config(), '102')).toMatchObject({
      voiceFileId: '102',
      status: 'ready',
      voiceCode: 'fi-FI-female',
    });
    expect(await failureOf(getVoiceFile(config(), '777'))).toMatchObject({ kind: 'not-found' });
  });

  it('lists the voice codes for text-to-speech', async () => {
    const codes = await listVoiceCodes(config());
    expect(codes.map((c) => c.voiceCode)).toContain('en-US-female');
    expect(sandbox.current.requests[0]!.path).toBe('/voice_files/text_to_speech/voice_codes');
  });

  it('creates a text-to-speech file that is pending until the service is done with it', async () => {
    const created = await createTextToSpeech(config(), {
      name: 'Callback',
      text: 'Press 5 to talk to your customer now.',
      voiceCode: 'en-US-male',
    });
    expect(sandbox.current.requests[0]!.body).toEqual({
      name: 'Callback',
      text: 'Press 5 to talk to your customer now.',
      voiceCode: 'en-US-male',
    });
    expect(created.status).toBe('pending');
    expect((await getVoiceFile(config(), created.voiceFileId)).status).toBe('pending');
    simulator.control!('voice-ready', { voiceFileId: created.voiceFileId });
    expect((await getVoiceFile(config(), created.voiceFileId)).status).toBe('ready');
    // Once ready it can be played in a click-to-call.
    const call = await createClickToCall(config(), body(['+16505550100'], { voiceFileId: created.voiceFileId }));
    expect(call.voiceFileId).toBe(created.voiceFileId);
  });

  it('turns text-to-speech files ready on its own after a while', async () => {
    const quick = createMultisenderSimulator({ ttsReadyAfterMs: 0 });
    const local = await startSandbox({ simulators: [quick] });
    try {
      const localConfig = config({ baseUrl: `${local.url}${SERVICE_PREFIXES.multisender}` });
      const created = await createTextToSpeech(localConfig, {
        name: 'Now',
        text: 'Hello there',
        voiceCode: 'en-GB-female',
      });
      expect((await getVoiceFile(localConfig, created.voiceFileId)).status).toBe('ready');
    } finally {
      await local.close();
    }
  });

  it('refuses more than 80 words without a request', async () => {
    const text = Array.from({ length: 81 }, (_, i) => `word${i}`).join(' ');
    expect(countWords(text)).toBe(81);
    expect(countWords(`  one\ttwo\nthree  `)).toBe(3);
    const failure = await failureOf(createTextToSpeech(config(), { name: 'Long', text, voiceCode: 'en-US-female' }));
    expect(failure).toMatchObject({
      kind: 'invalid',
      message: 'the text has 81 words; text-to-speech takes at most 80',
    });
    expect(sandbox.current.requests).toHaveLength(0);
    const eighty = await createTextToSpeech(config(), {
      name: 'Long',
      text: text.split(' ').slice(0, 80).join(' '),
      voiceCode: 'en-US-female',
    });
    expect(eighty.status).toBe('pending');
  });
});

describe('service definition', () => {
  it('tests the connection with GET /voice_files, counting ready files', async () => {
    expect(await multisender.testConnection(config())).toBe('Connected: 2 voice files ready');
    expect(sandbox.current.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /voice_files']);
  });

  it("turns a wrong token into 'auth' (401)", async () => {
    const failure = await failureOf(multisender.testConnection(config({ token: 'wrong' })));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      service: 'Multisender',
      message: 'The access token is not valid.',
    });
  });

  it('needs a base URL and a token, and carries the click-to-call defaults from settings', () => {
    const secrets = {
      upcall: { token: '' },
      sipcaller: { apiKey: '' },
      callemall: { appKey: '', secretKey: '', authToken: '' },
      multisender: { token: '' },
      crm: { apiKey: '' },
    };
    expect(multisender.resolveConfig(DEFAULT_SETTINGS, secrets)).toEqual({
      ok: false,
      missing: ['base URL', 'access token'],
    });
    const settings = {
      ...DEFAULT_SETTINGS,
      multisender: {
        ...DEFAULT_SETTINGS.multisender,
        baseUrl: 'https://api.multisender.example/v1',
        voiceFileId: '101',
      },
    };
    const resolved = multisender.resolveConfig(settings, { ...secrets, multisender: { token: 't' } });
    expect(resolved).toEqual({
      ok: true,
      config: {
        baseUrl: 'https://api.multisender.example/v1',
        token: 't',
        clickToCall: { ...DEFAULTS, activeWeekdays: [1, 2, 3, 4, 5] },
      },
    });
  });
});

describe('failures', () => {
  it("maps an injected 429 to 'rate-limited' with Retry-After", async () => {
    sandbox.current.faults.addRule({ mode: 'rate-limit', count: 1, retryAfter: 12, service: 'multisender' });
    expect(await failureOf(getClickToCall(config(), '9001'))).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 12_000,
    });
  });

  it("maps an injected 503 to 'server'", async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 503, count: 1, service: 'multisender' });
    expect(await failureOf(listVoiceFiles(config()))).toMatchObject({
      kind: 'server',
      status: 503,
      message: 'Injected failure',
      mayHaveReached: false,
    });
  });

  it("maps a connection dropped after a click-to-call was created to 'offline' with mayHaveReached", async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, method: 'POST', service: 'multisender' });
    expect(await failureOf(createClickToCall(config(), body(['+16505550100'])))).toMatchObject({
      kind: 'offline',
      mayHaveReached: true,
    });
    expect((simulator.state() as { clickToCalls: unknown[] }).clickToCalls).toHaveLength(3);
  });

  it("maps an HTML page instead of JSON to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'html' });
    expect(await failureOf(listVoiceFiles(config()))).toMatchObject({
      kind: 'bad-response',
      message: 'an HTML page instead of JSON',
    });
  });

  it("maps the reference's single-quoted pseudo-JSON to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'not-json', method: 'GET', pathIncludes: '/voice_files' });
    expect(await failureOf(multisender.testConnection(config()))).toMatchObject({
      kind: 'bad-response',
      message: 'the answer is not JSON',
    });
  });

  it("maps an answer with the wrong types to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'wrong-types' });
    const failure = await failureOf(getClickToCall(config(), '9001'));
    expect(failure.kind).toBe('bad-response');
  });
});
