import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isServiceError, type Failure } from '../../../lib/errors.ts';
import {
  addCampaignNumber,
  findCampaignNumbers,
  getCampaignNumber,
  getCreditBalance,
  listAllCampaigns,
  listCampaignCalls,
  upcall,
  upcallErrorMessage,
  type UpcallConfig,
} from '../../../lib/providers/upcall.ts';
import type { AllSecrets } from '../../../lib/services.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../lib/settings.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { createUpcallSimulator, type UpcallSimState } from '../../../sandbox/services/upcall.ts';
import { useSandbox } from '../../support/sandbox.ts';

const simulator = createUpcallSimulator();
const sandbox = useSandbox({ simulators: [simulator] });

function config(overrides: Partial<UpcallConfig> = {}): UpcallConfig {
  return {
    baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.upcall}`,
    token: SANDBOX_CREDENTIALS.upcall.token,
    ...overrides,
  };
}

function simState(): UpcallSimState {
  return simulator.state() as UpcallSimState;
}

function requests(method?: string) {
  return sandbox.current.requests.filter((r) => r.service === 'upcall' && (!method || r.method === method));
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

function control(action: string, body: unknown) {
  const answer = simulator.control!(action, body);
  expect(answer.status).toBe(200);
  return answer;
}

function rawFetch(path: string, init: RequestInit = {}, token: string | null = SANDBOX_CREDENTIALS.upcall.token) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('Authorization', `Token token=${token}`);
  return fetch(`${sandbox.current.url}${SERVICE_PREFIXES.upcall}${path}`, { ...init, headers });
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A tiny local server answering every request with `answer(url)`, counting requests. */
async function localServer(answer: (url: string) => { status?: number; type?: string; body: string }) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const { status = 200, type = 'application/json', body } = answer(req.url ?? '');
    res.writeHead(status, { 'Content-Type': type, Connection: 'close' });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('Upcall campaigns', () => {
  it('follows links.next to the last page and offers only ready and pending campaigns', async () => {
    const campaigns = await upcall.listCampaigns(config());

    expect(campaigns.map((c) => [c.id, c.status])).toEqual([
      ['1001', 'ready'],
      ['1002', 'pending'],
      ['1005', 'ready'],
      ['1006', 'pending'],
      ['1007', 'ready'],
      ['1009', 'ready'],
      ['1011', 'pending'],
    ]);
    expect(campaigns[0]).toEqual({ service: 'upcall', id: '1001', name: 'Spring renewals', status: 'ready' });
    // 12 campaigns, 5 a page: three requests, the later ones from the service's own links.
    const gets = requests('GET');
    expect(gets.map((r) => r.query['page[number]'])).toEqual([undefined, '2', '3']);
    expect(gets.every((r) => r.path === '/campaigns')).toBe(true);
    expect(gets[0]!.headers.authorization).toBe(`Token token=${SANDBOX_CREDENTIALS.upcall.token}`);
  });

  it('lists every campaign with its status, paused and completed included', async () => {
    const all = await listAllCampaigns(config());
    expect(all).toHaveLength(12);
    expect(new Set(all.map((c) => c.status))).toEqual(new Set(['ready', 'pending', 'paused', 'completed']));
  });

  it('shows a campaign whose status changed on the next listing', async () => {
    control('set-campaign-status', { campaignId: '1003', status: 'ready' });
    control('set-campaign-status', { campaignId: '1001', status: 'completed' });
    const ids = (await upcall.listCampaigns(config())).map((c) => c.id);
    expect(ids).toContain('1003');
    expect(ids).not.toContain('1001');
  });

  it('refuses a page link to another origin and never sends the token there', async () => {
    const elsewhere = await localServer(() => ({ body: '{"data":[]}' }));
    const service = await localServer(() => ({
      body: JSON.stringify({
        data: [{ id: '1', type: 'campaigns', attributes: { name: 'A', status: 'ready' } }],
        links: { next: `${elsewhere.url}/campaigns?page%5Bnumber%5D=2` },
      }),
    }));
    const failure = await failureOf(upcall.listCampaigns(config({ baseUrl: `${service.url}/api/v1` })));
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toContain('another site');
    expect(elsewhere.seen).toEqual([]);
  });

  it('stops when the links loop back to a page already read', async () => {
    const service = await localServer((url) => ({
      body: JSON.stringify({ data: [], links: { self: url, next: '/api/v1/campaigns?page%5Bnumber%5D=1' } }),
    }));
    const failure = await failureOf(upcall.listCampaigns(config({ baseUrl: `${service.url}/api/v1` })));
    expect(failure).toMatchObject({ kind: 'bad-response', message: 'the pages never end' });
    expect(service.seen).toHaveLength(2);
  });
});

describe('Upcall add a number', () => {
  it('checks for the number, then posts the documented JSON:API body', async () => {
    const outcome = await upcall.addNumber(config(), '1005', {
      e164: '+16505550177',
      extension: '42',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      email: 'ada@example.com',
    });

    expect(outcome).toEqual({ outcome: 'added', remoteId: '200' });
    const [check, post] = requests();
    expect(check).toMatchObject({ method: 'GET', path: '/campaigns/1005/numbers', query: { phone: '16505550177' } });
    expect(post).toMatchObject({ method: 'POST', path: '/campaigns/1005/numbers', status: 201 });
    expect(post!.headers['content-type']).toBe('application/json');
    expect(post!.body).toEqual({
      data: {
        type: 'campaign_numbers',
        attributes: {
          phone: '+16505550177',
          first_name: 'Ada',
          last_name: 'Lovelace',
          company: 'Analytical Engines',
          email: 'ada@example.com',
          extension: '42',
        },
      },
    });
    expect(simState().numbers.find((n) => n.id === '200')).toMatchObject({
      campaignId: '1005',
      phone: '+16505550177',
      extension: '42',
      first_name: 'Ada',
    });
  });

  it('sends only the attributes it has', async () => {
    await upcall.addNumber(config(), '1001', { e164: '+16505550178', firstName: '  ', company: 'Acme' });
    expect(requests('POST')[0]!.body).toEqual({
      data: { type: 'campaign_numbers', attributes: { phone: '+16505550178', company: 'Acme' } },
    });
  });

  it('reports a number already in the campaign as a duplicate and posts nothing', async () => {
    const outcome = await upcall.addNumber(config(), '1001', { e164: '+16507991145', firstName: 'Janie' });
    expect(outcome).toEqual({ outcome: 'duplicate', remoteId: '103', status: 'untried' });
    expect(requests('POST')).toEqual([]);
  });

  it('finds what it added itself when asked again', async () => {
    const first = await upcall.addNumber(config(), '1002', { e164: '+442071838750' });
    const second = await upcall.addNumber(config(), '1002', { e164: '+442071838750' });
    expect(first.outcome).toBe('added');
    expect(second).toEqual({
      outcome: 'duplicate',
      remoteId: first.outcome === 'added' ? first.remoteId : '',
      status: 'untried',
    });
    expect(requests('POST')).toHaveLength(1);
    expect(simState().numbers.filter((n) => n.phone === '+442071838750')).toHaveLength(1);
  });

  it('treats the same switchboard number with another extension as a different person', async () => {
    expect(await upcall.addNumber(config(), '1001', { e164: '+16505550188', extension: '204' })).toMatchObject({
      outcome: 'duplicate',
      remoteId: '105',
    });
    expect(await upcall.addNumber(config(), '1001', { e164: '+16505550188', extension: '310' })).toMatchObject({
      outcome: 'added',
    });
    expect(await upcall.addNumber(config(), '1001', { e164: '+16505550188' })).toMatchObject({ outcome: 'added' });
    expect(requests('POST')).toHaveLength(2);
  });

  it('never re-adds a number Upcall marks dnc', async () => {
    const outcome = await upcall.addNumber(config(), '1001', { e164: '+16505550123', firstName: 'Dana' });
    expect(outcome.outcome).toBe('do-not-call');
    expect(outcome.outcome === 'do-not-call' && outcome.detail).toContain('+16505550123');
    expect(requests('POST')).toEqual([]);
  });

  it('sees a do-not-call mark made after the number was added', async () => {
    const added = await upcall.addNumber(config(), '1007', { e164: '+12125550199' });
    expect(added.outcome).toBe('added');
    control('mark-dnc', { campaignId: '1007', phone: '+12125550199' });
    // dnc wins even where the extension differs: it is about the line.
    const again = await upcall.addNumber(config(), '1007', { e164: '+12125550199', extension: '7' });
    expect(again.outcome).toBe('do-not-call');
    expect(requests('POST')).toHaveLength(1);
  });

  it('refuses a number that is not E.164 without asking the service', async () => {
    const failure = await failureOf(upcall.addNumber(config(), '1001', { e164: '6505550100' }));
    expect(failure).toMatchObject({ kind: 'invalid', service: 'Upcall' });
    expect(requests()).toEqual([]);
  });

  it('ignores entries for other numbers if the service disregards the phone filter', async () => {
    const service = await localServer((url) => {
      if (url.includes('/numbers') && url.includes('phone=')) {
        return {
          body: JSON.stringify({
            data: [{ id: '9', type: 'campaign_numbers', attributes: { status: 'dnc', phone: '+16505550999' } }],
          }),
        };
      }
      return {
        status: 201,
        body: JSON.stringify({ data: { id: '10', attributes: { status: 'untried', phone: '+16505550100' } } }),
      };
    });
    const outcome = await upcall.addNumber(config({ baseUrl: service.url }), '1', { e164: '+16505550100' });
    expect(outcome).toEqual({ outcome: 'added', remoteId: '10' });
  });
});

describe('Upcall results and balance', () => {
  it('reads a campaign number with its calls and answers', async () => {
    const number = await getCampaignNumber(config(), '1001', '102');
    expect(number).toMatchObject({ id: '102', status: 'completed', phone: '+16507991144', firstName: 'Joey' });
    expect(number.calls.map((c) => [c.id, c.status])).toEqual([
      ['505', 'busy'],
      ['506', 'completed'],
    ]);
    expect(number.calls[1]).toMatchObject({ note: 'Great conversation!', durationSeconds: 67, costCurrency: 'USD' });
    expect(number.questions[0]).toMatchObject({ question: 'What is your favorite color?', fields: ['blue'] });
  });

  it('accepts a single number answered as a JSON:API object too', async () => {
    const service = await localServer(() => ({
      body: JSON.stringify({
        data: { id: '7', type: 'campaign_numbers', attributes: { status: 'untried', phone: '+1650' } },
      }),
    }));
    const number = await getCampaignNumber(config({ baseUrl: service.url }), '1', '7');
    expect(number).toMatchObject({ id: '7', status: 'untried', calls: [], questions: [] });
  });

  it('lists the calls of one campaign and sees a new one', async () => {
    const added = await upcall.addNumber(config(), '1001', { e164: '+16505550142' });
    const numberId = added.outcome === 'added' ? added.remoteId : undefined;
    control('record-call', { numberId, status: 'voicemail', duration: 21 });

    const calls = await listCampaignCalls(config(), '1001');
    expect(calls.map((c) => c.id)).toEqual(['505', '506', '600']);
    expect(calls[2]).toMatchObject({
      status: 'voicemail',
      campaignNumberId: numberId,
      to: '+16505550142',
      durationSeconds: 21,
    });
    expect(requests('GET').at(-1)!.query).toMatchObject({ campaign_id: '1001' });
    expect((await getCampaignNumber(config(), '1001', numberId!)).status).toBe('voicemail');
  });

  it('finds every entry for a number', async () => {
    const entries = await findCampaignNumbers(config(), '1001', '+16507991144');
    expect(entries.map((e) => e.id)).toEqual(['102']);
    expect(await findCampaignNumbers(config(), '1001', '+19995550000')).toEqual([]);
  });

  it('reads the balance and says so in the connection test', async () => {
    expect(await getCreditBalance(config())).toEqual({ amount: 20, currency: 'USD' });
    expect(await upcall.testConnection(config())).toBe('Connected: 7 ready or pending campaigns, balance 20 USD');
    control('set-balance', { amount: 12.5, currency: 'EUR' });
    expect(await upcall.testConnection(config())).toBe('Connected: 7 ready or pending campaigns, balance 12.50 EUR');
  });
});

describe('Upcall failures', () => {
  it('turns a wrong token into an auth failure', async () => {
    const failure = await failureOf(upcall.testConnection(config({ token: 'not-the-token' })));
    expect(failure).toMatchObject({
      kind: 'auth',
      status: 401,
      service: 'Upcall',
      message: 'Invalid or missing API token',
    });
  });

  it("passes on the service's validation message", async () => {
    const failure = await failureOf(addCampaignNumber(config(), '1001', { phone: '+0123' }));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 422,
      message: 'phone is not a valid E.164 number (e.g. +16507991144)',
    });
  });

  it('reports a campaign that no longer takes numbers', async () => {
    const failure = await failureOf(upcall.addNumber(config(), '1004', { e164: '+16505550111' }));
    expect(failure).toMatchObject({
      kind: 'invalid',
      status: 422,
      message: 'Campaign is completed and does not accept new numbers',
    });
  });

  it('reports an unknown campaign as not found', async () => {
    const failure = await failureOf(upcall.addNumber(config(), '4040', { e164: '+16505550111' }));
    expect(failure).toMatchObject({ kind: 'not-found', status: 404, message: 'Campaign not found' });
  });

  it('reads Retry-After on a 429', async () => {
    sandbox.current.faults.addRule({ mode: 'rate-limit', count: 1, service: 'upcall', retryAfter: 7 });
    const failure = await failureOf(upcall.listCampaigns(config()));
    expect(failure).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 7000,
      message: 'Too many requests',
    });
  });

  it('classifies a 503 as a server failure that may have reached the service', async () => {
    sandbox.current.faults.addRule({ mode: 'status', status: 503, count: 1, service: 'upcall', method: 'POST' });
    const failure = await failureOf(upcall.addNumber(config(), '1001', { e164: '+16505550112' }));
    expect(failure).toMatchObject({ kind: 'server', status: 503, mayHaveReached: true, retryAfterMs: 1000 });
    expect(simState().numbers.some((n) => n.phone === '+16505550112')).toBe(false);
  });

  it('marks a dropped POST as possibly applied, and a retry finds it', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-after', count: 1, service: 'upcall', method: 'POST' });
    const failure = await failureOf(upcall.addNumber(config(), '1001', { e164: '+16505550113' }));
    expect(failure).toMatchObject({ kind: 'offline', mayHaveReached: true });

    const committed = simState().numbers.filter((n) => n.phone === '+16505550113');
    expect(committed).toHaveLength(1);
    expect(await upcall.addNumber(config(), '1001', { e164: '+16505550113' })).toEqual({
      outcome: 'duplicate',
      remoteId: committed[0]!.id,
      status: 'untried',
    });
  });

  it('marks a dropped read as offline without side effects', async () => {
    sandbox.current.faults.addRule({ mode: 'drop-before', count: 1, service: 'upcall', method: 'GET' });
    const failure = await failureOf(upcall.listCampaigns(config()));
    expect(failure).toMatchObject({ kind: 'offline', mayHaveReached: false });
  });

  it('rejects an HTML page where JSON was expected', async () => {
    control('malform', { mode: 'html', pathIncludes: '/credits' });
    const failure = await failureOf(getCreditBalance(config()));
    expect(failure).toMatchObject({ kind: 'bad-response', status: 200, message: 'an HTML page instead of JSON' });
  });

  it('rejects an answer with the wrong types', async () => {
    control('malform', { mode: 'wrong-types', pathIncludes: '/campaigns' });
    const failure = await failureOf(upcall.listCampaigns(config()));
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toMatch(/^data: /);
  });

  it('rejects a balance given as words', async () => {
    const service = await localServer(() => ({
      body: JSON.stringify({ data: { attributes: { currency: 'USD', pending_balance: 'twenty' } } }),
    }));
    const failure = await failureOf(getCreditBalance(config({ baseUrl: service.url })));
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toContain('pending_balance');
  });
});

describe('Upcall configuration', () => {
  const secrets = (token: string): AllSecrets => ({
    upcall: { token },
    sipcaller: { apiKey: '' },
    callemall: { appKey: '', secretKey: '', authToken: '' },
    multisender: { token: '' },
    crm: { apiKey: '' },
  });

  it('names the missing token', () => {
    expect(upcall.resolveConfig(DEFAULT_SETTINGS, secrets(''))).toEqual({ ok: false, missing: ['API token'] });
  });

  it('names a cleared base URL', () => {
    const settings: Settings = { ...DEFAULT_SETTINGS, upcall: { baseUrl: '' } };
    expect(upcall.resolveConfig(settings, secrets(''))).toEqual({ ok: false, missing: ['base URL', 'API token'] });
  });

  it('builds the config from settings and the token', () => {
    expect(upcall.resolveConfig(DEFAULT_SETTINGS, secrets('tok'))).toEqual({
      ok: true,
      config: { baseUrl: 'https://api.upcall.com/api/v1', token: 'tok' },
    });
    expect(upcall.baseUrl(config())).toBe(`${sandbox.current.url}/upcall/api/v1`);
  });
});

describe('Upcall error envelope', () => {
  it('joins the detail of each JSON:API error, falling back to the title', () => {
    expect(
      upcallErrorMessage({
        errors: [
          { status: '422', title: 'Unprocessable Entity', detail: "phone can't be blank" },
          { status: '422', title: 'Unprocessable Entity', detail: 'email is not a valid e-mail address' },
          { status: '422', title: 'Unprocessable Entity' },
        ],
      }),
    ).toBe("phone can't be blank; email is not a valid e-mail address; Unprocessable Entity");
    expect(upcallErrorMessage({ error: 'Not authorized' })).toBe('Not authorized');
    expect(upcallErrorMessage({ errors: 'nope' })).toBeUndefined();
    expect(upcallErrorMessage('<html>')).toBeUndefined();
  });
});

describe('Upcall simulator', () => {
  it('answers 401 in its envelope without a token', async () => {
    const response = await rawFetch('/campaigns', {}, null);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Token realm="Application"');
    expect(await response.json()).toEqual({
      errors: [{ status: '401', title: 'Unauthorized', detail: 'Invalid or missing API token' }],
    });
  });

  it('accepts the quoted token form', async () => {
    const response = await rawFetch(
      '/credits',
      { headers: { Authorization: `Token token="${SANDBOX_CREDENTIALS.upcall.token}"` } },
      null,
    );
    expect(response.status).toBe(200);
  });

  it('answers 422 to a body that is not JSON', async () => {
    const response = await rawFetch('/campaigns/1001/numbers', { method: 'POST', body: '{"data" => {}}' });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { errors: { detail: string }[] }).errors[0]!.detail).toBe(
      'The request body is not valid JSON',
    );
  });

  it('lists every problem of an add, each pointing at its attribute', async () => {
    const response = await rawFetch('/campaigns/1001/numbers', {
      method: 'POST',
      body: JSON.stringify({ data: { type: 'campaign_numbers', attributes: { email: 'nope', custom_fields: ['x'] } } }),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { detail: string; source: { pointer: string } }[] };
    expect(body.errors.map((e) => [e.source.pointer, e.detail])).toEqual([
      ['/data/attributes/phone', "phone can't be blank"],
      ['/data/attributes/email', 'email is not a valid e-mail address'],
      ['/data/attributes/custom_fields', 'custom_fields must be an object'],
    ]);
    expect(simState().numbers).toHaveLength(5);
  });

  it('answers 409 to a resource of the wrong type', async () => {
    const response = await rawFetch('/campaigns/1001/numbers', {
      method: 'POST',
      body: JSON.stringify({ data: { type: 'contacts', attributes: { phone: '+16505550100' } } }),
    });
    expect(response.status).toBe(409);
  });

  it('builds absolute page links from the URL the client used', async () => {
    const response = await rawFetch('/campaigns?status=ready&page%5Bsize%5D=3');
    const body = (await response.json()) as { data: unknown[]; links: Record<string, string> };
    const base = `${sandbox.current.url}${SERVICE_PREFIXES.upcall}/campaigns?status=ready`;
    expect(body.data).toHaveLength(3);
    expect(body.links).toEqual({
      self: `${base}&page%5Bsize%5D=3&page%5Bnumber%5D=1`,
      next: `${base}&page%5Bsize%5D=3&page%5Bnumber%5D=2`,
      last: `${base}&page%5Bsize%5D=3&page%5Bnumber%5D=2`,
    });
    const last = (await (
      await rawFetch(
        new URL(body.links.last!).pathname.replace(SERVICE_PREFIXES.upcall, '') + new URL(body.links.last!).search,
      )
    ).json()) as {
      data: unknown[];
      links: Record<string, string>;
    };
    expect(last.data).toHaveLength(1);
    expect(last.links.next).toBeUndefined();
  });

  it('rejects a page size it does not serve', async () => {
    const response = await rawFetch('/campaigns?page%5Bsize%5D=0');
    expect(response.status).toBe(400);
  });

  it('filters numbers by phone without the plus sign only', async () => {
    const withoutPlus = (await (await rawFetch('/campaigns/1001/numbers?phone=16507991144')).json()) as {
      data: unknown[];
    };
    const withPlus = (await (await rawFetch('/campaigns/1001/numbers?phone=+16507991144')).json()) as {
      data: unknown[];
    };
    expect(withoutPlus.data).toHaveLength(1);
    expect(withPlus.data).toHaveLength(0);
  });

  it('goes back to the seeded state on reset', async () => {
    await upcall.addNumber(config(), '1001', { e164: '+16505550114' });
    sandbox.current.reset();
    expect(simState().numbers.map((n) => n.id)).toEqual(['102', '103', '104', '105', '106']);
  });
});
