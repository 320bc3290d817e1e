import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isServiceError, type Failure } from '../../../lib/errors.ts';
import {
  addCampaignNumber,
  buildNumbersCsv,
  buildVarValues,
  csvField,
  deleteCampaignNumbers,
  findCampaignNumbers,
  listCampaignRecords,
  parseContentRange,
  sipCaller,
  sipCallerErrorMessage,
  uploadCampaignNumbers,
  type SipCallerConfig,
} from '../../../lib/providers/sipcaller.ts';
import type { AllSecrets } from '../../../lib/services.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../lib/settings.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { createSipCallerSimulator, parseCsv, type SipCallerSimState } from '../../../sandbox/services/sipcaller.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createSipCallerSimulator();
const sandbox = useSandbox({ simulators: [simulator] });
const ACCOUNT = SANDBOX_CREDENTIALS.sipcaller.accountId;

function config(overrides: Partial<SipCallerConfig> = {}): SipCallerConfig {
  return {
    baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.sipcaller}`,
    accountId: ACCOUNT,
    apiKey: SANDBOX_CREDENTIALS.sipcaller.apiKey,
    varOrder: ['first_name', 'company'],
    ...overrides,
  };
}

function simState(): SipCallerSimState {
  return simulator.state() as SipCallerSimState;
}

function numbersOf(campaignId: string) {
  return simState().numbers.filter((n) => n.campaignId === campaignId);
}

function requests(method?: string) {
  return sandbox.current.requests.filter((r) => r.service === 'sipcaller' && (!method || r.method === method));
}

function control(action: string, body: unknown) {
  expect(simulator.control!(action, body).status).toBe(200);
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return error.failure;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function rawFetch(path: string, init: RequestInit = {}, apiKey: string | null = SANDBOX_CREDENTIALS.sipcaller.apiKey) {
  const headers = new Headers(init.headers);
  if (apiKey !== null) headers.set('Authorization', `Bearer ${apiKey}`);
  return fetch(`${sandbox.current.url}${SERVICE_PREFIXES.sipcaller}/accounts/${ACCOUNT}${path}`, { ...init, headers });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function localServer(answer: () => { headers?: Record<string, string>; body: string }) {
  let count = 0;
  const server = createServer((_req, res) => {
    count += 1;
    const { headers = {}, body } = answer();
    res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close', ...headers });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => count };
}

const OPEN = [
  { service: 'sipcaller', id: 'cmp-101', name: 'Appointment reminders', status: 'Active' },
  { service: 'sipcaller', id: 'cmp-102', name: 'Billing follow-ups', status: 'Active' },
  { service: 'sipcaller', id: 'cmp-106', name: 'Feedback calls', status: 'Active' },
];

describe('SIP Caller campaigns', () => {
  it('asks for active dynamic campaigns by name with JSON filter, sort and range', async () => {
    expect(await sipCaller.listCampaigns(config())).toEqual(OPEN);
    const [list] = requests();
    expect(list).toMatchObject({ method: 'GET', path: `/accounts/${ACCOUNT}/campaigns` });
    expect(list!.query).toEqual({
      filter: '{"type":"Dynamic","status":"Active"}',
      sort: '["name","ASC"]',
      range: '[0,99]',
    });
    expect(list!.headers.authorization).toBe(`Bearer ${SANDBOX_CREDENTIALS.sipcaller.apiKey}`);
    expect(requests()).toHaveLength(1);
  });

  it('follows the range until the Content-Range total when the service sends fewer rows', async () => {
    control('set-max-range', { max: 2 });
    expect(await sipCaller.listCampaigns(config())).toEqual(OPEN);
    expect(requests().map((r) => r.query.range)).toEqual(['[0,99]', '[2,101]']);
  });

  it('pages through every campaign, whatever the filter', async () => {
    control('set-max-range', { max: 3 });
    const all = await listCampaignRecords(config(), { sort: ['name', 'DESC'], pageSize: 3 });
    expect(all.map((c) => c.id)).toEqual([
      'cmp-108',
      'cmp-107',
      'cmp-106',
      'cmp-105',
      'cmp-104',
      'cmp-103',
      'cmp-102',
      'cmp-101',
    ]);
    expect(requests().map((r) => r.query.range)).toEqual(['[0,2]', '[3,5]', '[6,8]']);
  });

  it('stops at a short page when there is no Content-Range', async () => {
    control('set-content-range', { enabled: false });
    expect(await sipCaller.listCampaigns(config())).toEqual(OPEN);
    expect(requests()).toHaveLength(1);
  });

  it('does not offer a static or inactive campaign the service failed to filter out', async () => {
    const service = await localServer(() => ({
      headers: { 'Content-Range': 'campaigns 0-1/2' },
      body: JSON.stringify([
        { id: 1, name: 'Static one', type: 'Static', status: 'Active' },
        { id: 2, name: 'Live one', type: 'Dynamic', status: 'Active' },
      ]),
    }));
    const campaigns = await sipCaller.listCampaigns(config({ baseUrl: service.url }));
    expect(campaigns).toEqual([{ service: 'sipcaller', id: '2', name: 'Live one', status: 'Active' }]);
  });

  it('refuses a service that ignores the range instead of reading page one forever', async () => {
    const service = await localServer(() => ({
      headers: { 'Content-Range': 'campaigns 0-0/5' },
      body: JSON.stringify([{ id: 1, name: 'A', type: 'Dynamic', status: 'Active' }]),
    }));
    const failure = await failureOf(sipCaller.listCampaigns(config({ baseUrl: service.url })));
    expect(failure).toMatchObject({ kind: 'bad-response', message: 'asked for rows from 1, got rows from 0' });
    expect(service.count()).toBe(2);
  });

  it('counts campaigns from the Content-Range total in the connection test', async () => {
    expect(await sipCaller.testConnection(config())).toBe('Connected: 3 dynamic active campaigns');
    control('set-max-range', { max: 1 });
    expect(await sipCaller.testConnection(config())).toBe('Connected: 3 dynamic active campaigns');
    expect(requests()).toHaveLength(2);
  });

  it('counts the campaigns themselves when there is no total', async () => {
    control('set-content-range', { enabled: false });
    control('set-campaign', { id: 'cmp-102', status: 'Paused' });
    control('set-campaign', { id: 'cmp-106', status: 'Paused' });
    expect(await sipCaller.testConnection(config())).toBe('Connected: 1 dynamic active campaign');
  });
});

describe('SIP Caller add a number', () => {
  it('looks the number up, then posts it with varValues in the configured order', async () => {
    const outcome = await sipCaller.addNumber(config(), 'cmp-106', {
      e164: '+18005550199',
      firstName: 'Ana',
      lastName: 'Lima',
      company: 'Acme',
    });
    expect(outcome).toEqual({ outcome: 'added', remoteId: '8000' });
    const [lookup, post] = requests();
    expect(lookup).toMatchObject({ method: 'GET', path: `/accounts/${ACCOUNT}/campaigns/cmp-106/numbers` });
    expect(JSON.parse(lookup!.query.filter!)).toEqual({ number: '18005550199' });
    expect(post).toMatchObject({ method: 'POST', path: `/accounts/${ACCOUNT}/campaigns/cmp-106/numbers`, status: 201 });
    expect(post!.body).toEqual({ number: '+18005550199', varValues: ['Ana', 'Acme'] });
    expect(numbersOf('cmp-106')).toMatchObject([{ id: 8000, number: '+18005550199', varValues: ['Ana', 'Acme'] }]);
  });

  it('fills missing details with empty strings and builds the full name', async () => {
    await sipCaller.addNumber(config({ varOrder: ['full_name', 'email', 'last_name'] }), 'cmp-106', {
      e164: '+18005550198',
      firstName: 'Ana',
      lastName: 'Lima',
    });
    expect(requests('POST')[0]!.body).toEqual({ number: '+18005550198', varValues: ['Ana Lima', '', 'Lima'] });
  });

  it('leaves varValues out when no variables are configured', async () => {
    await sipCaller.addNumber(config({ varOrder: [] }), 'cmp-106', { e164: '+18005550197', firstName: 'Ana' });
    expect(requests('POST')[0]!.body).toEqual({ number: '+18005550197' });
  });

  it('reports a number already in the campaign as a duplicate and posts nothing', async () => {
    const outcome = await sipCaller.addNumber(config(), 'cmp-101', { e164: '+18005551234', firstName: 'John' });
    expect(outcome).toEqual({ outcome: 'duplicate', remoteId: '7001', status: 'Called' });
    expect(requests('POST')).toEqual([]);
  });

  it('does not take a partial match for a duplicate', async () => {
    // cmp-102 holds +4418005551234, which the partial look-up for 18005551234 also returns.
    expect((await findCampaignNumbers(config(), 'cmp-102', '+18005551234')).map((n) => n.id)).toEqual([]);
    const outcome = await sipCaller.addNumber(config(), 'cmp-102', { e164: '+18005551234' });
    expect(outcome.outcome).toBe('added');
    expect(numbersOf('cmp-102').map((n) => n.number)).toEqual(['+4418005551234', '+16505550100', '+18005551234']);
  });

  it('finds what it added itself when asked again', async () => {
    const first = await sipCaller.addNumber(config(), 'cmp-102', { e164: '+13125550142' });
    const second = await sipCaller.addNumber(config(), 'cmp-102', { e164: '+13125550142' });
    expect(first).toEqual({ outcome: 'added', remoteId: '8000' });
    expect(second).toEqual({ outcome: 'duplicate', remoteId: '8000', status: 'Pending' });
    expect(requests('POST')).toHaveLength(1);
  });

  it('refuses a number that is not E.164 without asking the service', async () => {
    const failure = await failureOf(sipCaller.addNumber(config(), 'cmp-101', { e164: '8005550100' }));
    expect(failure).toMatchObject({ kind: 'invalid', service: 'SIP Caller' });
    expect(requests()).toEqual([]);
  });
});

describe('SIP Caller bulk upload', () => {
  it('uploads new numbers as a CSV file with one column per variable', async () => {
    const result = await sipCaller.addNumbers!(config(), 'cmp-101', [
      { e164: '+15555550101', firstName: 'Ana', company: 'Acme, Inc.' },
      { e164: '+18005551234', firstName: 'John' },
      { e164: '+15555550102', firstName: '=HYPERLINK("http://x.example","click")', company: 'Say "hi"' },
      { e164: '+15555550101', firstName: 'Ana again' },
      { e164: '+15555550103' },
    ]);
    expect(result).toEqual({ added: 3, duplicates: 2 });

    const upload = requests('POST')[0]!;
    expect(requests('POST')).toHaveLength(1);
    expect(upload.path).toBe(`/accounts/${ACCOUNT}/campaigns/cmp-101/numbers/upload`);
    expect(upload.query).toEqual({ firstRowIsHeader: 'false', varCount: '2' });
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = upload.body as string;
    expect(body).toContain('name="file"; filename="numbers.csv"');
    expect(body).toContain(
      [
        '+15555550101,Ana,"Acme, Inc."',
        `+15555550102,"'=HYPERLINK(""http://x.example"",""click"")","Say ""hi"""`,
        '+15555550103,,',
        '',
      ].join('\n'),
    );
    expect(numbersOf('cmp-101').slice(3)).toMatchObject([
      { number: '+15555550101', varValues: ['Ana', 'Acme, Inc.'] },
      { number: '+15555550102', varValues: [`'=HYPERLINK("http://x.example","click")`, 'Say "hi"'] },
      { number: '+15555550103', varValues: ['', ''] },
    ]);
    // One look-up per distinct number, then the upload.
    expect(requests('GET')).toHaveLength(4);
  });

  it('sends nothing when every number is already there', async () => {
    const result = await sipCaller.addNumbers!(config(), 'cmp-101', [
      { e164: '+18005551234' },
      { e164: '+18005551235' },
    ]);
    expect(result).toEqual({ added: 0, duplicates: 2 });
    expect(requests('POST')).toEqual([]);
  });

  it('uploads only the number column when no variables are configured', async () => {
    await sipCaller.addNumbers!(config({ varOrder: [] }), 'cmp-106', [{ e164: '+15555550104', firstName: 'Ana' }]);
    const upload = requests('POST')[0]!;
    expect(upload.query.varCount).toBe('0');
    expect(upload.body as string).toContain('\r\n\r\n+15555550104\n\r\n');
  });

  it('refuses a batch holding a number that is not E.164 before sending anything', async () => {
    const failure = await failureOf(
      sipCaller.addNumbers!(config(), 'cmp-101', [{ e164: '+15555550105' }, { e164: 'call me' }]),
    );
    expect(failure.kind).toBe('invalid');
    expect(requests()).toEqual([]);
  });

  it('refuses rows whose variable count does not match', async () => {
    const failure = await failureOf(
      uploadCampaignNumbers(config(), 'cmp-101', [{ number: '+15555550106', varValues: ['only one'] }], 2),
    );
    expect(failure.kind).toBe('invalid');
    expect(requests()).toEqual([]);
  });
});

describe('SIP Caller CSV', () => {
  it('neutralises formulas and quotes what needs quoting', () => {
    expect(csvField('Ana')).toBe('Ana');
    expect(csvField('')).toBe('');
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+1 650')).toBe("'+1 650");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvField('Say "hi"')).toBe('"Say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvField('Anne-Marie')).toBe('Anne-Marie');
  });

  it('writes rows an RFC 4180 reader reads back', () => {
    const rows = [
      { number: '+15555550101', varValues: ['Ana', 'Acme, Inc.'] },
      { number: '+15555550102', varValues: ['line\r\nbreak', '"quoted"'] },
    ];
    const csv = buildNumbersCsv(rows);
    expect(parseCsv(csv)).toEqual({
      rows: [
        ['+15555550101', 'Ana', 'Acme, Inc.'],
        ['+15555550102', 'line\r\nbreak', '"quoted"'],
      ],
    });
  });

  it('builds variable values from the contact in the configured order', () => {
    const contact = { e164: '+15555550101', firstName: ' Ana ', company: 'Acme', email: 'ana@acme.example' };
    expect(buildVarValues(contact, ['email', 'first_name', 'last_name', 'full_name', 'company'])).toEqual([
      'ana@acme.example',
      'Ana',
      '',
      'Ana',
      'Acme',
    ]);
    expect(buildVarValues(contact, [])).toEqual([]);
  });
});

describe('SIP Caller delete', () => {
  it('sends record IDs, not numbers, as a JSON array', async () => {
    const [record] = await findCampaignNumbers(config(), 'cmp-101', '+18005551235');
    await deleteCampaignNumbers(config(), 'cmp-101', [record!.id]);
    const del = requests('DELETE')[0]!;
    expect(del.path).toBe(`/accounts/${ACCOUNT}/campaigns/cmp-101/numbers`);
    expect(del.body).toEqual([7002]);
    expect(numbersOf('cmp-101').map((n) => n.id)).toEqual([7001, 7003]);
  });

  it('sends nothing for an empty list', async () => {
    await deleteCampaignNumbers(config(), 'cmp-101', []);
    expect(requests()).toEqual([]);
  });
});

describe('SIP Caller failures', () => {
  it('turns a wrong API key into an auth failure', async () => {
    const failure = await failureOf(sipCaller.testConnection(config({ apiKey: 'wrong' })));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      service: 'SIP Caller',
      message: 'Invalid or missing API key',
    });
  });

  it('turns an account the key cannot reach into a 403', async () => {
    const failure = await failureOf(sipCaller.listCampaigns(config({ accountId: 'acc-9999' })));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 403,
      message: 'This API key has no access to account acc-9999',
    });
  });

  it("passes on the service's validation message", async () => {
    const failure = await failureOf(addCampaignNumber(config(), 'cmp-101', { number: 'ext. 12' }));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 400,
      message: 'number must be a phone number of 3 to 15 digits, e.g. +18005551234',
    });
  });

  it('reports a campaign that is not active', async () => {
    const failure = await failureOf(sipCaller.addNumber(config(), 'cmp-104', { e164: '+15555550107' }));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 409,
      message: 'Campaign is Paused; numbers can only be added to an active campaign',
    });
  });

  it('reports an unknown campaign as not found', async () => {
    const failure = await failureOf(sipCaller.addNumber(config(), 'cmp-999', { e164: '+15555550107' }));
    expect(failure).toMatchObject({ kind: 'not-found', status: 404, message: 'Campaign cmp-999 not found' });
  });

  it('reads Retry-After on a 429', async () => {
    sandbox.current.faults.addRule({ mode: 'rate-limit', count: 1, service: 'sipcaller', retryAfter: 12 });
    const failure = await failureOf(sipCaller.listCampaigns(config()));
    expect(failure).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 12_000 });
  });

  it('classifies a 503 on the upload as a server failure that may have reached it', async () => {
    sandbox.current.faults.addRule({
      mode: 'status',
      status: 503,
      count: 1,
      service: 'sipcaller',
      pathIncludes: '/upload',
    });
    const failure = await failureOf(sipCaller.addNumbers!(config(), 'cmp-106', [{ e164: '+15555550108' }]));
    expect(failure).toMatchObject({ kind: 'server', status: 503, mayHaveReached: true, message: 'Injected failure' });
    expect(numbersOf('cmp-106')).toEqual([]);
  });

  it('marks a dropped POST as possibly applied, and a retry finds it', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, service: 'sipcaller', method: 'POST' });
    const failure = await failureOf(sipCaller.addNumber(config(), 'cmp-106', { e164: '+15555550109' }));
    expect(failure).toMatchObject({ kind: 'offline', mayHaveReached: true });
    expect(numbersOf('cmp-106')).toHaveLength(1);
    expect(await sipCaller.addNumber(config(), 'cmp-106', { e164: '+15555550109' })).toMatchObject({
      outcome: 'duplicate',
      remoteId: String(numbersOf('cmp-106')[0]!.id),
    });
  });

  it('makes a retried bulk upload add nothing twice', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, service: 'sipcaller', pathIncludes: '/upload' });
    const contacts = [{ e164: '+15555550110' }, { e164: '+15555550111' }];
    expect(await failureOf(sipCaller.addNumbers!(config(), 'cmp-106', contacts))).toMatchObject({
      kind: 'offline',
      mayHaveReached: true,
    });
    expect(await sipCaller.addNumbers!(config(), 'cmp-106', contacts)).toEqual({ added: 0, duplicates: 2 });
    expect(numbersOf('cmp-106')).toHaveLength(2);
  });

  it('marks a dropped read as offline without side effects', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-before', count: 1, service: 'sipcaller' });
    expect(await failureOf(sipCaller.listCampaigns(config()))).toMatchObject({
      kind: 'offline',
      mayHaveReached: false,
    });
  });

  it('rejects an HTML page where JSON was expected', async () => {
    control('malform', { mode: 'html', pathIncludes: '/campaigns' });
    expect(await failureOf(sipCaller.listCampaigns(config()))).toMatchObject({
      kind: 'bad-response',
      message: 'an HTML page instead of JSON',
    });
  });

  it('rejects an answer with the wrong types', async () => {
    control('malform', { mode: 'wrong-types', method: 'GET' });
    const failure = await failureOf(findCampaignNumbers(config(), 'cmp-101', '+18005551234'));
    expect(failure.kind).toBe('bad-response');
  });

  it('rejects a campaign without a name', async () => {
    const service = await localServer(() => ({
      body: JSON.stringify([{ id: 'c', type: 'Dynamic', status: 'Active' }]),
    }));
    const failure = await failureOf(sipCaller.listCampaigns(config({ baseUrl: service.url })));
    expect(failure).toMatchObject({ kind: 'bad-response' });
    expect(failure.message).toMatch(/^0\.name: /);
  });
});

describe('SIP Caller configuration', () => {
  const secrets = (apiKey: string): AllSecrets => ({
    upcall: { token: '' },
    sipcaller: { apiKey },
    callemall: { appKey: '', secretKey: '', authToken: '' },
    multisender: { token: '' },
    crm: { apiKey: '' },
  });

  it('names what is missing', () => {
    expect(sipCaller.resolveConfig(DEFAULT_SETTINGS, secrets(''))).toEqual({
      ok: false,
      missing: ['account ID', 'API key'],
    });
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      sipcaller: { ...DEFAULT_SETTINGS.sipcaller, accountId: 'acc-1' },
    };
    expect(sipCaller.resolveConfig(settings, secrets(''))).toEqual({ ok: false, missing: ['API key'] });
  });

  it('builds the config with the variable order from settings', () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      sipcaller: { baseUrl: 'https://api.sipcaller.com/v1', accountId: 'acc-1', varOrder: ['last_name'] },
    };
    expect(sipCaller.resolveConfig(settings, secrets('key'))).toEqual({
      ok: true,
      config: { baseUrl: 'https://api.sipcaller.com/v1', accountId: 'acc-1', apiKey: 'key', varOrder: ['last_name'] },
    });
  });
});

describe('SIP Caller wire formats', () => {
  it('reads Content-Range headers', () => {
    expect(parseContentRange('campaigns 0-99/240')).toEqual({ unit: 'campaigns', start: 0, end: 99, total: 240 });
    expect(parseContentRange('numbers */0')).toEqual({ unit: 'numbers', start: undefined, end: undefined, total: 0 });
    expect(parseContentRange('items 0-9/*')).toEqual({ unit: 'items', start: 0, end: 9, total: undefined });
    expect(parseContentRange('bytes=0-99')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
  });

  it('reads the error envelope', () => {
    expect(sipCallerErrorMessage({ statusCode: 400, error: 'Bad Request', message: ['a', 'b'] })).toBe('a; b');
    expect(sipCallerErrorMessage({ statusCode: 404, error: 'Not Found', message: 'gone' })).toBe('gone');
    expect(sipCallerErrorMessage({ statusCode: 500, error: 'Internal Server Error' })).toBe('Internal Server Error');
    expect(sipCallerErrorMessage({ message: 42 })).toBeUndefined();
  });
});

describe('SIP Caller simulator', () => {
  it('answers 401 in its envelope without a key', async () => {
    const response = await rawFetch('/campaigns', {}, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid or missing API key',
    });
  });

  it('refuses properties it does not know and lists every problem', async () => {
    const response = await rawFetch('/campaigns/cmp-101/numbers', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: '+18005550100', varValues: 'John' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: [
        'property phone should not exist',
        'number must be a phone number of 3 to 15 digits, e.g. +18005551234',
        'varValues must be an array of strings',
      ],
    });
  });

  it('refuses a filter that is not JSON or not documented', async () => {
    const notJson = await rawFetch(`/campaigns?filter=${encodeURIComponent('status=Active')}`);
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^filter must be JSON/);
    const unknown = await rawFetch(`/campaigns?filter=${encodeURIComponent('{"colour":"red"}')}`);
    expect(((await unknown.json()) as { message: string }).message).toBe('Unknown filter field colour');
  });

  it('refuses an upload whose rows do not match varCount, adding none of it', async () => {
    const form = new FormData();
    form.append('file', new Blob(['5550001,John,199\n5550002,Mary\n']), 'numbers.csv');
    const response = await rawFetch('/campaigns/cmp-101/numbers/upload?firstRowIsHeader=false&varCount=2', {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string[] }).message).toEqual([
      'row 2 has 2 values; expected 3 (a number and 2 variables)',
    ]);
    expect(numbersOf('cmp-101')).toHaveLength(3);
  });

  it("takes the reference's own CSV example, header row skipped when asked", async () => {
    const form = new FormData();
    form.append('file', new Blob(['number,name,amount\r\n5550001,John,199\r\n5550002,Mary,299\r\n']), 'numbers.csv');
    const response = await rawFetch('/campaigns/cmp-102/numbers/upload?firstRowIsHeader=true&varCount=2', {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    expect(numbersOf('cmp-102').slice(2)).toMatchObject([
      { number: '5550001', varValues: ['John', '199'] },
      { number: '5550002', varValues: ['Mary', '299'] },
    ]);
  });

  it('refuses an upload that is not multipart', async () => {
    const response = await rawFetch('/campaigns/cmp-101/numbers/upload?varCount=0', {
      method: 'POST',
      body: '5550001\n',
    });
    expect(response.status).toBe(415);
  });

  it('refuses a delete body that is not an array of IDs', async () => {
    const response = await rawFetch('/campaigns/cmp-101/numbers', {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: [7001] }),
    });
    expect(response.status).toBe(400);
    expect(numbersOf('cmp-101')).toHaveLength(3);
  });

  it('answers an empty range with a total and no rows', async () => {
    const response = await rawFetch(`/campaigns?range=${encodeURIComponent('[50,59]')}`);
    expect(response.headers.get('content-range')).toBe('campaigns */8');
    expect(await response.json()).toEqual([]);
  });

  it('goes back to the seeded state on reset', async () => {
    await sipCaller.addNumber(config(), 'cmp-106', { e164: '+15555550112' });
    control('set-max-range', { max: 1 });
    sandbox.current.reset();
    expect(numbersOf('cmp-106')).toEqual([]);
    expect(simState().maxRange).toBe(100);
  });
});
