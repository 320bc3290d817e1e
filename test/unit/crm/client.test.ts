/** The CRM calls client against the sandbox's CRM simulator, over real HTTP. */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createCall,
  crm,
  deleteCall,
  findMatchingCall,
  getCall,
  listCalls,
  listCallsSince,
  reconcileSince,
  updateCall,
  withEntryMarker,
  type CallResult,
  type CrmConfig,
  type NewCall,
} from '../../../lib/crm/client.ts';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import { DEFAULT_SETTINGS } from '../../../lib/settings.ts';
import type { AllSecrets } from '../../../lib/services.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { contactId } from '../../../sandbox/demo/data.ts';
import { createCrmSimulator, type StoredCall } from '../../../sandbox/services/crm.ts';
import { useSandbox } from '../../support/sandbox.ts';

const START = Date.UTC(2025, 2, 14, 15, 0, 0);
let clock = START;
const simulator = createCrmSimulator({ now: () => clock });
const sandbox = useSandbox({ simulators: [simulator] });

const CONTACT = contactId(7);
const OTHER_CONTACT = contactId(19_999);
const { userId, apiKey } = SANDBOX_CREDENTIALS.crm;

function config(overrides: Partial<CrmConfig> = {}): CrmConfig {
  return { baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.crm}`, userId, apiKey, ...overrides };
}

function storedCalls(): StoredCall[] {
  return (simulator.state() as { calls: StoredCall[] }).calls;
}

function crmRequests(method?: string) {
  return sandbox.current.requests.filter((r) => r.service === 'crm' && (!method || r.method === method));
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error.failure;
    throw error;
  }
  throw new Error('expected the call to fail with a ServiceError');
}

function note(overrides: Partial<NewCall> = {}): NewCall {
  return {
    contactId: CONTACT,
    callResult: 'conversation',
    text: withEntryMarker('Talked about the renewal; send a quote by Friday.', 'entry-0001'),
    date: '2025-03-14',
    phoneNumber: '+16505550100',
    calledVia: 'Upcall',
    recordingLink: 'https://recordings.example/r/42',
    ...overrides,
  };
}

beforeEach(() => {
  clock = START;
});

describe('createCall', () => {
  it('posts the note to the contact with partial=1, Basic auth and the exact body', async () => {
    const sent = note();
    const created = await createCall(config(), sent);

    const [post] = crmRequests('POST');
    expect(crmRequests()).toHaveLength(1);
    expect(post?.path).toBe(`/contacts/${CONTACT}/calls.json`);
    expect(post?.query).toEqual({ partial: '1' });
    expect(post?.headers.authorization).toBe(`Basic ${Buffer.from(`${userId}:${apiKey}`).toString('base64')}`);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.body).toEqual({
      call_result: 'conversation',
      text: sent.text,
      date: '2025-03-14',
      phone_number: '+16505550100',
      called_via: 'Upcall',
      recording_link: 'https://recordings.example/r/42',
    });

    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
      contactId: CONTACT,
      callResult: 'conversation',
      text: sent.text,
      date: '2025-03-14',
      phoneNumber: '+16505550100',
      calledVia: 'Upcall',
      recordingLink: 'https://recordings.example/r/42',
      author: 'peter a.',
      modifiedAt: new Date(START).toISOString(),
    });
    expect(storedCalls()).toEqual([
      {
        id: created.id,
        contact_id: CONTACT,
        call_result: 'conversation',
        text: sent.text,
        date: '2025-03-14',
        phone_number: '+16505550100',
        called_via: 'Upcall',
        recording_link: 'https://recordings.example/r/42',
        author: 'peter a.',
        created_at: new Date(START).toISOString(),
        modified_at: new Date(START).toISOString(),
      },
    ]);
  });

  it('leaves out empty optional fields and lets the CRM default them', async () => {
    const created = await createCall(
      config(),
      note({ callResult: 'no_answer', text: 'No answer', phoneNumber: '', calledVia: undefined, recordingLink: '' }),
    );
    expect(crmRequests('POST')[0]?.body).toEqual({ call_result: 'no_answer', text: 'No answer', date: '2025-03-14' });
    expect(created).toMatchObject({ phoneNumber: '', calledVia: '', recordingLink: '', callResult: 'no_answer' });
  });

  it('sends a non-ASCII API key as UTF-8 Basic credentials', async () => {
    const failure = await failureOf(createCall(config({ apiKey: 'clé-ключ-🔑' }), note()));
    expect(failure.kind).toBe('auth');
    const header = crmRequests('POST')[0]?.headers.authorization ?? '';
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe(`${userId}:clé-ключ-🔑`);
  });

  it("answers 'auth' for a wrong API key, with the CRM's message, and logs nothing", async () => {
    const failure = await failureOf(createCall(config({ apiKey: 'expired-key' }), note()));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      service: 'CRM',
      message: 'Authorization data not found',
    });
    expect(storedCalls()).toHaveLength(0);
  });

  it("answers 'invalid' with the fields the CRM names", async () => {
    const failure = await failureOf(createCall(config(), note({ recordingLink: 'ftp://recordings.example/42' })));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 400,
      message: 'Some fields are invalid (recording_link: must be an http or https URL)',
    });
    expect(failure.mayHaveReached).toBeUndefined();
    expect(storedCalls()).toHaveLength(0);
  });

  it('refuses a result or date the CRM does not take before sending anything', async () => {
    const badResult = await failureOf(createCall(config(), note({ callResult: 'voicemail' as CallResult })));
    const badDate = await failureOf(createCall(config(), note({ date: '14/03/2025' })));
    const badId = await failureOf(createCall(config(), note({ contactId: '../calls/x' })));
    expect([badResult.kind, badDate.kind, badId.kind]).toEqual(['invalid', 'invalid', 'invalid']);
    expect(crmRequests()).toHaveLength(0);
  });

  it("answers 'not-found' for a contact the CRM does not have", async () => {
    const failure = await failureOf(createCall(config(), note({ contactId: contactId(20_000) })));
    expect(failure).toMatchObject({ kind: 'not-found', status: 404 });
    expect(failure.message).toContain('Contact');
    expect(storedCalls()).toHaveLength(0);
  });
});

describe('listCalls', () => {
  it('follows page to max_page across more than 100 calls, 100 a page', async () => {
    expect(simulator.control?.('seed', { contact_id: CONTACT, count: 250 }).status).toBe(200);
    simulator.control?.('seed', { contact_id: OTHER_CONTACT, count: 3 });

    const calls = await listCallsSince(config(), CONTACT, 0);

    expect(calls).toHaveLength(250);
    expect(new Set(calls.map((c) => c.id)).size).toBe(250);
    expect(calls.every((c) => c.contactId === CONTACT)).toBe(true);
    expect(crmRequests('GET').map((r) => r.query)).toEqual(
      [1, 2, 3].map((page) => ({
        contact_id: CONTACT,
        date_filter: 'created_at',
        since: '0',
        page: String(page),
        per_page: '100',
      })),
    );
  });

  it('stops after one page when everything fits, and lists an empty contact', async () => {
    simulator.control?.('seed', { contact_id: CONTACT, count: 100 });
    expect(await listCallsSince(config(), CONTACT, 0)).toHaveLength(100);
    expect(await listCallsSince(config(), OTHER_CONTACT, 0)).toEqual([]);
    expect(crmRequests('GET')).toHaveLength(2);
  });

  it('returns only calls created since the given second', async () => {
    await createCall(config(), note({ text: 'first' }));
    await createCall(config(), note({ text: 'second' }));
    clock = START + 3_600_000;
    await createCall(config(), note({ text: 'third' }));

    const texts = async (since: number) => (await listCallsSince(config(), CONTACT, since)).map((c) => c.text);
    expect(await texts(START / 1000)).toEqual(['first', 'second', 'third']);
    expect(await texts(START / 1000 + 1)).toEqual(['third']);
    expect(await texts((START + 3_600_000) / 1000)).toEqual(['third']);
    expect(await texts((START + 3_600_000) / 1000 + 1)).toEqual([]);
  });

  it('filters on modification time when asked, so an edited old call shows up', async () => {
    const old = await createCall(config(), note({ text: 'old' }));
    clock = START + 86_400_000;
    await updateCall(config(), old.id, { text: 'old, edited' });
    const since = (START + 86_400_000) / 1000;
    expect(await listCalls(config(), { contactId: CONTACT, dateFilter: 'created_at', since })).toEqual([]);
    expect(
      (await listCalls(config(), { contactId: CONTACT, dateFilter: 'modified_at', since })).map((c) => c.text),
    ).toEqual(['old, edited']);
  });

  it("answers 'not-found' for an unknown contact", async () => {
    const failure = await failureOf(listCallsSince(config(), 'ffffffffffffffffffffffff', 0));
    expect(failure).toMatchObject({ kind: 'not-found', status: 404 });
  });
});

describe('getCall, updateCall, deleteCall', () => {
  it('updates only the fields given, with PUT ?partial=1', async () => {
    const created = await createCall(config(), note());
    clock = START + 60_000;
    const updated = await updateCall(config(), created.id, { text: 'Corrected note', callResult: 'left_message' });

    const put = crmRequests('PUT')[0];
    expect(put?.path).toBe(`/calls/${created.id}.json`);
    expect(put?.query).toEqual({ partial: '1' });
    expect(put?.body).toEqual({ text: 'Corrected note', call_result: 'left_message' });
    expect(updated).toEqual({
      ...created,
      text: 'Corrected note',
      callResult: 'left_message',
      modifiedAt: new Date(START + 60_000).toISOString(),
    });
    expect(await getCall(config(), created.id)).toEqual(updated);
  });

  it('deletes a call; a second delete and a read answer not-found', async () => {
    const created = await createCall(config(), note());
    await deleteCall(config(), created.id);
    expect(crmRequests('DELETE')[0]?.path).toBe(`/calls/${created.id}.json`);
    expect(storedCalls()).toEqual([]);
    expect((await failureOf(deleteCall(config(), created.id))).kind).toBe('not-found');
    expect((await failureOf(getCall(config(), created.id))).kind).toBe('not-found');
  });

  it("answers 'invalid' for a rejected update and keeps the call as it was", async () => {
    const created = await createCall(config(), note());
    const failure = await failureOf(updateCall(config(), created.id, { date: '2025-02-30' }));
    expect(failure).toMatchObject({ kind: 'invalid', status: 400 });
    expect(failure.message).toContain('date: must be a date as YYYY-MM-DD');
    expect(await getCall(config(), created.id)).toEqual(created);
  });
});

describe('lost answers and reconciliation', () => {
  const attemptAt = START;

  it('drop-after: offline, may have reached, and the call is found on the CRM', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, service: 'crm', method: 'POST' });
    const sent = note();
    const failure = await failureOf(createCall(config(), sent));
    expect(failure).toMatchObject({ kind: 'offline', mayHaveReached: true });
    expect(storedCalls()).toHaveLength(1);

    const found = findMatchingCall(await listCallsSince(config(), CONTACT, reconcileSince(attemptAt)), sent);
    expect(found?.id).toBe(storedCalls()[0]?.id);
  });

  it('one oddly shaped call in the list does not make the list unreadable; ours is still recognised in it', async () => {
    const sent = note();
    // Another integration wrote a call with a numeric result and a structured date…
    simulator.control?.('seed', { contact_id: CONTACT, count: 1, odd: { call_result: 7, date: { day: 14 } } });
    // …and our own note came back with one odd field too (its text, and marker, are intact).
    simulator.control?.('seed', { contact_id: CONTACT, count: 1, text: sent.text, odd: { duration: 'long', recording_link: 12 } });
    simulator.control?.('seed', { contact_id: CONTACT, count: 1, odd: { id: null } });
    const listed = await listCallsSince(config(), CONTACT, reconcileSince(attemptAt));
    // The call without an id cannot be recognised nor removed: it is left out; the others read.
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ callResult: '', text: 'Seeded call 1' });
    expect(findMatchingCall(listed, sent)?.id).toBe(storedCalls()[1]!.id);
  });

  it('drop-before: may have reached, but nothing was logged and nothing matches', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-before', count: 1, service: 'crm', method: 'POST' });
    simulator.control?.('seed', {
      contact_id: CONTACT,
      count: 2,
      text: 'Talked about the renewal; send a quote by Friday.',
    });
    const sent = note();
    const failure = await failureOf(createCall(config(), sent));
    expect(failure).toMatchObject({ kind: 'offline', mayHaveReached: true });
    expect(storedCalls()).toHaveLength(2);

    const listed = await listCallsSince(config(), CONTACT, reconcileSince(attemptAt));
    expect(listed).toHaveLength(2);
    expect(findMatchingCall(listed, sent)).toBeUndefined();

    // Sending again now logs it exactly once.
    await createCall(config(), sent);
    expect(storedCalls().filter((c) => c.text === sent.text)).toHaveLength(1);
  });

  it("status-after-commit 503: 'server' with Retry-After, may have reached, and was logged", async () => {
    sandbox.current.faults.addRule({
      mode: 'status-after-commit',
      count: 1,
      service: 'crm',
      status: 503,
      retryAfter: 5,
    });
    const sent = note();
    const failure = await failureOf(createCall(config(), sent));
    expect(failure).toMatchObject({ kind: 'server', status: 503, mayHaveReached: true, retryAfterMs: 5000 });
    expect(failure.message).toBe('Injected failure after commit');

    const found = findMatchingCall(await listCallsSince(config(), CONTACT, reconcileSince(attemptAt)), sent);
    expect(found?.id).toBe(storedCalls()[0]?.id);
    expect(storedCalls()).toHaveLength(1);
  });

  it("429 with Retry-After: 'rate-limited' with the wait, and nothing logged", async () => {
    sandbox.current.faults.addRule({ mode: 'rate-limit', count: 1, service: 'crm', retryAfter: 7 });
    const failure = await failureOf(createCall(config(), note()));
    expect(failure).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 7000 });
    expect(storedCalls()).toHaveLength(0);
  });

  it("an HTML page instead of the answer to a create: 'bad-response' that may have reached", async () => {
    simulator.control?.('corrupt-next', { kind: 'html' });
    const sent = note();
    const failure = await failureOf(createCall(config(), sent));
    expect(failure).toMatchObject({
      kind: 'bad-response',
      status: 200,
      mayHaveReached: true,
      message: 'an HTML page instead of JSON',
    });
    expect(findMatchingCall(await listCallsSince(config(), CONTACT, reconcileSince(attemptAt)), sent)).toBeDefined();
  });

  it("a cut-off or misshapen answer: 'bad-response'", async () => {
    simulator.control?.('corrupt-next', { kind: 'truncated' });
    expect(await failureOf(listCallsSince(config(), CONTACT, 0))).toMatchObject({
      kind: 'bad-response',
      message: 'the answer is not JSON',
    });

    simulator.control?.('corrupt-next', { kind: 'wrong-shape' });
    const failure = await failureOf(listCallsSince(config(), CONTACT, 0));
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toMatch(/^data\.calls/);
    expect(failure.mayHaveReached).toBeUndefined();
  });
});

describe('the crm service definition', () => {
  const secrets = (crmKey: string): AllSecrets => ({
    upcall: { token: '' },
    sipcaller: { apiKey: '' },
    callemall: { appKey: '', secretKey: '', authToken: '' },
    multisender: { token: '' },
    crm: { apiKey: crmKey },
  });

  it('names what is missing, and builds the config when nothing is', () => {
    expect(crm.resolveConfig(DEFAULT_SETTINGS, secrets(''))).toEqual({ ok: false, missing: ['user ID', 'API key'] });
    const settings = { ...DEFAULT_SETTINGS, crm: { ...DEFAULT_SETTINGS.crm, baseUrl: '', userId } };
    expect(crm.resolveConfig(settings, secrets(apiKey))).toEqual({ ok: false, missing: ['base URL'] });
    const ready = { ...DEFAULT_SETTINGS, crm: { ...DEFAULT_SETTINGS.crm, userId } };
    expect(crm.resolveConfig(ready, secrets(apiKey))).toEqual({
      ok: true,
      config: { baseUrl: 'https://app.onepagecrm.com/api/v3', userId, apiKey },
    });
    expect(crm.baseUrl(config())).toBe(config().baseUrl);
  });

  it('tests the connection with one cheap read and says who is connected', async () => {
    expect(await crm.testConnection(config())).toBe(`Connected as user ${userId}: 0 calls logged.`);
    await createCall(config(), note());
    expect(await crm.testConnection(config())).toBe(`Connected as user ${userId}: 1 call logged.`);
    expect(crmRequests('GET').map((r) => r.query)).toEqual([
      { page: '1', per_page: '1' },
      { page: '1', per_page: '1' },
    ]);
    expect((await failureOf(crm.testConnection(config({ userId: 'someone-else' })))).kind).toBe('auth');
  });
});

describe('the CRM simulator', () => {
  async function raw(method: string, path: string, body?: string, auth = true) {
    const response = await fetch(`${sandbox.current.url}${SERVICE_PREFIXES.crm}${path}`, {
      method,
      body,
      headers: {
        'Content-Type': 'application/json',
        ...(auth ? { Authorization: `Basic ${Buffer.from(`${userId}:${apiKey}`).toString('base64')}` } : {}),
      },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers 401 in its envelope without credentials', async () => {
    expect(await raw('GET', '/calls.json', undefined, false)).toEqual({
      status: 401,
      body: expect.objectContaining({
        status: 401,
        message: 'Unauthorized',
        error_name: 'authorization_data_not_found',
      }) as unknown,
    });
  });

  it('takes a create at /calls.json?contact_id= too', async () => {
    const answer = await raw(
      'POST',
      `/calls.json?contact_id=${CONTACT}&partial=1`,
      JSON.stringify({ call_result: 'left_message' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 0,
      message: 'OK',
      data: { call: { contact_id: CONTACT, call_result: 'left_message', date: '2025-03-14', text: '' } },
    });
  });

  it('without partial=1 names every missing field', async () => {
    const answer = await raw(
      'POST',
      `/contacts/${CONTACT}/calls.json`,
      JSON.stringify({ call_result: 'conversation', text: 'hi' }),
    );
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors as object).sort()).toEqual([
      'called_via',
      'date',
      'phone_number',
      'recording_link',
    ]);
  });

  it('answers 400 to invalid JSON and an unknown result, 404 to a malformed contact id', async () => {
    expect((await raw('POST', `/contacts/${CONTACT}/calls.json?partial=1`, '{"call_result":')).body).toMatchObject({
      status: 400,
      error_name: 'invalid_json',
    });
    expect(
      (await raw('POST', `/contacts/${CONTACT}/calls.json?partial=1`, '{"call_result":"busy"}')).body,
    ).toMatchObject({
      status: 400,
      errors: { call_result: 'must be one of conversation, no_answer, left_message' },
    });
    expect((await raw('POST', '/contacts/not-a-contact/calls.json?partial=1', '{}')).status).toBe(404);
    expect(storedCalls()).toHaveLength(0);
  });

  it('caps per_page at 100 and reports max_page', async () => {
    simulator.control?.('seed', { contact_id: CONTACT, count: 150 });
    const answer = await raw('GET', `/contacts/${CONTACT}/calls.json?per_page=500&page=2`);
    expect(answer.body.data).toMatchObject({ total_count: 150, page: 2, max_page: 2, per_page: 100 });
    expect((answer.body.data as { calls: unknown[] }).calls).toHaveLength(50);
  });

  it('reads since as a date too, as in the reference sample', async () => {
    simulator.control?.('seed', { contact_id: CONTACT, count: 1, created_at: Date.UTC(2025, 2, 13, 23, 0) });
    simulator.control?.('seed', { contact_id: CONTACT, count: 1, created_at: Date.UTC(2025, 2, 14, 1, 0) });
    const answer = await raw('GET', `/calls.json?contact_id=${CONTACT}&date_filter=created&since=2025-03-14`);
    expect(answer.body.data).toMatchObject({ total_count: 1 });
  });

  it('counts and clears through its controls', () => {
    simulator.control?.('seed', { contact_id: CONTACT, count: 3 });
    simulator.control?.('seed', { contact_id: OTHER_CONTACT, count: 2 });
    expect(simulator.control?.('count', {}).body).toEqual({ count: 5 });
    expect(simulator.control?.('count', { contact_id: OTHER_CONTACT }).body).toEqual({ count: 2 });
    simulator.control?.('clear', {});
    expect(storedCalls()).toEqual([]);
  });
});
