/**
 * SIP Caller simulator, built from shared/seeds/sipcaller-api.txt: Bearer API keys, every path
 * under /accounts/<ACCOUNT_ID>, react-admin simple-REST lists (`filter`, `sort`, `range` as JSON
 * in the query, the total in `Content-Range`), adding numbers to active dynamic campaigns singly
 * or as a multipart CSV upload, and deleting number records by ID. The reference shows no error
 * answers; errors use `{"statusCode","error","message"}`, the reading lib/providers/sipcaller.ts
 * documents.
 */
import { STATUS_CODES } from 'node:http';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../credentials.ts';
import { createMalform } from '../malform.ts';
import { json, type ServiceSimulator, type SimRequest, type SimResponse } from '../types.ts';

export interface SipCallerSimCampaign {
  id: string;
  name: string;
  type: 'Static' | 'Dynamic';
  status: CampaignStatus;
  dialer: { mode: 'Power' | 'Predictive' };
  isArchived: boolean;
  startDate: string;
  endDate: string;
  createdAt: string;
}

export interface SipCallerSimNumber {
  id: number;
  campaignId: string;
  number: string;
  varValues: string[];
  status: string;
  createdAt: string;
}

export interface SipCallerSimState {
  accountId: string;
  campaigns: SipCallerSimCampaign[];
  numbers: SipCallerSimNumber[];
  /** Most rows one list answer holds, whatever range was asked (control `set-max-range`). */
  maxRange: number;
  /** Whether list answers carry Content-Range (control `set-content-range`). */
  contentRange: boolean;
}

const CAMPAIGN_STATUSES = ['Draft', 'Active', 'Paused', 'Canceled', 'Finished'] as const;
type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
const CAMPAIGN_TYPES = ['Static', 'Dynamic'] as const;
// Every filter the reference lists; the simulator applies the ones marked true and accepts the
// others without filtering, so a client using a documented filter is not refused.
const CAMPAIGN_FILTERS: Record<string, boolean> = {
  ids: true,
  name: true,
  status: true,
  type: true,
  isArchived: true,
  phoneSystemId: false,
  extensionId: false,
  dialer: false,
  tagIds_ovl: false,
  startDate_gte: false,
  startDate_gt: false,
  startDate_lte: false,
  startDate_lt: false,
  endDate_gte: false,
  endDate_gt: false,
  endDate_lte: false,
  endDate_lt: false,
  startedAt_gte: false,
  startedAt_gt: false,
  startedAt_lte: false,
  startedAt_lt: false,
  endedAt_gte: false,
  endedAt_gt: false,
  endedAt_lte: false,
  endedAt_lt: false,
  callflowIds_ctn: false,
  callBehavior: false,
  webhookEndpointId: false,
};
const CAMPAIGN_SORTS = ['name', 'status', 'type', 'startDate', 'endDate', 'numbersCount', 'startedAt', 'endedAt'];

const DEFAULT_RANGE: [number, number] = [0, 24];
const DEFAULT_MAX_RANGE = 100;
const MAX_VARS = 20;
// The reference adds "+18005551234" and uploads "5550001": an optional "+" and 3-15 digits.
const PHONE = /^\+?\d{3,15}$/;
const CLOCK_START = Date.parse('2024-12-02T09:00:00.000Z');

/** A fresh SIP Caller simulator with the seeded account (8 campaigns, a few numbers). */
export function createSipCallerSimulator(): ServiceSimulator {
  let state = seed();
  let nextNumberId = 8000;
  let tick = 0;
  const malform = createMalform({
    html: '<!DOCTYPE html><html><body><h1>SIP Caller</h1><p>Sign in</p></body></html>',
    notJson: { contentType: 'application/json', body: '[{"id": ' },
    wrongTypes: (answer) => json(answer.status, { data: [{ id: true, name: 7 }] }, answer.headers),
    modes: ['html', 'wrong-types', 'not-json'],
    count: 'lenient',
  });

  const now = () => new Date(CLOCK_START + ++tick * 1000).toISOString();

  async function route(req: SimRequest): Promise<SimResponse> {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token !== SANDBOX_CREDENTIALS.sipcaller.apiKey) {
      return { ...error(401, 'Invalid or missing API key'), headers: { 'WWW-Authenticate': 'Bearer' } };
    }
    const account = /^\/accounts\/([^/]+)(\/.*)?$/.exec(req.path);
    if (!account) return error(404, `Cannot ${req.method} ${req.path}`);
    if (decodeURIComponent(account[1]!) !== state.accountId) {
      return error(403, `This API key has no access to account ${decodeURIComponent(account[1]!)}`);
    }
    const path = account[2] ?? '/';
    const { method } = req;
    let m: RegExpExecArray | null;
    if (path === '/campaigns') {
      return method === 'GET' ? listCampaigns(req) : error(405, `Cannot ${method} campaigns`);
    }
    if ((m = /^\/campaigns\/([^/]+)\/numbers(\/upload)?$/.exec(path))) {
      const campaign = state.campaigns.find((c) => c.id === decodeURIComponent(m![1]!));
      if (!campaign) return error(404, `Campaign ${decodeURIComponent(m[1]!)} not found`);
      if (m[2]) return method === 'POST' ? upload(req, campaign) : error(405, `Cannot ${method} numbers/upload`);
      if (method === 'GET') return listNumbers(req, campaign);
      if (method === 'POST') return addNumber(req, campaign);
      if (method === 'DELETE') return deleteNumbers(req, campaign);
      return error(405, `Cannot ${method} numbers`);
    }
    return error(404, `Cannot ${method} ${req.path}`);
  }

  function listCampaigns(req: SimRequest): SimResponse {
    const query = listQuery(req, Object.keys(CAMPAIGN_FILTERS), CAMPAIGN_SORTS);
    if ('problem' in query) return error(400, query.problem);
    const { filter } = query;
    let matches = state.campaigns.filter((c) => {
      if (Array.isArray(filter.ids) && !filter.ids.map(String).includes(c.id)) return false;
      if (typeof filter.name === 'string' && !c.name.toLowerCase().includes(filter.name.toLowerCase())) return false;
      if (filter.status !== undefined && c.status !== filter.status) return false;
      if (filter.type !== undefined && c.type !== filter.type) return false;
      if (filter.isArchived !== undefined && c.isArchived !== filter.isArchived) return false;
      return true;
    });
    matches = sortBy(matches, query.sort, (c, field) =>
      field === 'numbersCount'
        ? state.numbers.filter((n) => n.campaignId === c.id).length
        : String(c[field as keyof SipCallerSimCampaign] ?? ''),
    );
    return page('campaigns', matches, query.range, (c) => ({
      ...c,
      dialer: { ...c.dialer },
      numbersCount: state.numbers.filter((n) => n.campaignId === c.id).length,
    }));
  }

  function listNumbers(req: SimRequest, campaign: SipCallerSimCampaign): SimResponse {
    const query = listQuery(req, ['number'], ['number']);
    if ('problem' in query) return error(400, query.problem);
    const wanted = query.filter.number;
    if (wanted !== undefined && typeof wanted !== 'string') return error(400, 'filter.number must be a string');
    // "Partial number lookup is allowed": a substring match on the stored number.
    const matches = state.numbers.filter((n) => n.campaignId === campaign.id && (!wanted || n.number.includes(wanted)));
    return page(
      'numbers',
      sortBy(matches, query.sort, (n) => n.number),
      query.range,
      numberRecord,
    );
  }

  function addNumber(req: SimRequest, campaign: SipCallerSimCampaign): SimResponse {
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
      return error(415, 'Content-Type must be application/json');
    }
    const body = parseBody(req);
    if (body === undefined) return error(400, 'Body is not valid JSON');
    if (!isRecord(body)) return error(400, 'Body must be a JSON object');
    const problems = Object.keys(body)
      .filter((key) => key !== 'number' && key !== 'varValues')
      .map((key) => `property ${key} should not exist`);
    if (typeof body.number !== 'string' || !PHONE.test(body.number)) {
      problems.push('number must be a phone number of 3 to 15 digits, e.g. +18005551234');
    }
    const varValues = body.varValues;
    if (varValues !== undefined && (!Array.isArray(varValues) || !varValues.every((v) => typeof v === 'string'))) {
      problems.push('varValues must be an array of strings');
    } else if (Array.isArray(varValues) && varValues.length > MAX_VARS) {
      problems.push(`varValues must have at most ${MAX_VARS} values`);
    }
    if (problems.length > 0) return error(400, problems);
    const refused = refuseNewNumbers(campaign);
    if (refused) return refused;
    const record = createNumber(campaign, body.number as string, (varValues as string[] | undefined) ?? []);
    return json(201, numberRecord(record));
  }

  async function upload(req: SimRequest, campaign: SipCallerSimCampaign): Promise<SimResponse> {
    const header = req.query.get('firstRowIsHeader') ?? 'false';
    if (header !== 'true' && header !== 'false') return error(400, 'firstRowIsHeader must be true or false');
    const varCountText = req.query.get('varCount') ?? '0';
    if (!/^\d{1,2}$/.test(varCountText) || Number(varCountText) > MAX_VARS) {
      return error(400, `varCount must be an integer from 0 to ${MAX_VARS}`);
    }
    const varCount = Number(varCountText);
    const contentType = String(req.headers['content-type'] ?? '');
    if (!contentType.startsWith('multipart/form-data')) {
      return error(415, 'Upload a CSV file as multipart/form-data in the field "file"');
    }
    let file: FormDataEntryValue | null;
    try {
      // Node's fetch (undici) parses multipart bodies; a Request is the shortest way to reach it.
      const form = await new Request('http://sandbox.invalid/upload', {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: new Uint8Array(req.rawBody),
      }).formData();
      file = form.get('file');
    } catch {
      return error(400, 'The multipart body could not be read');
    }
    if (file === null || typeof file === 'string') return error(400, 'No file in the field "file"');
    const rows = parseCsv(await file.text());
    if ('problem' in rows) return error(400, rows.problem);
    const data = header === 'true' ? rows.rows.slice(1) : rows.rows;
    if (data.length === 0) return error(400, 'The file has no numbers');
    const problems: string[] = [];
    data.forEach((row, i) => {
      const line = i + (header === 'true' ? 2 : 1);
      if (row.length !== varCount + 1) {
        problems.push(
          `row ${line} has ${row.length} values; expected ${varCount + 1} (a number and ${varCount} variables)`,
        );
      } else if (!PHONE.test(row[0]!)) {
        problems.push(`row ${line}: ${row[0]} is not a phone number`);
      }
    });
    if (problems.length > 0) return error(400, problems.slice(0, 10));
    const refused = refuseNewNumbers(campaign);
    if (refused) return refused;
    for (const [number, ...vars] of data) createNumber(campaign, number!, vars);
    return json(200, { imported: data.length });
  }

  function deleteNumbers(req: SimRequest, campaign: SipCallerSimCampaign): SimResponse {
    const body = parseBody(req);
    if (
      !Array.isArray(body) ||
      body.length === 0 ||
      !body.every((id) => typeof id === 'number' || typeof id === 'string')
    ) {
      return error(400, 'Body must be a non-empty JSON array of number record IDs');
    }
    const ids = new Set(body.map(String));
    const deleted = state.numbers.filter((n) => n.campaignId === campaign.id && ids.has(String(n.id)));
    state.numbers = state.numbers.filter((n) => !deleted.includes(n));
    return json(
      200,
      deleted.map((n) => n.id),
    );
  }

  /** "Add number to a dynamic campaign which is already active". */
  function refuseNewNumbers(campaign: SipCallerSimCampaign): SimResponse | undefined {
    if (campaign.type !== 'Dynamic') return error(400, 'Numbers can only be added to dynamic campaigns');
    if (campaign.status !== 'Active')
      return error(409, `Campaign is ${campaign.status}; numbers can only be added to an active campaign`);
    return undefined;
  }

  function createNumber(campaign: SipCallerSimCampaign, number: string, varValues: string[]): SipCallerSimNumber {
    const record: SipCallerSimNumber = {
      id: nextNumberId++,
      campaignId: campaign.id,
      number,
      varValues: [...varValues],
      status: 'Pending',
      createdAt: now(),
    };
    state.numbers.push(record);
    return record;
  }

  /** The react-admin list answer: a JSON array and `Content-Range: unit start-end/total`. */
  function page<T>(unit: string, items: T[], range: [number, number], serialise: (item: T) => unknown): SimResponse {
    const [start, askedEnd] = range;
    const end = Math.min(askedEnd, start + state.maxRange - 1, items.length - 1);
    const slice = start <= end ? items.slice(start, end + 1) : [];
    const headers: Record<string, string> = { 'Access-Control-Expose-Headers': 'Content-Range' };
    if (state.contentRange) {
      headers['Content-Range'] =
        slice.length > 0 ? `${unit} ${start}-${end}/${items.length}` : `${unit} */${items.length}`;
    }
    return json(200, slice.map(serialise), headers);
  }

  function control(action: string, body: unknown): SimResponse {
    const input = isRecord(body) ? body : {};
    switch (action) {
      case 'set-max-range': {
        const max = input.max;
        if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
          return json(400, { error: 'set-max-range takes {max: positive integer}' });
        }
        state.maxRange = max;
        return json(200, { maxRange: max });
      }
      case 'set-content-range': {
        if (typeof input.enabled !== 'boolean')
          return json(400, { error: 'set-content-range takes {enabled: boolean}' });
        state.contentRange = input.enabled;
        return json(200, { contentRange: input.enabled });
      }
      case 'set-campaign': {
        const campaign = state.campaigns.find((c) => c.id === input.id);
        const { status, type } = input;
        if (
          !campaign ||
          (status !== undefined && !(CAMPAIGN_STATUSES as readonly unknown[]).includes(status)) ||
          (type !== undefined && !(CAMPAIGN_TYPES as readonly unknown[]).includes(type))
        ) {
          return json(400, {
            error: `set-campaign takes {id, status?: ${CAMPAIGN_STATUSES.join('|')}, type?: ${CAMPAIGN_TYPES.join('|')}}`,
          });
        }
        if (status !== undefined) campaign.status = status as CampaignStatus;
        if (type !== undefined) campaign.type = type as SipCallerSimCampaign['type'];
        return json(200, { ...campaign });
      }
      case 'malform':
        return malform.control(body);
      default:
        return json(404, {
          error: `unknown action ${action}; try set-max-range, set-content-range, set-campaign, malform`,
        });
    }
  }

  return {
    id: 'sipcaller',
    prefix: SERVICE_PREFIXES.sipcaller,
    reset() {
      state = seed();
      nextNumberId = 8000;
      tick = 0;
      malform.reset();
    },
    async handle(req) {
      return malform.apply(req, await route(req));
    },
    errorResponse(status, message) {
      return error(status, message);
    },
    state(): SipCallerSimState {
      return structuredClone(state);
    },
    control,
  };
}

function error(status: number, message: string | string[]): SimResponse {
  return json(status, { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
}

function numberRecord(n: SipCallerSimNumber) {
  return { id: n.id, number: n.number, varValues: [...n.varValues], status: n.status, createdAt: n.createdAt };
}

type ListQuery =
  | { filter: Record<string, unknown>; sort: [string, 'ASC' | 'DESC'] | undefined; range: [number, number] }
  | { problem: string };

/** Reads react-admin's `filter`, `sort` and `range` JSON query values, refusing what is not documented. */
function listQuery(req: SimRequest, filters: string[], sorts: string[]): ListQuery {
  const read = (name: string): { value?: unknown; problem?: string } => {
    const text = req.query.get(name);
    if (text === null) return {};
    try {
      return { value: JSON.parse(text) };
    } catch {
      return {
        problem: `${name} must be JSON, e.g. ${name === 'range' ? '[0,99]' : name === 'sort' ? '["name","ASC"]' : '{"status":"Active"}'}`,
      };
    }
  };
  const filter = read('filter');
  const sort = read('sort');
  const range = read('range');
  const problem = filter.problem ?? sort.problem ?? range.problem;
  if (problem) return { problem };
  if (filter.value !== undefined && !isRecord(filter.value)) return { problem: 'filter must be a JSON object' };
  const unknown = Object.keys((filter.value as Record<string, unknown> | undefined) ?? {}).filter(
    (k) => !filters.includes(k),
  );
  if (unknown.length > 0) return { problem: `Unknown filter field ${unknown.join(', ')}` };
  const s = sort.value;
  if (
    s !== undefined &&
    !(Array.isArray(s) && s.length === 2 && sorts.includes(s[0] as string) && (s[1] === 'ASC' || s[1] === 'DESC'))
  ) {
    return { problem: `sort must be ["field","ASC"|"DESC"] with field one of ${sorts.join(', ')}` };
  }
  const r = range.value ?? DEFAULT_RANGE;
  if (!(Array.isArray(r) && r.length === 2 && r.every((n) => Number.isInteger(n) && n >= 0) && r[0] <= r[1])) {
    return { problem: 'range must be [start,end] with 0 <= start <= end' };
  }
  return {
    filter: (filter.value as Record<string, unknown> | undefined) ?? {},
    sort: s as [string, 'ASC' | 'DESC'] | undefined,
    range: r as [number, number],
  };
}

function sortBy<T>(
  items: T[],
  sort: [string, 'ASC' | 'DESC'] | undefined,
  key: (item: T, field: string) => string | number,
): T[] {
  if (!sort) return items;
  const [field, order] = sort;
  const sign = order === 'ASC' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = key(a, field);
    const y = key(b, field);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

function parseBody(req: SimRequest): unknown {
  if (req.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; blank lines are skipped. */
export function parseCsv(text: string): { rows: string[][] } | { problem: string } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i += 1;
        if (i < text.length && !',\r\n'.includes(text[i]!))
          return { problem: `CSV: text after a closing quote in row ${rows.length + 1}` };
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) return { problem: `CSV: a quoted value in row ${rows.length + 1} is never closed` };
  if (field !== '' || row.length > 0) endRow();
  return { rows };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seed(): SipCallerSimState {
  // 8 campaigns of mixed type and status; three are dynamic and active.
  const rows: [string, string, SipCallerSimCampaign['type'], CampaignStatus][] = [
    ['cmp-101', 'Appointment reminders', 'Dynamic', 'Active'],
    ['cmp-102', 'Billing follow-ups', 'Dynamic', 'Active'],
    ['cmp-103', 'Cold outreach', 'Static', 'Active'],
    ['cmp-104', 'Delivery confirmations', 'Dynamic', 'Paused'],
    ['cmp-105', 'Event invites', 'Dynamic', 'Draft'],
    ['cmp-106', 'Feedback calls', 'Dynamic', 'Active'],
    ['cmp-107', 'Legacy import', 'Static', 'Finished'],
    ['cmp-108', 'Renewals', 'Dynamic', 'Canceled'],
  ];
  // Listed in creation order, not by name, so a client's sort is visible.
  const order = [4, 0, 6, 2, 7, 1, 5, 3];
  const campaigns = order.map((index): SipCallerSimCampaign => {
    const [id, name, type, status] = rows[index]!;
    const day = String(index + 1).padStart(2, '0');
    return {
      id,
      name,
      type,
      status,
      dialer: { mode: index % 2 === 0 ? 'Power' : 'Predictive' },
      isArchived: status === 'Finished',
      startDate: `20241201T0${index}:00:00`,
      endDate: '20251231T23:59:59',
      createdAt: `2024-11-${day}T12:00:00.000Z`,
    };
  });
  const number = (
    id: number,
    campaignId: string,
    phone: string,
    varValues: string[],
    status = 'Pending',
  ): SipCallerSimNumber => ({
    id,
    campaignId,
    number: phone,
    varValues,
    status,
    createdAt: '2024-11-20T08:00:00.000Z',
  });
  const numbers = [
    number(7001, 'cmp-101', '+18005551234', ['John', '199'], 'Called'),
    number(7002, 'cmp-101', '+18005551235', ['Mary', '299']),
    number(7003, 'cmp-101', '+442071838750', ['Susan', '149']),
    // Contains 18005551234: a partial look-up for that number finds this record too.
    number(7004, 'cmp-102', '+4418005551234', ['Nigel', '75']),
    number(7005, 'cmp-102', '+16505550100', ['Ana', '10']),
    number(7006, 'cmp-103', '5550001', ['James', '300']),
  ];
  return {
    accountId: SANDBOX_CREDENTIALS.sipcaller.accountId,
    campaigns,
    numbers,
    maxRange: DEFAULT_MAX_RANGE,
    contentRange: true,
  };
}
