/**
 * SIP Caller: list the dynamic, active campaigns, add numbers to one (singly after a look-up, or
 * in bulk as a CSV upload) and delete number records.
 * Reference: shared/seeds/sipcaller-api.txt; our reading of it: shared/api/NOTES.md "SIP Caller".
 * The list calls follow react-admin's simple-REST conventions: `filter`, `sort` and `range` are
 * JSON values in the query string and the total comes back in `Content-Range`.
 */
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { request, type HttpMethod, type HttpResponse } from '../http.ts';
import { SERVICE_NAMES, type AllSecrets } from '../services.ts';
import type { CONTACT_DETAIL_FIELDS, Settings } from '../settings.ts';
import type { AddOutcome, Campaign, CampaignProvider, ContactDetails, ResolvedConfig } from './types.ts';

/** A contact detail that can fill a campaign variable (settings.sipcaller.varOrder). */
export type SipCallerVarField = (typeof CONTACT_DETAIL_FIELDS)[number];

/** What the SIP Caller client needs. */
export interface SipCallerConfig {
  /** e.g. "https://api.sipcaller.com/v1", without a trailing slash. */
  baseUrl: string;
  /** Every path is under /accounts/<accountId>. */
  accountId: string;
  apiKey: string;
  /** Which contact details fill the campaign's variables, in order (`varValues`, CSV columns). */
  varOrder: readonly SipCallerVarField[];
}

/** A campaign as SIP Caller lists it. */
export interface SipCallerCampaign {
  id: string;
  name: string;
  /** `Static` or `Dynamic`. */
  type: string;
  /** `Draft`, `Active`, `Paused`, `Canceled` or `Finished`. */
  status: string;
}

/**
 * A number record's ID as the service gave it. Delete takes these IDs (not the numbers) and the
 * reference writes them unquoted, so a numeric ID is kept a number and sent back as one.
 */
export type SipCallerRecordId = string | number;

/** A number in a campaign. */
export interface SipCallerNumber {
  id: SipCallerRecordId;
  number: string;
  varValues: string[];
  status?: string;
}

/** A react-admin style list query: JSON values sent URL-encoded. */
export interface SipCallerListQuery {
  filter?: Record<string, unknown>;
  sort?: [field: string, order: 'ASC' | 'DESC'];
  /** Rows asked for per request (the `range` width); the service may send fewer. */
  pageSize?: number;
}

/** `Content-Range: campaigns 0-99/240`; `*` parts are left out. */
export interface ContentRange {
  unit: string;
  start?: number;
  end?: number;
  total?: number;
}

/** One CSV row: the number, then the variable values. */
export interface SipCallerCsvRow {
  number: string;
  varValues: readonly string[];
}

const SERVICE = SERVICE_NAMES.sipcaller;

/** The filter that finds campaigns accepting new numbers ("Add number to a dynamic campaign"). */
export const OPEN_CAMPAIGN_FILTER = { type: 'Dynamic', status: 'Active' } as const;

const PAGE_SIZE = 100;
// A safety net against a service whose ranges never reach the total.
const MAX_PAGES = 1000;
// Look-ups before a bulk upload run a few at a time, not one page-full at once.
const LOOKUP_CONCURRENCY = 4;
const E164 = /^\+[1-9]\d{6,14}$/;

/** SIP Caller client; the registry (lib/providers/index.ts) imports it by this name. */
export const sipCaller: CampaignProvider<SipCallerConfig> = {
  id: 'sipcaller',
  name: SERVICE,

  resolveConfig(settings: Settings, secrets: AllSecrets): ResolvedConfig<SipCallerConfig> {
    const baseUrl = settings.sipcaller.baseUrl.trim().replace(/\/+$/, '');
    const accountId = settings.sipcaller.accountId.trim();
    const apiKey = secrets.sipcaller.apiKey.trim();
    const missing: string[] = [];
    if (!baseUrl) missing.push('base URL');
    if (!accountId) missing.push('account ID');
    if (!apiKey) missing.push('API key');
    if (missing.length > 0) return { ok: false, missing };
    return { ok: true, config: { baseUrl, accountId, apiKey, varOrder: [...settings.sipcaller.varOrder] } };
  },

  baseUrl(config: SipCallerConfig): string {
    return config.baseUrl;
  },

  async testConnection(config: SipCallerConfig, signal?: AbortSignal): Promise<string> {
    // One page is enough when Content-Range carries the total; otherwise count them all.
    const first = await listPage(config, '/campaigns', openCampaignQuery(), 0, campaignSchema, signal);
    const count = first.range?.total ?? (await listOpenCampaignRecords(config, signal)).length;
    return `Connected: ${count} dynamic active ${count === 1 ? 'campaign' : 'campaigns'}`;
  },

  async listCampaigns(config: SipCallerConfig, signal?: AbortSignal): Promise<Campaign[]> {
    const campaigns = await listOpenCampaignRecords(config, signal);
    return campaigns.map((c) => ({ service: 'sipcaller', id: c.id, name: c.name, status: c.status }));
  },

  async addNumber(
    config: SipCallerConfig,
    campaignId: string,
    contact: ContactDetails,
    signal?: AbortSignal,
  ): Promise<AddOutcome> {
    assertE164(contact.e164);
    const [existing] = await findCampaignNumbers(config, campaignId, contact.e164, signal);
    if (existing) return { outcome: 'duplicate', remoteId: String(existing.id), status: existing.status };
    const varValues = buildVarValues(contact, config.varOrder);
    const created = await addCampaignNumber(
      config,
      campaignId,
      varValues.length > 0 ? { number: contact.e164, varValues } : { number: contact.e164 },
      signal,
    );
    return { outcome: 'added', remoteId: created === undefined ? undefined : String(created) };
  },

  async addNumbers(
    config: SipCallerConfig,
    campaignId: string,
    contacts: ContactDetails[],
    signal?: AbortSignal,
  ): Promise<{ added: number; duplicates: number }> {
    for (const contact of contacts) assertE164(contact.e164);
    // A number listed twice is uploaded once, with the details it was first listed with.
    const listed = new Set<string>();
    const unique = contacts.filter((c) => {
      if (listed.has(c.e164)) return false;
      listed.add(c.e164);
      return true;
    });
    // The upload has no duplicate check of its own, so numbers already in the campaign are left
    // out; a retried upload whose first answer was lost then adds nothing twice.
    const present = await mapLimited(unique, LOOKUP_CONCURRENCY, async (c) => {
      const found = await findCampaignNumbers(config, campaignId, c.e164, signal);
      return found.length > 0;
    });
    const fresh = unique.filter((_, i) => !present[i]);
    const duplicates = contacts.length - fresh.length;
    if (fresh.length === 0) return { added: 0, duplicates };
    const rows = fresh.map((c) => ({ number: c.e164, varValues: buildVarValues(c, config.varOrder) }));
    await uploadCampaignNumbers(config, campaignId, rows, config.varOrder.length, signal);
    return { added: fresh.length, duplicates };
  },
};

/** The campaigns that accept new numbers, by name: `filter={"type":"Dynamic","status":"Active"}`. */
export async function listOpenCampaignRecords(
  config: SipCallerConfig,
  signal?: AbortSignal,
): Promise<SipCallerCampaign[]> {
  const campaigns = await listCampaignRecords(config, openCampaignQuery(), signal);
  // Filtered again here: a service that ignored the filter must not offer a static campaign.
  return campaigns.filter((c) => c.type === OPEN_CAMPAIGN_FILTER.type && c.status === OPEN_CAMPAIGN_FILTER.status);
}

/** Every campaign matching the query, following `range` until the Content-Range total. */
export async function listCampaignRecords(
  config: SipCallerConfig,
  query: SipCallerListQuery,
  signal?: AbortSignal,
): Promise<SipCallerCampaign[]> {
  return listAll(config, '/campaigns', query, campaignSchema, signal);
}

/**
 * The records of one number in a campaign. The `number` filter is a partial match ("List
 * campaign numbers"), so the answer is narrowed to records whose digits equal ours exactly.
 */
export async function findCampaignNumbers(
  config: SipCallerConfig,
  campaignId: string,
  e164: string,
  signal?: AbortSignal,
): Promise<SipCallerNumber[]> {
  const digits = e164.replace(/\D/g, '');
  const records = await listAll(
    config,
    `/campaigns/${encodeURIComponent(campaignId)}/numbers`,
    { filter: { number: digits }, sort: ['number', 'ASC'] },
    numberSchema,
    signal,
  );
  return records.filter((r) => r.number.replace(/\D/g, '') === digits);
}

/** Every number record of a campaign, sorted by number (the one sort the reference offers). */
export async function listAllCampaignNumbers(
  config: SipCallerConfig,
  campaignId: string,
  signal?: AbortSignal,
): Promise<SipCallerNumber[]> {
  return listAll(config, `/campaigns/${encodeURIComponent(campaignId)}/numbers`, { sort: ['number', 'ASC'] }, numberSchema, signal);
}

/**
 * Adds one number (`POST …/campaigns/CAMP/numbers`) with `varValues` when given. Answers the new
 * record's ID when the service returns one (the reference shows no answer body).
 */
export async function addCampaignNumber(
  config: SipCallerConfig,
  campaignId: string,
  body: { number: string; varValues?: readonly string[] },
  signal?: AbortSignal,
): Promise<SipCallerRecordId | undefined> {
  const { data } = await call(config, {
    method: 'POST',
    path: `/campaigns/${encodeURIComponent(campaignId)}/numbers`,
    json: body,
    schema: createdIdSchema,
    signal,
  });
  return data;
}

/**
 * Uploads numbers as a CSV file (`POST …/numbers/upload?firstRowIsHeader=false&varCount=N`,
 * multipart field `file`). Every row must carry `varCount` values.
 */
export async function uploadCampaignNumbers(
  config: SipCallerConfig,
  campaignId: string,
  rows: readonly SipCallerCsvRow[],
  varCount: number,
  signal?: AbortSignal,
): Promise<void> {
  if (rows.some((r) => r.varValues.length !== varCount)) {
    throw new ServiceError({
      kind: 'invalid',
      service: SERVICE,
      message: `every row needs ${varCount} variable values`,
    });
  }
  const form = new FormData();
  form.append('file', new Blob([buildNumbersCsv(rows)], { type: 'text/csv' }), 'numbers.csv');
  await call(config, {
    method: 'POST',
    path: `/campaigns/${encodeURIComponent(campaignId)}/numbers/upload`,
    query: { firstRowIsHeader: 'false', varCount: String(varCount) },
    body: form,
    signal,
  });
}

/** Deletes number records by their IDs (not their numbers): the body is a JSON array. */
export async function deleteCampaignNumbers(
  config: SipCallerConfig,
  campaignId: string,
  ids: readonly SipCallerRecordId[],
  signal?: AbortSignal,
): Promise<void> {
  if (ids.length === 0) return;
  await call(config, {
    method: 'DELETE',
    path: `/campaigns/${encodeURIComponent(campaignId)}/numbers`,
    json: ids,
    signal,
  });
}

/** The campaign variables for a contact, in `varOrder`; a detail we lack becomes "". */
export function buildVarValues(contact: ContactDetails, varOrder: readonly SipCallerVarField[]): string[] {
  const first = contact.firstName?.trim() ?? '';
  const last = contact.lastName?.trim() ?? '';
  const values: Record<SipCallerVarField, string> = {
    first_name: first,
    last_name: last,
    full_name: [first, last].filter((part) => part !== '').join(' '),
    company: contact.company?.trim() ?? '',
    email: contact.email?.trim() ?? '',
  };
  return varOrder.map((field) => values[field]);
}

/**
 * The CSV file for an upload: one `number,var1,…,varN` row a line, no header (the upload says
 * `firstRowIsHeader=false`). Lines end with "\n", which the reference's example implies and which
 * RFC 4180 readers accept too.
 */
export function buildNumbersCsv(rows: readonly SipCallerCsvRow[]): string {
  return rows.map((r) => [r.number, ...r.varValues.map(csvField)].join(',')).join('\n') + '\n';
}

/**
 * One CSV text field. A value starting with = + - @ (or a tab or carriage return) is prefixed
 * with "'" so a spreadsheet opening an export of it does not run it as a formula (OWASP "CSV
 * Injection"); a value with a comma, quote, line break or edge space is quoted (RFC 4180).
 * Phone numbers are not passed through here: they are checked E.164 and must keep their "+".
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Reads `Content-Range: campaigns 0-99/240` (also `*\/0` and `0-9/*`). */
export function parseContentRange(header: string | null): ContentRange | undefined {
  const match = /^\s*([\w-]+)\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/.exec(header ?? '');
  if (!match) return undefined;
  const [, unit, start, end, total] = match;
  return {
    unit: unit!,
    start: start === undefined ? undefined : Number(start),
    end: end === undefined ? undefined : Number(end),
    total: total === '*' ? undefined : Number(total),
  };
}

/**
 * The message in a SIP Caller error answer. The reference shows no error answers; we read the
 * `{"statusCode":…,"error":…,"message":…}` shape whose `message` react-admin's own fetchJson
 * reports (a string, or a list of validation messages), and fall back to `error`.
 */
export function sipCallerErrorMessage(body: unknown): string | undefined {
  const parsed = errorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, error } = parsed.data;
  if (Array.isArray(message)) return message.length > 0 ? message.join('; ') : error;
  return message ?? error;
}

function openCampaignQuery(): SipCallerListQuery {
  return { filter: { ...OPEN_CAMPAIGN_FILTER }, sort: ['name', 'ASC'] };
}

function assertE164(e164: string): void {
  if (!E164.test(e164)) {
    throw new ServiceError({ kind: 'invalid', service: SERVICE, message: `${e164} is not an E.164 number` });
  }
}

interface Page<T> {
  items: T[];
  range: ContentRange | undefined;
}

async function listPage<T>(
  config: SipCallerConfig,
  path: string,
  query: SipCallerListQuery,
  start: number,
  itemSchema: z.ZodType<T>,
  signal?: AbortSignal,
): Promise<Page<T>> {
  const size = query.pageSize ?? PAGE_SIZE;
  const params: Record<string, string> = { range: JSON.stringify([start, start + size - 1]) };
  if (query.filter) params.filter = JSON.stringify(query.filter);
  if (query.sort) params.sort = JSON.stringify(query.sort);
  const response: HttpResponse<T[]> = await call(config, { path, query: params, schema: z.array(itemSchema), signal });
  const range = parseContentRange(response.headers.get('Content-Range'));
  if (range?.start !== undefined && range.start !== start && response.data.length > 0) {
    // A service that ignores `range` would hand us the first page again and again.
    throw new ServiceError({
      kind: 'bad-response',
      service: SERVICE,
      host: new URL(config.baseUrl).host,
      message: `asked for rows from ${start}, got rows from ${range.start}`,
    });
  }
  return { items: response.data, range };
}

/**
 * Asks for `range` windows until the Content-Range total is reached; without a total, until a
 * window comes back short. The next window starts after the rows actually received, so a
 * service that caps the window size is followed correctly.
 */
async function listAll<T>(
  config: SipCallerConfig,
  path: string,
  query: SipCallerListQuery,
  itemSchema: z.ZodType<T>,
  signal?: AbortSignal,
): Promise<T[]> {
  const size = query.pageSize ?? PAGE_SIZE;
  const items: T[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { items: rows, range } = await listPage(config, path, query, items.length, itemSchema, signal);
    items.push(...rows);
    const done = rows.length === 0 || (range?.total !== undefined ? items.length >= range.total : rows.length < size);
    if (done) return items;
  }
  throw new ServiceError({ kind: 'bad-response', service: SERVICE, message: 'the pages never end' });
}

function call<T = undefined>(
  config: SipCallerConfig,
  options: {
    method?: HttpMethod;
    path: string;
    query?: Record<string, string>;
    json?: unknown;
    body?: BodyInit;
    schema?: z.ZodType<T>;
    signal?: AbortSignal;
  },
): Promise<HttpResponse<T>> {
  const account = `/accounts/${encodeURIComponent(config.accountId)}`;
  const url = new URL(`${config.baseUrl.replace(/\/+$/, '')}${account}${options.path}`);
  // URLSearchParams percent-encodes the JSON values, as curl's --data-urlencode does.
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  return request<T>({
    service: SERVICE,
    method: options.method,
    url,
    headers: { Authorization: `Bearer ${config.apiKey}` },
    json: options.json,
    body: options.body,
    schema: options.schema,
    signal: options.signal,
    errorMessage: sipCallerErrorMessage,
  });
}

/** Runs `task` over `items` with at most `limit` at a time, answers in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const recordId = z.union([z.string().min(1), z.number().int()]);

const campaignSchema = z.object({
  id: recordId.transform(String),
  name: z.string(),
  type: z.string(),
  status: z.string(),
});

const numberSchema = z.object({
  id: recordId,
  number: z.string(),
  varValues: z
    .array(z.union([z.string(), z.number()]).transform(String))
    .nullish()
    .transform((v) => v ?? []),
  status: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

// The reference shows no answer to an add: any JSON is accepted and an `id` taken when present.
const createdIdSchema = z.unknown().transform((body) => {
  const parsed = z.object({ id: recordId }).safeParse(body);
  return parsed.success ? parsed.data.id : undefined;
});

const errorEnvelopeSchema = z.object({
  message: z.union([z.string(), z.array(z.string())]).optional(),
  error: z.string().optional(),
});
