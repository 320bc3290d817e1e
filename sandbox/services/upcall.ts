/**
 * Upcall simulator, built from shared/seeds/upcall-api.md: JSON:API resources under
 * /upcall/api/v1, `Authorization: Token token=…`, page[number]/page[size] paging with absolute
 * `links`, campaigns, campaign numbers, calls and credits. The reference has no error section;
 * errors use JSON:API error objects, the reading lib/providers/upcall.ts documents.
 */
import { STATUS_CODES } from 'node:http';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../credentials.ts';
import { createMalform } from '../malform.ts';
import { json, parseJson, type ServiceSimulator, type SimRequest, type SimResponse } from '../types.ts';

export interface UpcallSimCampaign {
  id: string;
  name: string;
  status: CampaignStatus;
  language: string;
  kind: string;
  always_open: boolean;
  from_number: string;
  instructions: string;
  pitch: string;
  start_date: string;
  end_date: string;
  created_at: string;
  updated_at: string;
}

export interface UpcallSimCall {
  id: string;
  campaignId: string;
  numberId: string;
  status: string;
  note: string;
  duration: number;
  cost: string;
  cost_currency: string;
  from: string;
  to: string;
  datetime_called: string;
  recording_urls: string[];
}

export interface UpcallSimQuestion {
  id: number;
  question: string;
  response_type: string;
  explanations: string;
  result: string;
  fields: string[];
  comment: string;
}

export interface UpcallSimNumber {
  id: string;
  campaignId: string;
  status: string;
  phone: string;
  extension: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  company: string | null;
  info: string | null;
  email: string | null;
  custom_fields: Record<string, unknown>;
  questions: UpcallSimQuestion[];
  created_at: string;
}

export interface UpcallSimState {
  campaigns: UpcallSimCampaign[];
  numbers: UpcallSimNumber[];
  calls: UpcallSimCall[];
  credits: { currency: string; pending_balance: number };
}

const CAMPAIGN_STATUSES = ['pending', 'ready', 'paused', 'completed'] as const;
type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
const NUMBER_STATUSES = ['untried', 'incompleted', 'dnc', 'failed', 'completed', 'voicemail'];
const CALL_STATUSES = [
  'completed',
  'completed_fu_call',
  'completed_fu_email',
  'completed_fu_inperson',
  'call_back_later',
  'busy',
  'no_answer',
  'voicemail',
  'hungup',
  'not_interested',
  'dnc',
  'no_service',
  'technical_issue',
  'wrong_number',
  'untried',
];

const DEFAULT_PAGE_SIZE = 5;
const MAX_PAGE_SIZE = 100;
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTENT_TYPE = 'application/vnd.api+json';
const NUMBER_TEXT_FIELDS = ['first_name', 'last_name', 'title', 'company', 'info', 'email'] as const;
// Timestamps of things created in the sandbox come from a counter, so runs are reproducible.
const CLOCK_START = Date.parse('2024-03-01T09:00:00.000Z');

/** A fresh Upcall simulator with the seeded account (12 campaigns, numbers, calls, 20 USD). */
export function createUpcallSimulator(): ServiceSimulator {
  let state = seed();
  let nextNumberId = 200;
  let nextCallId = 600;
  let tick = 0;
  const malform = createMalform({
    html: '<!doctype html><html><head><title>Upcall</title></head><body>Maintenance</body></html>',
    notJson: { contentType: CONTENT_TYPE, body: '{"data": [' },
    wrongTypes: (answer) => ok({ data: { id: 42, attributes: 'campaign' }, links: { next: 7 } }, answer.status),
    modes: ['html', 'wrong-types', 'not-json'],
    count: 'lenient',
  });

  const now = () => new Date(CLOCK_START + ++tick * 1000).toISOString();

  function route(req: SimRequest): SimResponse {
    if (!authorised(req)) {
      return error(401, 'Invalid or missing API token', { 'WWW-Authenticate': 'Token realm="Application"' });
    }
    const { method, path } = req;
    let m: RegExpExecArray | null;
    if (path === '/campaigns') {
      return method === 'GET' ? listCampaigns(req) : notAllowed(method);
    }
    if ((m = /^\/campaigns\/([^/]+)$/.exec(path))) {
      if (method !== 'GET') return notAllowed(method);
      const campaign = findCampaign(m[1]!);
      return campaign ? ok({ data: campaignResource(campaign) }) : notFound('Campaign');
    }
    if ((m = /^\/campaigns\/([^/]+)\/numbers$/.exec(path))) {
      const campaign = findCampaign(m[1]!);
      if (!campaign) return notFound('Campaign');
      if (method === 'GET') return listNumbers(req, campaign);
      if (method === 'POST') return addNumber(req, campaign);
      return notAllowed(method);
    }
    if ((m = /^\/campaigns\/([^/]+)\/numbers\/([^/]+)$/.exec(path))) {
      const campaign = findCampaign(m[1]!);
      if (!campaign) return notFound('Campaign');
      const numberId = m[2]!;
      const number = state.numbers.find((n) => n.id === numberId && n.campaignId === campaign.id);
      if (!number) return notFound('Number');
      if (method === 'GET') {
        // The reference's "Get a Specific Number" answers `data` as a one-element array.
        return ok({ data: [numberResource(number)] });
      }
      if (method === 'DELETE') {
        state.numbers = state.numbers.filter((n) => n !== number);
        return { status: 204 };
      }
      return notAllowed(method);
    }
    if (path === '/calls') return method === 'GET' ? listCalls(req) : notAllowed(method);
    if (path === '/credits') {
      if (method !== 'GET') return notAllowed(method);
      return ok({ data: { id: '1', type: 'credits', attributes: { ...state.credits } } });
    }
    return error(404, `No route for ${method} ${path}`);
  }

  function listCampaigns(req: SimRequest): SimResponse {
    const q = req.query;
    const status = q.get('status');
    if (status !== null && !(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
      return error(400, `status must be one of ${CAMPAIGN_STATUSES.join(', ')}`, undefined, { parameter: 'status' });
    }
    const name = q.get('name')?.toLowerCase();
    const matches = state.campaigns.filter(
      (c) =>
        (status === null || c.status === status) &&
        (!name || c.name.toLowerCase().includes(name)) &&
        (!q.get('language') || c.language === q.get('language')) &&
        (!q.get('from_number') || c.from_number === q.get('from_number')),
    );
    return paginate(req, matches, campaignResource);
  }

  function listNumbers(req: SimRequest, campaign: UpcallSimCampaign): SimResponse {
    const q = req.query;
    const status = q.get('status');
    if (status !== null && !NUMBER_STATUSES.includes(status)) {
      return error(400, `status must be one of ${NUMBER_STATUSES.join(', ')}`, undefined, { parameter: 'status' });
    }
    // "The `+` sign before the number should be omitted": matched literally against the digits,
    // so a client that sends "+1650…" unencoded (a space after decoding) finds nothing.
    const phone = q.get('phone');
    const textFilters = NUMBER_TEXT_FIELDS.map((field) => [field, q.get(field)?.toLowerCase()] as const);
    const matches = state.numbers.filter(
      (n) =>
        n.campaignId === campaign.id &&
        (status === null || n.status === status) &&
        (phone === null || n.phone.slice(1) === phone) &&
        (q.get('extension') === null || n.extension === q.get('extension')) &&
        textFilters.every(([field, value]) => !value || (n[field] ?? '').toLowerCase() === value),
    );
    return paginate(req, matches, numberResource);
  }

  function addNumber(req: SimRequest, campaign: UpcallSimCampaign): SimResponse {
    const body = parseJson(req);
    if (body === undefined) return error(422, 'The request body is not valid JSON', undefined, { pointer: '' });
    if (!isRecord(body) || !isRecord(body.data)) {
      return error(422, 'The request must contain a data object', undefined, { pointer: '/data' });
    }
    const { type, attributes } = body.data;
    // The reference shows both `campaign_numbers` (curl) and `numbers` (ruby); JSON:API answers
    // 409 Conflict to any other type.
    if (type !== 'campaign_numbers' && type !== 'numbers') {
      return error(409, 'data.type must be campaign_numbers', undefined, { pointer: '/data/type' });
    }
    if (!isRecord(attributes)) {
      return error(422, 'data.attributes must be an object', undefined, { pointer: '/data/attributes' });
    }
    const problems: { detail: string; field: string }[] = [];
    const phone = attributes.phone;
    if (phone === undefined || phone === null || phone === '') {
      problems.push({ field: 'phone', detail: "phone can't be blank" });
    } else if (typeof phone !== 'string' || !E164.test(phone)) {
      problems.push({ field: 'phone', detail: 'phone is not a valid E.164 number (e.g. +16507991144)' });
    }
    const extension = attributes.extension;
    if (
      extension !== undefined &&
      extension !== null &&
      (typeof extension !== 'string' || !/^\d{1,10}$/.test(extension))
    ) {
      problems.push({ field: 'extension', detail: 'extension must be up to 10 digits' });
    }
    for (const field of NUMBER_TEXT_FIELDS) {
      const value = attributes[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        problems.push({ field, detail: `${field} must be a string` });
      }
    }
    if (typeof attributes.email === 'string' && attributes.email !== '' && !EMAIL.test(attributes.email)) {
      problems.push({ field: 'email', detail: 'email is not a valid e-mail address' });
    }
    const customFields = attributes.custom_fields;
    if (customFields !== undefined && customFields !== null && !isRecord(customFields)) {
      problems.push({ field: 'custom_fields', detail: 'custom_fields must be an object' });
    }
    if (problems.length > 0) {
      return errors(
        422,
        problems.map((p) => ({ detail: p.detail, source: { pointer: `/data/attributes/${p.field}` } })),
      );
    }
    if (campaign.status === 'completed') {
      return error(422, 'Campaign is completed and does not accept new numbers', undefined, { pointer: '/data' });
    }
    const text = (field: (typeof NUMBER_TEXT_FIELDS)[number]): string | null => {
      const value = attributes[field];
      return typeof value === 'string' && value !== '' ? value : null;
    };
    const number: UpcallSimNumber = {
      id: String(nextNumberId++),
      campaignId: campaign.id,
      status: 'untried',
      phone: phone as string,
      extension: typeof extension === 'string' ? extension : null,
      first_name: text('first_name'),
      last_name: text('last_name'),
      title: text('title'),
      company: text('company'),
      info: text('info'),
      email: text('email'),
      custom_fields: isRecord(customFields) ? { ...customFields } : {},
      questions: [],
      created_at: now(),
    };
    state.numbers.push(number);
    return ok({ data: numberResource(number) }, 201);
  }

  function listCalls(req: SimRequest): SimResponse {
    const q = req.query;
    const status = q.get('status');
    if (status !== null && !CALL_STATUSES.includes(status)) {
      return error(400, 'status is not a call status', undefined, { parameter: 'status' });
    }
    const matches = state.calls.filter(
      (c) =>
        (status === null || c.status === status) &&
        (q.get('campaign_id') === null || c.campaignId === q.get('campaign_id')) &&
        (q.get('to_number_id') === null || c.numberId === q.get('to_number_id')),
    );
    return paginate(req, matches, callResource);
  }

  /** JSON:API paging with absolute links built from the base URL the client used. */
  function paginate<T>(req: SimRequest, items: T[], serialise: (item: T) => unknown): SimResponse {
    const size = pageParam(req.query.get('page[size]'), DEFAULT_PAGE_SIZE);
    const number = pageParam(req.query.get('page[number]'), 1);
    if (size === undefined || size > MAX_PAGE_SIZE) {
      return error(400, `page[size] must be an integer from 1 to ${MAX_PAGE_SIZE}`, undefined, {
        parameter: 'page[size]',
      });
    }
    if (number === undefined) {
      return error(400, 'page[number] must be a positive integer', undefined, { parameter: 'page[number]' });
    }
    const last = Math.max(1, Math.ceil(items.length / size));
    const link = (page: number) => {
      const params = new URLSearchParams(req.query);
      params.set('page[number]', String(page));
      params.set('page[size]', String(size));
      return `${req.baseUrl}${req.path}?${params.toString()}`;
    };
    const links: Record<string, string> = { self: link(number) };
    if (number < last) links.next = link(number + 1);
    links.last = link(last);
    const slice = items.slice((number - 1) * size, number * size);
    return ok({ data: slice.map(serialise), links });
  }

  function numberResource(n: UpcallSimNumber) {
    const calls = state.calls
      .filter((c) => c.numberId === n.id)
      .map((c) => ({
        id: Number(c.id),
        status: c.status,
        note: c.note,
        duration: c.duration,
        cost: c.cost,
        cost_currency: c.cost_currency,
        datetime_called: c.datetime_called,
        recording_urls: [...c.recording_urls],
        caller: { id: 511, name: 'Maria Lopez', profile_url: 'http://www.upcall.com/en/callers/511' },
      }));
    return {
      id: n.id,
      type: 'campaign_numbers',
      attributes: {
        status: n.status,
        first_name: n.first_name,
        last_name: n.last_name,
        title: n.title,
        company: n.company,
        info: n.info,
        email: n.email,
        phone: n.phone,
        extension: n.extension,
        custom_fields: { ...n.custom_fields },
        calls,
        questions: n.questions.map((q) => ({ ...q, fields: [...q.fields] })),
      },
    };
  }

  function findCampaign(id: string): UpcallSimCampaign | undefined {
    return state.campaigns.find((c) => c.id === id);
  }

  function control(action: string, body: unknown): SimResponse {
    const input = isRecord(body) ? body : {};
    switch (action) {
      case 'mark-dnc': {
        const campaign = typeof input.campaignId === 'string' ? findCampaign(input.campaignId) : undefined;
        const phone = input.phone;
        if (!campaign || typeof phone !== 'string' || !E164.test(phone)) {
          return json(400, {
            error: 'mark-dnc takes {campaignId, phone} with an existing campaign and an E.164 phone',
          });
        }
        let marked = state.numbers.filter((n) => n.campaignId === campaign.id && n.phone === phone);
        if (marked.length === 0) {
          const number: UpcallSimNumber = {
            ...blankNumber(),
            id: String(nextNumberId++),
            campaignId: campaign.id,
            phone,
            created_at: now(),
          };
          state.numbers.push(number);
          marked = [number];
        }
        for (const n of marked) n.status = 'dnc';
        return json(200, { data: marked.map(numberResource) });
      }
      case 'set-campaign-status': {
        const campaign = typeof input.campaignId === 'string' ? findCampaign(input.campaignId) : undefined;
        const status = input.status;
        if (!campaign || typeof status !== 'string' || !(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
          return json(400, { error: `set-campaign-status takes {campaignId, status: ${CAMPAIGN_STATUSES.join('|')}}` });
        }
        campaign.status = status as CampaignStatus;
        campaign.updated_at = now();
        return json(200, { data: campaignResource(campaign) });
      }
      case 'set-balance': {
        if (typeof input.amount !== 'number' || !Number.isFinite(input.amount)) {
          return json(400, { error: 'set-balance takes {amount: number, currency?: string}' });
        }
        state.credits = {
          currency: typeof input.currency === 'string' ? input.currency : state.credits.currency,
          pending_balance: input.amount,
        };
        return json(200, { data: { ...state.credits } });
      }
      case 'record-call': {
        const number = state.numbers.find((n) => n.id === input.numberId);
        const status = input.status;
        if (!number || typeof status !== 'string' || !CALL_STATUSES.includes(status)) {
          return json(400, {
            error: 'record-call takes {numberId, status, duration?, note?} with a known number and call status',
          });
        }
        const call: UpcallSimCall = {
          id: String(nextCallId++),
          campaignId: number.campaignId,
          numberId: number.id,
          status,
          note: typeof input.note === 'string' ? input.note : '',
          duration: typeof input.duration === 'number' ? input.duration : 0,
          cost: '0.0',
          cost_currency: 'USD',
          from: findCampaign(number.campaignId)?.from_number ?? '+12024561111',
          to: number.phone,
          datetime_called: now(),
          recording_urls: [],
        };
        state.calls.push(call);
        number.status = numberStatusAfterCall(status);
        return json(200, { data: callResource(call) });
      }
      case 'malform':
        return malform.control(body);
      default:
        return json(404, {
          error: `unknown action ${action}; try mark-dnc, set-campaign-status, set-balance, record-call, malform`,
        });
    }
  }

  return {
    id: 'upcall',
    prefix: SERVICE_PREFIXES.upcall,
    reset() {
      state = seed();
      nextNumberId = 200;
      nextCallId = 600;
      tick = 0;
      malform.reset();
    },
    handle(req) {
      return malform.apply(req, route(req));
    },
    errorResponse(status, message) {
      return error(status, message);
    },
    state(): UpcallSimState {
      return structuredClone(state);
    },
    control,
  };
}

function authorised(req: SimRequest): boolean {
  // Rails' token authentication: `Token token=abc` or `Token token="abc"`.
  const match = /^Token token="?([^"]+)"?$/.exec(req.headers.authorization ?? '');
  return match?.[1] === SANDBOX_CREDENTIALS.upcall.token;
}

function ok(body: unknown, status = 200): SimResponse {
  return { status, headers: { 'Content-Type': CONTENT_TYPE }, body };
}

interface ErrorObject {
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

function errors(status: number, list: ErrorObject[], headers?: Record<string, string>): SimResponse {
  const title = STATUS_CODES[status] ?? 'Error';
  return {
    status,
    headers: { 'Content-Type': CONTENT_TYPE, ...headers },
    body: { errors: list.map((e) => ({ status: String(status), title, ...e })) },
  };
}

function error(
  status: number,
  detail: string,
  headers?: Record<string, string>,
  source?: ErrorObject['source'],
): SimResponse {
  return errors(status, [source ? { detail, source } : { detail }], headers);
}

function notFound(what: string): SimResponse {
  return error(404, `${what} not found`);
}

function notAllowed(method: string): SimResponse {
  return error(405, `${method} is not allowed here`);
}

function pageParam(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberStatusAfterCall(callStatus: string): string {
  if (callStatus === 'dnc') return 'dnc';
  if (callStatus === 'voicemail') return 'voicemail';
  if (callStatus.startsWith('completed') || callStatus === 'not_interested') return 'completed';
  if (['no_service', 'wrong_number', 'technical_issue'].includes(callStatus)) return 'failed';
  return 'incompleted';
}

function campaignResource(c: UpcallSimCampaign) {
  const { id, ...attributes } = c;
  return { id, type: 'campaigns', attributes: { ...attributes, questions: [] } };
}

function callResource(c: UpcallSimCall) {
  return {
    id: c.id,
    type: 'call',
    attributes: {
      note: c.note,
      status: c.status,
      duration: c.duration,
      cost: c.cost,
      campaign_number_id: Number(c.numberId),
      from: c.from,
      to: c.to,
      transcript: null,
      datetime_called: c.datetime_called,
      cost_currency: c.cost_currency,
      recording_urls: [...c.recording_urls],
      caller: { id: 100, name: 'Billy Caller', profile_url: 'https://api.upcall.com/callers/100' },
    },
  };
}

function blankNumber(): Omit<UpcallSimNumber, 'id' | 'campaignId' | 'phone' | 'created_at'> {
  return {
    status: 'untried',
    extension: null,
    first_name: null,
    last_name: null,
    title: null,
    company: null,
    info: null,
    email: null,
    custom_fields: {},
    questions: [],
  };
}

function seed(): UpcallSimState {
  // 12 campaigns so the default page size of 5 gives three pages; 7 are ready or pending.
  const rows: [string, CampaignStatus, string][] = [
    ['Spring renewals', 'ready', 'lead_gen'],
    ['Webinar follow-up', 'pending', 'feedback'],
    ['Churn win-back', 'paused', 'lead_gen'],
    ['Q3 satisfaction survey', 'completed', 'market_research'],
    ['Trial conversions', 'ready', 'inform_product'],
    ['Event confirmations', 'pending', 'confirm_attendance'],
    ['Enterprise leads', 'ready', 'lead_gen'],
    ['Holiday promo', 'completed', 'inform_product'],
    ['Appointment reminders', 'ready', 'appt_setting'],
    ['Market research panel', 'paused', 'market_research'],
    ['Partner outreach', 'pending', 'inquire_biz'],
    ['Support callbacks', 'paused', 'customer_support'],
  ];
  const campaigns = rows.map(([name, status, kind], i): UpcallSimCampaign => {
    const day = String(i + 1).padStart(2, '0');
    return {
      id: String(1001 + i),
      name,
      status,
      language: 'en',
      kind,
      always_open: true,
      from_number: '+12024561111',
      instructions: 'Call people and ask about product satisfaction',
      pitch:
        'Hi [[prospect_name]], My name is [[caller_name]] and I am calling on behalf of [[company]]. How are you today?',
      start_date: `2024-02-${day}`,
      end_date: `2024-12-${day}`,
      created_at: `2024-01-${day}T10:49:18.000Z`,
      updated_at: `2024-01-${day}T10:49:18.000Z`,
    };
  });
  const person = (
    id: string,
    campaignId: string,
    status: string,
    phone: string,
    details: Partial<UpcallSimNumber>,
  ): UpcallSimNumber => ({
    ...blankNumber(),
    id,
    campaignId,
    status,
    phone,
    created_at: '2024-02-15T08:00:00.000Z',
    ...details,
  });
  const numbers: UpcallSimNumber[] = [
    person('102', '1001', 'completed', '+16507991144', {
      first_name: 'Joey',
      last_name: 'Smith',
      title: 'Manager',
      company: 'Safeway',
      email: 'joey@safeway.com',
      questions: [
        {
          id: 28,
          response_type: 'multiple_radio',
          question: 'What is your favorite color?',
          explanations: '',
          result: '0',
          fields: ['blue'],
          comment: 'Turquoise to be precise',
        },
      ],
    }),
    person('103', '1001', 'untried', '+16507991145', {
      first_name: 'Janie',
      last_name: 'Smith',
      title: 'Director',
      company: 'Safeway',
      email: 'janie@safeway.com',
    }),
    person('104', '1001', 'dnc', '+16505550123', {
      first_name: 'Dana',
      last_name: 'Whitfield',
      company: 'Orchard Supply',
    }),
    person('105', '1001', 'untried', '+16505550188', { extension: '204', first_name: 'Front', last_name: 'Desk' }),
    person('106', '1005', 'voicemail', '+14155550142', {
      first_name: 'Priya',
      last_name: 'Raman',
      company: 'Northwind',
    }),
  ];
  const call = (id: string, numberId: string, status: string, note: string, at: string): UpcallSimCall => {
    const number = numbers.find((n) => n.id === numberId)!;
    return {
      id,
      campaignId: number.campaignId,
      numberId,
      status,
      note,
      duration: status === 'completed' ? 67 : 12,
      cost: status === 'completed' ? '0.58' : '0.1',
      cost_currency: 'USD',
      from: '+12024561111',
      to: number.phone,
      datetime_called: at,
      recording_urls: status === 'completed' ? ['https://recordings.upcall.com/ajn383fb2u.mp3'] : [],
    };
  };
  const calls = [
    call('505', '102', 'busy', 'Line busy', '2024-02-20T10:15:00.000Z'),
    call('506', '102', 'completed', 'Great conversation!', '2024-02-21T11:20:53.000Z'),
    call('507', '106', 'voicemail', 'Left a message', '2024-02-21T12:02:10.000Z'),
  ];
  return { campaigns, numbers, calls, credits: { currency: 'USD', pending_balance: 20 } };
}
