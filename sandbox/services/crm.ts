/**
 * Simulator of the CRM calls resource (OnePageCRM API v3, ../shared/seeds/crm-calls-api.md;
 * our reading in ../shared/api/NOTES.md "CRM calls resource"). Calls live in memory; ids
 * come from a counter and times from a clock tests may set, so a run is deterministic.
 *
 * Where the reference is silent we chose, and the client must not depend on more than this:
 * - without `partial=1` a create or update must carry every writable field (the reference's
 *   "Create a call with unprovided fields filled with default values" implies the plain form
 *   does not fill them); missing ones answer 400 with one entry per field in `errors`;
 * - unknown or malformed contact and call ids answer 404 in the envelope;
 * - `since`/`until` take unix seconds (NOTES) or an ISO date (the reference's sample,
 *   `since=2014-11-18`), both inclusive; `date_filter` takes `created_at` (NOTES), `created` (the
 *   sample), `modified_at` or `date`; without it they filter on `modified_at` (Listing Fields);
 * - lists are oldest first, `per_page` defaults to 10 (the sample) and is capped at 100 (NOTES).
 */
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../credentials.ts';
import { contactId as demoContactId } from '../demo/data.ts';
import { json, type ServiceSimulator, type SimRequest, type SimResponse } from '../types.ts';

export const CRM_CALL_RESULTS = ['conversation', 'no_answer', 'left_message'] as const;
const WRITABLE_FIELDS = ['call_result', 'text', 'date', 'phone_number', 'called_via', 'recording_link'] as const;
type WritableField = (typeof WRITABLE_FIELDS)[number];

/** Demo contacts 0..DEMO_CONTACTS-1 (sandbox/demo/data.ts `contactId`) exist on this CRM. */
export const DEMO_CONTACTS = 20_000;
const AUTHOR = 'peter a.';
const DEFAULT_PER_PAGE = 10;
const MAX_PER_PAGE = 100;
const BSON_ID = /^[0-9a-f]{24}$/;

/** One call as stored; the API answers all but `created_at` (the reference's sample has no such field). */
export interface StoredCall {
  id: string;
  contact_id: string;
  text: string;
  date: string;
  author: string;
  phone_number: string;
  called_via: string;
  call_result: string;
  recording_link: string;
  /** ISO time the call was created, for `date_filter=created_at`. */
  created_at: string;
  modified_at: string;
  /**
   * Fields as another integration wrote them, in shapes the reference does not show (a number
   * where it documents text…): answered over the documented ones.
   */
  odd?: Record<string, unknown>;
}

/** How `corrupt-next` spoils the next answers after the request was handled (and committed). */
type Corruption = 'html' | 'truncated' | 'wrong-shape';

export interface CrmSimulatorOptions {
  /** The clock, in epoch milliseconds; `Date.now` by default. */
  now?: () => number;
}

export function createCrmSimulator(options: CrmSimulatorOptions = {}): ServiceSimulator {
  const baseClock = options.now ?? Date.now;
  let fixedNow: number | undefined;
  let calls: StoredCall[] = [];
  let nextId = 1;
  let corruptions: Corruption[] = [];

  const now = () => fixedNow ?? baseClock();

  function newId(): string {
    // 24 hex digits like a bson ObjectId; "ca11" keeps them apart from the demo contact ids.
    return `ca11${(nextId++).toString(16).padStart(20, '0')}`;
  }

  function envelope(data: unknown): SimResponse {
    return json(200, { status: 0, message: 'OK', timestamp: Math.floor(now() / 1000), data });
  }

  function failure(
    status: number,
    errorName: string,
    errorMessage: string,
    errors: Record<string, string> = {},
  ): SimResponse {
    return json(status, {
      status,
      message: REASONS[status] ?? 'Error',
      error_name: errorName,
      error_message: errorMessage,
      errors,
      timestamp: Math.floor(now() / 1000),
    });
  }

  function authorised(req: SimRequest): boolean {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !/^Basic\s+/i.test(header)) return false;
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, '').trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const { userId, apiKey } = SANDBOX_CREDENTIALS.crm;
    return decoded.slice(0, colon) === userId && decoded.slice(colon + 1) === apiKey;
  }

  function publicCall(stored: StoredCall): Record<string, unknown> {
    const { created_at: _created, odd, ...visible } = stored;
    return { ...visible, ...odd };
  }

  function readBody(req: SimRequest): { ok: true; body: Record<string, unknown> } | { ok: false; answer: SimResponse } {
    let parsed: unknown;
    try {
      parsed = req.rawBody.length === 0 ? {} : JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { ok: false, answer: failure(400, 'invalid_json', 'The request body is not valid JSON') };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, answer: failure(400, 'invalid_json', 'The request body must be a JSON object') };
    }
    return { ok: true, body: parsed as Record<string, unknown> };
  }

  /** Checks the writable fields present; without `partial` every one must be present. */
  function validate(
    body: Record<string, unknown>,
    partial: boolean,
  ): { ok: true; fields: Partial<Record<WritableField, string>> } | { ok: false; answer: SimResponse } {
    const errors: Record<string, string> = {};
    const fields: Partial<Record<WritableField, string>> = {};
    for (const field of WRITABLE_FIELDS) {
      const value = body[field];
      if (value === undefined) {
        if (!partial) errors[field] = 'is required (send partial=1 to leave it out)';
        continue;
      }
      if (typeof value !== 'string') {
        errors[field] = 'must be a string';
        continue;
      }
      fields[field] = value;
    }
    if (fields.call_result !== undefined && !(CRM_CALL_RESULTS as readonly string[]).includes(fields.call_result)) {
      errors.call_result = `must be one of ${CRM_CALL_RESULTS.join(', ')}`;
    }
    if (fields.date !== undefined && !isCalendarDate(fields.date)) errors.date = 'must be a date as YYYY-MM-DD';
    if (fields.recording_link !== undefined && fields.recording_link !== '' && !isWebUrl(fields.recording_link)) {
      errors.recording_link = 'must be an http or https URL';
    }
    if (Object.keys(errors).length > 0) {
      return { ok: false, answer: failure(400, 'invalid_request_data', 'Some fields are invalid', errors) };
    }
    return { ok: true, fields };
  }

  function create(req: SimRequest, contactId: string | null): SimResponse {
    if (contactId === null || contactId === '') {
      return failure(400, 'invalid_request_data', 'A contact is required', { contact_id: 'is required' });
    }
    if (!contactExists(contactId))
      return failure(404, 'resource_not_found', `Contact ${contactId.slice(0, 40)} not found`);
    const read = readBody(req);
    if (!read.ok) return read.answer;
    const checked = validate(read.body, req.query.get('partial') === '1');
    if (!checked.ok) return checked.answer;
    const at = new Date(now()).toISOString();
    const stored: StoredCall = {
      id: newId(),
      contact_id: contactId,
      text: checked.fields.text ?? '',
      date: checked.fields.date ?? at.slice(0, 10),
      author: AUTHOR,
      phone_number: checked.fields.phone_number ?? '',
      called_via: checked.fields.called_via ?? '',
      // The reference lists no default result; "conversation" is its first and the sample's.
      call_result: checked.fields.call_result ?? 'conversation',
      recording_link: checked.fields.recording_link ?? '',
      created_at: at,
      modified_at: at,
    };
    calls.push(stored);
    return envelope({ call: publicCall(stored) });
  }

  function list(req: SimRequest, contactId: string | null): SimResponse {
    if (req.query.has('company_id')) {
      return failure(400, 'invalid_request_data', 'This sandbox has no companies', {
        company_id: 'is not supported here',
      });
    }
    if (contactId !== null && !contactExists(contactId)) {
      return failure(404, 'resource_not_found', `Contact ${contactId.slice(0, 40)} not found`);
    }
    const errors: Record<string, string> = {};
    const dateFilter = req.query.get('date_filter');
    const field = dateFilter === null ? 'modified_at' : DATE_FILTERS[dateFilter];
    if (field === undefined) errors.date_filter = `must be one of ${Object.keys(DATE_FILTERS).join(', ')}`;
    const since = parseTime(req.query.get('since'));
    const until = parseTime(req.query.get('until'));
    if (since === null) errors.since = 'must be unix seconds or a date';
    if (until === null) errors.until = 'must be unix seconds or a date';
    const page = parseCount(req.query.get('page'), 1);
    const requestedPerPage = parseCount(req.query.get('per_page'), DEFAULT_PER_PAGE);
    if (page === null) errors.page = 'must be a whole number from 1';
    if (requestedPerPage === null) errors.per_page = 'must be a whole number from 1';
    if (
      field === undefined ||
      since === null ||
      until === null ||
      page === null ||
      requestedPerPage === null ||
      Object.keys(errors).length > 0
    ) {
      return failure(400, 'invalid_request_data', 'Some parameters are invalid', errors);
    }
    const perPage = Math.min(requestedPerPage, MAX_PER_PAGE);
    const matching = calls.filter(
      (c) => (contactId === null || c.contact_id === contactId) && inRange(c, field, since, until),
    );
    const start = (page - 1) * perPage;
    return envelope({
      calls: matching.slice(start, start + perPage).map((c) => ({ call: publicCall(c) })),
      total_count: matching.length,
      page,
      max_page: Math.max(1, Math.ceil(matching.length / perPage)),
      per_page: perPage,
    });
  }

  function byId(req: SimRequest, id: string): SimResponse {
    const index = calls.findIndex((c) => c.id === id);
    const stored = calls[index];
    if (!stored) return failure(404, 'resource_not_found', `Call ${id.slice(0, 40)} not found`);
    if (req.method === 'GET') return envelope({ call: publicCall(stored) });
    if (req.method === 'DELETE') {
      calls.splice(index, 1);
      return envelope({});
    }
    if (req.method === 'PUT') {
      const read = readBody(req);
      if (!read.ok) return read.answer;
      const checked = validate(read.body, req.query.get('partial') === '1');
      if (!checked.ok) return checked.answer;
      const updated: StoredCall = { ...stored, ...checked.fields, modified_at: new Date(now()).toISOString() };
      calls[index] = updated;
      return envelope({ call: publicCall(updated) });
    }
    return failure(405, 'method_not_allowed', `${req.method} is not allowed on a call`);
  }

  function route(req: SimRequest): SimResponse {
    if (!authorised(req)) return failure(401, 'authorization_data_not_found', 'Authorization data not found');
    const { method, path } = req;
    if (path === '/calls.json') {
      if (method === 'GET') return list(req, req.query.get('contact_id'));
      if (method === 'POST') return create(req, req.query.get('contact_id'));
      return failure(405, 'method_not_allowed', `${method} is not allowed on calls`);
    }
    const contactCalls = /^\/contacts\/([^/]+)\/calls\.json$/.exec(path);
    if (contactCalls) {
      const contactId = safeDecode(contactCalls[1]!);
      if (method === 'GET') return list(req, contactId);
      if (method === 'POST') return create(req, contactId);
      return failure(405, 'method_not_allowed', `${method} is not allowed on a contact's calls`);
    }
    const single = /^\/calls\/([^/]+)\.json$/.exec(path);
    if (single) return byId(req, safeDecode(single[1]!));
    return failure(404, 'resource_not_found', `No resource at ${path.slice(0, 100)}`);
  }

  return {
    id: 'crm',
    prefix: SERVICE_PREFIXES.crm,
    reset() {
      calls = [];
      nextId = 1;
      corruptions = [];
      fixedNow = undefined;
    },
    handle(req) {
      const answer = route(req);
      const corruption = corruptions.shift();
      return corruption ? corrupt(answer, corruption) : answer;
    },
    errorResponse(status, message) {
      return failure(status, ERROR_NAMES[status] ?? 'error', message);
    },
    state() {
      return { calls: calls.map((c) => ({ ...c })) };
    },
    control(action, body) {
      const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      switch (action) {
        case 'clear':
          calls = [];
          return json(200, { ok: true });
        case 'count': {
          const contact = typeof input.contact_id === 'string' ? input.contact_id : undefined;
          return json(200, { count: calls.filter((c) => !contact || c.contact_id === contact).length });
        }
        case 'clock': {
          // {"now": epoch ms} fixes the clock; {"now": null} goes back to the real one.
          if (input.now === null) fixedNow = undefined;
          else if (typeof input.now === 'number' && Number.isFinite(input.now)) fixedNow = input.now;
          else return json(400, { error: 'now is epoch milliseconds or null' });
          return json(200, { now: now() });
        }
        case 'seed':
          return seed(input);
        case 'corrupt-next': {
          const kind = input.kind ?? 'html';
          const count = input.count ?? 1;
          if (
            !CORRUPTIONS.includes(kind as Corruption) ||
            typeof count !== 'number' ||
            !Number.isInteger(count) ||
            count < 1
          ) {
            return json(400, { error: `kind is one of ${CORRUPTIONS.join(', ')}; count a whole number from 1` });
          }
          for (let i = 0; i < count; i += 1) corruptions.push(kind as Corruption);
          return json(200, { pending: corruptions.length });
        }
        default:
          return json(404, { error: `unknown crm control ${action}; try clear, count, clock, seed, corrupt-next` });
      }
    },
  };

  /**
   * Adds calls straight to the store (as if logged earlier in the CRM itself): {"contact_id",
   * "count", "text"?, "call_result"?, "date"?, "phone_number"?, "created_at"? (epoch ms)}.
   */
  function seed(input: Record<string, unknown>): SimResponse {
    const contact = input.contact_id;
    const count = input.count ?? 1;
    if (typeof contact !== 'string' || !contactExists(contact))
      return json(400, { error: 'contact_id must be a demo contact id' });
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10_000) {
      return json(400, { error: 'count is a whole number from 1 to 10000' });
    }
    const checked = validate(input, true);
    if (!checked.ok) return json(400, { error: 'invalid fields', detail: checked.answer.body });
    const createdMs = typeof input.created_at === 'number' ? input.created_at : now();
    const at = new Date(createdMs).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const id = newId();
      ids.push(id);
      calls.push({
        id,
        contact_id: contact,
        text: checked.fields.text ?? `Seeded call ${i + 1}`,
        date: checked.fields.date ?? at.slice(0, 10),
        author: AUTHOR,
        phone_number: checked.fields.phone_number ?? '',
        called_via: checked.fields.called_via ?? '',
        call_result: checked.fields.call_result ?? 'conversation',
        recording_link: checked.fields.recording_link ?? '',
        created_at: at,
        modified_at: at,
        ...(typeof input.odd === 'object' && input.odd !== null ? { odd: { ...(input.odd as Record<string, unknown>) } } : {}),
      });
    }
    return json(200, { ids });
  }
}

const CORRUPTIONS: readonly Corruption[] = ['html', 'truncated', 'wrong-shape'];

/** What a proxy or a broken deploy may put in place of the CRM's answer; the status stays. */
function corrupt(answer: SimResponse, kind: Corruption): SimResponse {
  switch (kind) {
    case 'html':
      return {
        status: answer.status,
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1></body></html>',
      };
    case 'truncated': {
      const text = JSON.stringify(answer.body ?? {});
      return {
        status: answer.status,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: text.slice(0, Math.floor(text.length / 2)),
      };
    }
    case 'wrong-shape':
      return { status: answer.status, body: { status: 0, message: 'OK', data: { result: 'unexpected' } } };
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const ERROR_NAMES: Record<number, string> = {
  400: 'invalid_request_data',
  401: 'authorization_data_not_found',
  403: 'forbidden',
  404: 'resource_not_found',
  409: 'conflict',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

const DATE_FILTERS: Record<string, 'created_at' | 'modified_at' | 'date' | undefined> = {
  created_at: 'created_at',
  created: 'created_at',
  modified_at: 'modified_at',
  modified: 'modified_at',
  date: 'date',
};

/** A malformed %-escape is just an id that matches nothing (404), not a crash. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function contactExists(id: string): boolean {
  if (!BSON_ID.test(id) || !id.startsWith('5f0c')) return false;
  const index = Number.parseInt(id.slice(4), 16);
  return index < DEMO_CONTACTS && demoContactId(index) === id;
}

/** Unix seconds, or an ISO date/time; undefined when absent, null when unreadable. */
function parseTime(value: string | null): number | undefined | null {
  if (value === null || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

function parseCount(value: string | null, fallback: number): number | null {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

function inRange(
  call: StoredCall,
  field: 'created_at' | 'modified_at' | 'date',
  since: number | undefined,
  until: number | undefined,
): boolean {
  if (field === 'date') {
    // A call's `date` is a whole day: compare days, so `since` anywhere in that day includes it.
    const day = call.date;
    if (since !== undefined && day < new Date(since * 1000).toISOString().slice(0, 10)) return false;
    if (until !== undefined && day > new Date(until * 1000).toISOString().slice(0, 10)) return false;
    return true;
  }
  const seconds = Math.floor(Date.parse(call[field]) / 1000);
  if (since !== undefined && seconds < since) return false;
  if (until !== undefined && seconds > until) return false;
  return true;
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
