import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { ServiceError, type Failure } from '../../../lib/errors.ts';
import {
  addContactsToList,
  callEmAll,
  createBroadcast,
  createContact,
  createContactList,
  formatCallEmAllDate,
  listContactLists,
  listListContacts,
  listOptOuts,
  resolveFeedLink,
  signCallEmAllRequest,
  toCallEmAllPhone,
  type CallEmAllConfig,
} from '../../../lib/providers/callemall.ts';
import { DEFAULT_SETTINGS } from '../../../lib/settings.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import { createCallEmAllSimulator } from '../../../sandbox/services/callemall.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createCallEmAllSimulator();
const sandbox = useSandbox({ simulators: [simulator] });

function config(overrides: Partial<CallEmAllConfig> = {}): CallEmAllConfig {
  return {
    baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.callemall}`,
    ...SANDBOX_CREDENTIALS.callemall,
    ...overrides,
  };
}

interface SimState {
  contacts: {
    PersonID: number;
    PrimaryPhone: string;
    FirstName: string;
    LastName: string;
    Notes: string;
    deleted: boolean;
  }[];
  lists: { ListID: number; ListType: string; ListName: string; members: number[] }[];
  optOuts: { PhoneNumber: string; OptOutDate: string; DoNotCall: boolean }[];
  broadcasts: Record<string, unknown>[];
}
const simState = () => simulator.state() as SimState;

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return (error as ServiceError).failure;
}

/** A request signed by the client's signer but sent by hand, to probe the simulator directly. */
async function signedFetch(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signedUrl?: string,
): Promise<Response> {
  const url = new URL(`${config().baseUrl}${path}`);
  const authorization = await signCallEmAllRequest(config(), method, new URL(signedUrl ?? url.href));
  return fetch(url, {
    method,
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('OAuth 1.0a signing', () => {
  it('signs every request so the simulator verifies it, with the documented one-legged parameters', async () => {
    await listContactLists(config());
    const requests = sandbox.current.requests;
    expect(requests.length).toBeGreaterThan(0);
    for (const recorded of requests) {
      expect(recorded.status).toBe(200);
      const header = recorded.headers.authorization ?? '';
      expect(header).toMatch(/^OAuth /);
      expect(header).toContain(`oauth_consumer_key="${SANDBOX_CREDENTIALS.callemall.appKey}"`);
      expect(header).toContain(`oauth_token="${SANDBOX_CREDENTIALS.callemall.authToken}"`);
      expect(header).toContain('oauth_signature_method="HMAC-SHA1"');
      expect(header).toContain('oauth_version="1.0"');
    }
  });

  it('computes the same HMAC-SHA1 signature as a reference signer (node:crypto), key "SecretKey&"', async () => {
    const url = new URL('https://rest.call-em-all.com/v1/optouts?date-from=2020-10-01&page=2');
    const fixed = { nonce: 'kllo9940pd9333jh', timestamp: 1191242096 };
    const header = await signCallEmAllRequest(SANDBOX_CREDENTIALS.callemall, 'GET', url, fixed);

    const reference = new OAuth({
      consumer: { key: SANDBOX_CREDENTIALS.callemall.appKey, secret: SANDBOX_CREDENTIALS.callemall.secretKey },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const expected = reference.getSignature({ url: url.href, method: 'GET' }, '', {
      oauth_consumer_key: SANDBOX_CREDENTIALS.callemall.appKey,
      oauth_nonce: fixed.nonce,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: fixed.timestamp,
      oauth_version: '1.0',
      oauth_token: SANDBOX_CREDENTIALS.callemall.authToken,
    });
    expect(header).toContain(`oauth_signature="${encodeURIComponent(expected)}"`);
    expect(header).toContain(`oauth_nonce="${fixed.nonce}"`);
    expect(header).toContain(`oauth_timestamp="${fixed.timestamp}"`);
    // A different query is a different signature: the query is part of the base string.
    const other = await signCallEmAllRequest(
      SANDBOX_CREDENTIALS.callemall,
      'GET',
      new URL('https://rest.call-em-all.com/v1/optouts?date-from=2020-10-02&page=2'),
      fixed,
    );
    expect(other).not.toBe(header);
  });

  it('is rejected by the simulator when the query sent differs from the query signed', async () => {
    const sent = '/optouts?date-from=2020-01-01';
    const tampered = await signedFetch('GET', sent, undefined, `${config().baseUrl}/optouts?date-from=2020-10-01`);
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ Message: 'The OAuth signature is invalid.', ErrorCode: 401 });
    const honest = await signedFetch('GET', sent);
    expect(honest.status).toBe(200);
  });

  it("turns a wrong secret into an 'auth' failure (401) in the user's words", async () => {
    const failure = await failureOf(callEmAll.listCampaigns(config({ secretKey: 'not-the-secret' })));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      service: 'Call-Em-All',
      message: 'The OAuth signature is invalid.',
    });
    expect(new ServiceError(failure).message).toMatch(/^Call-Em-All rejected .*\(401\)/);
  });

  it("turns a wrong auth token or app key into 'auth' too", async () => {
    expect(
      await failureOf(callEmAll.testConnection(config({ authToken: '00000000-0000-0000-0000-000000000000' }))),
    ).toMatchObject({
      kind: 'auth',
      message: 'The AuthToken is not valid.',
    });
    expect(await failureOf(callEmAll.testConnection(config({ appKey: 'someone-else' })))).toMatchObject({
      kind: 'auth',
      message: 'The AppKey is not recognised.',
    });
  });
});

describe('feeds', () => {
  it('follows Next to the end of the lists feed and offers only User lists as campaigns', async () => {
    const campaigns = await callEmAll.listCampaigns(config());
    const users = simState().lists.filter((l) => l.ListType === 'User');
    expect(campaigns).toEqual(
      users.map((l) => ({ service: 'callemall', id: String(l.ListID), name: l.ListName, status: 'User list' })),
    );
    expect(campaigns).toHaveLength(8);
    // 11 lists at the simulator's 10 a page: the second page came from the Next link.
    const pages = sandbox.current.requests.map((r) => [r.path, r.query]);
    expect(pages).toEqual([
      ['/lists', {}],
      ['/lists', { pagesize: '10', page: '2' }],
    ]);
  });

  it('reads all system and user lists with listContactLists', async () => {
    const lists = await listContactLists(config());
    expect(lists.map((l) => l.ListName).slice(0, 3)).toEqual(['Deleted', 'Everyone', 'Unfiled']);
    expect(lists).toHaveLength(11);
  });

  it('follows Next through every page of opt-outs, keeping date-from on each page', async () => {
    const optOuts = await listOptOuts(config(), { dateFrom: '2020-10-01' });
    const expected = simState().optOuts.filter((o) => o.OptOutDate.slice(0, 10) >= '2020-10-01');
    expect(expected.length).toBeGreaterThan(20);
    expect(optOuts.map((o) => o.PhoneNumber)).toEqual(expected.map((o) => o.PhoneNumber));
    expect(optOuts.every((o) => typeof o.DoNotCall === 'boolean' && typeof o.DoNotText === 'boolean')).toBe(true);
    const requests = sandbox.current.requests;
    expect(
      requests.every((r) => r.path === '/optouts' && r.query['date-from'] === '2020-10-01' && r.status === 200),
    ).toBe(true);
    expect(requests.map((r) => r.query.page)).toEqual([undefined, '2', '3']);
  });

  it('reads the whole opt-out list without a date, and accepts a Date', async () => {
    expect(await listOptOuts(config())).toHaveLength(simState().optOuts.length);
    const fromDate = await listOptOuts(config(), { dateFrom: new Date('2020-11-20T12:00:00Z') });
    expect(fromDate.length).toBe(simState().optOuts.filter((o) => o.OptOutDate >= '2020-11-20').length);
  });

  it("reads a list's members across pages", async () => {
    const small = createCallEmAllSimulator({ pageSize: 2 });
    const local = await startSandbox({ simulators: [small] });
    try {
      const members = await listListContacts(
        { ...config(), baseUrl: `${local.url}${SERVICE_PREFIXES.callemall}` },
        '32',
      );
      expect(members.map((m) => m.LastName)).toEqual(['Carter', 'Park', 'Nguyen', 'Kim']);
      expect(local.requests.map((r) => r.query.page)).toEqual([undefined, '2']);
    } finally {
      await local.close();
    }
  });

  it('resolves Next links shown as paths from the API root against a base URL with a path prefix', () => {
    const real = 'https://rest.call-em-all.com/v1';
    expect(resolveFeedLink(real, '/v1/contacts?page=2').href).toBe('https://rest.call-em-all.com/v1/contacts?page=2');
    expect(resolveFeedLink(real, '/broadcasts?pagesize=10&page=2').href).toBe(
      'https://rest.call-em-all.com/v1/broadcasts?pagesize=10&page=2',
    );
    const proxied = 'http://127.0.0.1:5178/callemall/v1';
    expect(resolveFeedLink(proxied, '/v1/optouts?page=3').href).toBe(
      'http://127.0.0.1:5178/callemall/v1/optouts?page=3',
    );
    expect(resolveFeedLink(proxied, '/callemall/v1/lists?page=2').href).toBe(
      'http://127.0.0.1:5178/callemall/v1/lists?page=2',
    );
    expect(resolveFeedLink(proxied, 'http://127.0.0.1:5178/callemall/v1/lists?page=2').href).toBe(
      'http://127.0.0.1:5178/callemall/v1/lists?page=2',
    );
    expect(() => resolveFeedLink(real, 'https://evil.example/v1/contacts?page=2')).toThrow(ServiceError);
  });
});

describe('adding a number to a list', () => {
  it('creates the contact, then adds it to the list, with exactly the documented bodies', async () => {
    const before = simState().contacts.length;
    const outcome = await callEmAll.addNumber(config(), '35', {
      e164: '+12145550142',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      extension: '12',
    });
    const state = simState();
    const created = state.contacts.at(-1)!;
    expect(state.contacts).toHaveLength(before + 1);
    expect(outcome).toEqual({ outcome: 'added', remoteId: String(created.PersonID) });
    expect(state.lists.find((l) => l.ListID === 35)!.members).toEqual([created.PersonID]);

    const calls = sandbox.current.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET /lists/35/contacts',
      'GET /optouts',
      'GET /optouts',
      'GET /optouts',
      'GET /optouts',
      'POST /contacts',
      'POST /lists/35/contacts',
    ]);
    const posts = sandbox.current.requests.filter((r) => r.method === 'POST');
    expect(posts[0]!.body).toEqual({
      PrimaryPhone: '2145550142',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Notes: 'Analytical Engines, ext. 12',
    });
    expect(posts[1]!.body).toEqual([{ PersonID: created.PersonID }]);
    expect(posts.every((r) => r.headers['content-type']?.startsWith('application/json'))).toBe(true);
  });

  it('answers duplicate, creating nothing, when the number is already in the list', async () => {
    const first = await callEmAll.addNumber(config(), '35', { e164: '+12145550142' });
    sandbox.current.requests.length = 0;
    const contacts = simState().contacts.length;
    const again = await callEmAll.addNumber(config(), '35', { e164: '+12145550142', firstName: 'Someone' });
    expect(again).toEqual({
      outcome: 'duplicate',
      remoteId: first.outcome === 'added' ? first.remoteId : 'unreachable',
    });
    expect(sandbox.current.requests.map((r) => r.method)).toEqual(['GET']);
    expect(simState().contacts).toHaveLength(contacts);
  });

  it('answers duplicate for a seeded member, whatever the formatting of its stored phone', async () => {
    const lopez = simState().contacts.find((c) => c.LastName === 'Lopez')!;
    expect(await callEmAll.addNumber(config(), '31', { e164: '+12145550101' })).toEqual({
      outcome: 'duplicate',
      remoteId: String(lopez.PersonID),
    });
  });

  it('answers do-not-call, creating nothing, for a number on the opt-out list', async () => {
    const contacts = simState().contacts.length;
    const outcome = await callEmAll.addNumber(config(), '35', { e164: '+12145550199', firstName: 'Dana' });
    expect(outcome).toEqual({
      outcome: 'do-not-call',
      detail: '+12145550199 is marked do-not-call in the Call-Em-All opt-out list, so it was not added.',
    });
    expect(sandbox.current.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(simState().contacts).toHaveLength(contacts);
    expect(simState().lists.find((l) => l.ListID === 35)!.members).toEqual([]);
  });

  it('answers do-not-call for a number marked do-not-call after it was known', async () => {
    expect(simulator.control!('mark-dnc', { phone: '+12145550142' }).status).toBe(200);
    expect(await callEmAll.addNumber(config(), '35', { e164: '+12145550142' })).toMatchObject({
      outcome: 'do-not-call',
    });
    expect(sandbox.current.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('answers do-not-call when the list member carries DoNotCallPrimaryPhone', async () => {
    const outcome = await callEmAll.addNumber(config(), '34', { e164: '+12145550199' });
    expect(outcome).toMatchObject({ outcome: 'do-not-call' });
    expect(sandbox.current.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /lists/34/contacts']);
  });

  it('refuses a non-US number without sending anything', async () => {
    const failure = await failureOf(callEmAll.addNumber(config(), '35', { e164: '+442079460958' }));
    expect(failure.kind).toBe('invalid');
    expect(failure.message).toContain('not a US or Canadian (+1) number');
    expect(sandbox.current.requests).toHaveLength(0);
    expect(toCallEmAllPhone('+12145555055')).toBe('2145555055');
    expect(toCallEmAllPhone('+11145555055')).toBeUndefined();
    expect(toCallEmAllPhone('+4915123456789')).toBeUndefined();
  });

  it('refuses a list ID that is not a number without sending anything', async () => {
    expect(await failureOf(callEmAll.addNumber(config(), 'everyone', { e164: '+12145550142' }))).toMatchObject({
      kind: 'invalid',
    });
    expect(sandbox.current.requests).toHaveLength(0);
  });

  it("reports a list that does not exist as 'not-found' with the service's message", async () => {
    expect(await failureOf(callEmAll.addNumber(config(), '999', { e164: '+12145550142' }))).toMatchObject({
      kind: 'not-found',
      status: 404,
      message: 'List 999 was not found.',
    });
  });

  it('keeps the 50-character Notes limit: long company names are shortened by addNumber', async () => {
    await callEmAll.addNumber(config(), '35', {
      e164: '+12145550143',
      company: 'The Extraordinarily Long Company Name of Greater Dallas',
      extension: '4455',
    });
    const post = sandbox.current.requests.find((r) => r.method === 'POST' && r.path === '/contacts')!;
    const notes = (post.body as { Notes: string }).Notes;
    expect(notes).toHaveLength(50);
    expect(notes.endsWith('…')).toBe(true);
  });
});

describe('contacts, lists and broadcasts', () => {
  it('createContact refuses Notes over 50 characters without a request', async () => {
    const failure = await failureOf(createContact(config(), { e164: '+12145550150', notes: 'x'.repeat(51) }));
    expect(failure).toMatchObject({ kind: 'invalid', message: 'Notes are at most 50 characters (these have 51)' });
    expect(sandbox.current.requests).toHaveLength(0);
  });

  it('createContact returns the PersonID the simulator assigned', async () => {
    const contact = await createContact(config(), {
      e164: '+12145550151',
      firstName: 'John',
      lastName: 'Doe',
      notes: 'cell',
    });
    expect(contact.PersonID).toBe(simState().contacts.at(-1)!.PersonID);
    expect(contact.PrimaryPhone).toBe('2145550151');
  });

  it('the simulator refuses a contact without PrimaryPhone or with long Notes (400, its envelope)', async () => {
    const missing = await signedFetch('POST', '/contacts', { FirstName: 'No', LastName: 'Phone' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ Message: 'PrimaryPhone is required.', ErrorCode: 400 });
    const long = await signedFetch('POST', '/contacts', { PrimaryPhone: '2145550160', Notes: 'y'.repeat(51) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ Message: 'Notes can be at most 50 characters.' });
  });

  it('the simulator accepts list members only as [{"PersonID": n}]', async () => {
    const wrong = await signedFetch('POST', '/lists/35/contacts', { PersonID: 4951300 });
    expect(wrong.status).toBe(400);
    const system = await signedFetch('POST', '/lists/0/contacts', [{ PersonID: 4951300 }]);
    expect(system.status).toBe(400);
    await addContactsToList(config(), 35, [4951300, 4951301]);
    expect(simState().lists.find((l) => l.ListID === 35)!.members).toEqual([4951300, 4951301]);
  });

  it('creates a list with ListName and ListDescription', async () => {
    const list = await createContactList(config(), {
      name: 'Test Group',
      description: 'Contact group created for test',
    });
    expect(sandbox.current.requests[0]!.body).toEqual({
      ListName: 'Test Group',
      ListDescription: 'Contact group created for test',
    });
    expect(list).toMatchObject({ ListType: 'User', ListName: 'Test Group', RosterCount: 0 });
    expect((await callEmAll.listCampaigns(config())).map((c) => c.name)).toContain('Test Group');
  });

  it('formats StartDate as M/D/YYYY h:mmAM', () => {
    expect(formatCallEmAllDate(new Date('2020-02-01T19:15:00Z'), 'America/Chicago')).toBe('2/1/2020 1:15PM');
    expect(formatCallEmAllDate(new Date('2021-11-09T05:05:00Z'), 'UTC')).toBe('11/9/2021 5:05AM');
    expect(formatCallEmAllDate(new Date('2021-11-09T00:00:00Z'), 'UTC')).toBe('11/9/2021 12:00AM');
  });

  it('creates a voice broadcast to numbers and lists with the documented body', async () => {
    const broadcast = await createBroadcast(config(), {
      name: 'Testing',
      type: 'Announcement',
      start: new Date('2030-02-01T19:15:00Z'),
      timeZone: 'America/Chicago',
      checkCallingWindow: true,
      listIds: [31],
      contacts: [{ e164: '+12145551234', firstName: 'Jack', lastName: 'Black', notes: 'ID 123456' }],
      audioId: 'zx1234',
    });
    expect(sandbox.current.requests[0]!.body).toEqual({
      BroadcastName: 'Testing',
      BroadcastType: 'Announcement',
      StartDate: '2/1/2030 1:15PM',
      CheckCallingWindow: true,
      Lists: [{ ListID: 31 }],
      Contacts: [{ PrimaryPhone: '2145551234', FirstName: 'Jack', LastName: 'Black', Notes: 'ID 123456' }],
      Audio: { AudioID: 'zx1234' },
    });
    expect(broadcast).toMatchObject({ BroadcastName: 'Testing', BroadcastType: 'Announcement', PhoneNumberCount: 4 });
  });

  it('creates an SMS broadcast with TextMessage, and refuses one without text before any request', async () => {
    const sms = await createBroadcast(config(), {
      name: 'Reminder',
      type: 'SMS',
      start: new Date(),
      contacts: [{ e164: '+12145550101' }],
      textMessage: 'See you at 3pm',
    });
    expect(sms.BroadcastType).toBe('SMS');
    expect((sandbox.current.requests[0]!.body as Record<string, unknown>).TextMessage).toBe('See you at 3pm');
    sandbox.current.requests.length = 0;
    expect(
      await failureOf(createBroadcast(config(), { name: 'Empty', type: 'SMS', start: new Date(), listIds: [31] })),
    ).toMatchObject({ kind: 'invalid' });
    expect(
      await failureOf(
        createBroadcast(config(), { name: 'Nobody', type: 'Announcement', start: new Date(), audioId: 'a1' }),
      ),
    ).toMatchObject({ kind: 'invalid' });
    expect(sandbox.current.requests).toHaveLength(0);
  });
});

describe('service definition', () => {
  it('tests the connection with GET /lists', async () => {
    expect(await callEmAll.testConnection(config())).toBe('Connected: 11 lists');
    expect(sandbox.current.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /lists']);
  });

  it('resolves its config from settings and secrets, naming what is missing', () => {
    const secrets = { ...emptySecrets(), callemall: { appKey: 'a', secretKey: '', authToken: '' } };
    expect(callEmAll.resolveConfig(DEFAULT_SETTINGS, secrets)).toEqual({
      ok: false,
      missing: ['secret key', 'auth token'],
    });
    const full = { ...emptySecrets(), callemall: { appKey: 'a', secretKey: 's', authToken: 't' } };
    expect(callEmAll.resolveConfig(DEFAULT_SETTINGS, full)).toEqual({
      ok: true,
      config: { baseUrl: 'https://rest.call-em-all.com/v1', appKey: 'a', secretKey: 's', authToken: 't' },
    });
  });
});

describe('failures', () => {
  it("maps an injected 429 to 'rate-limited' with Retry-After", async () => {
    sandbox.current.faults.addRule({ mode: 'rate-limit', count: 1, retryAfter: 7, service: 'callemall' });
    expect(await failureOf(callEmAll.listCampaigns(config()))).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 7000,
    });
  });

  it("maps an injected 503 to 'server' with the service's message", async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 503, count: 1, service: 'callemall' });
    expect(await failureOf(listOptOuts(config()))).toMatchObject({
      kind: 'server',
      status: 503,
      message: 'Injected failure',
      mayHaveReached: false,
    });
  });

  it("maps a connection dropped after the contact was created to 'offline' with mayHaveReached", async () => {
    sandbox.current.faults.addRule({
      mode: 'drop-after',
      count: 1,
      method: 'POST',
      pathIncludes: '/contacts',
      service: 'callemall',
    });
    const before = simState().contacts.length;
    expect(await failureOf(createContact(config(), { e164: '+12145550170' }))).toMatchObject({
      kind: 'offline',
      mayHaveReached: true,
    });
    expect(simState().contacts).toHaveLength(before + 1);
  });

  it("maps an HTML page instead of JSON to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'html' });
    expect(await failureOf(callEmAll.listCampaigns(config()))).toMatchObject({
      kind: 'bad-response',
      message: 'an HTML page instead of JSON',
    });
  });

  it("maps a cut-off JSON answer to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'not-json', pathIncludes: '/optouts', count: 1 });
    expect(await failureOf(listOptOuts(config()))).toMatchObject({
      kind: 'bad-response',
      message: 'the answer is not JSON',
    });
  });

  it("maps a feed with the wrong types to 'bad-response'", async () => {
    simulator.control!('malform', { mode: 'wrong-types' });
    const failure = await failureOf(listOptOuts(config()));
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toMatch(/^Size: /);
  });
});

function emptySecrets() {
  return {
    upcall: { token: '' },
    sipcaller: { apiKey: '' },
    callemall: { appKey: '', secretKey: '', authToken: '' },
    multisender: { token: '' },
    crm: { apiKey: '' },
  };
}
