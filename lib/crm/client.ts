/**
 * The CRM calls resource (OnePageCRM API v3, ../shared/seeds/crm-calls-api.md; our reading in
 * ../shared/api/NOTES.md "CRM calls resource"): create, list, read, update and delete the calls
 * logged against a contact, plus the pure helpers the outbox uses to reconcile a create whose
 * answer was lost. The resource has no idempotency key, so reconciliation is by listing.
 */
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { request, type HttpMethod } from '../http.ts';
import type { ResolvedConfig, ServiceDefinition } from '../providers/types.ts';

export interface CrmConfig {
  /** e.g. "https://app.onepagecrm.com/api/v3", without a trailing slash. */
  baseUrl: string;
  /** The HTTP Basic user name. */
  userId: string;
  /** The HTTP Basic password. */
  apiKey: string;
}

/** The three results the reference lists for `call_result`. */
export const CALL_RESULTS = ['conversation', 'no_answer', 'left_message'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

/** A call to log against a contact. */
export interface NewCall {
  contactId: string;
  callResult: CallResult;
  /** The note, usually ending with `withEntryMarker`'s marker. */
  text: string;
  /** The calendar day of the call in the caller's time zone, YYYY-MM-DD (see `localCallDate`). */
  date: string;
  phoneNumber?: string;
  /** The service the call was made with, e.g. "Upcall". */
  calledVia?: string;
  recordingLink?: string;
}

/** Fields a partial update may change (`PUT /calls/{id}.json?partial=1`). */
export type CallChanges = Partial<Omit<NewCall, 'contactId'>>;

/** A call as the CRM returns it. Text fields the CRM leaves out read as "". */
export interface CrmCall {
  id: string;
  contactId: string;
  /** One of CALL_RESULTS, kept as a string so a result added by the CRM later still lists. */
  callResult: string;
  text: string;
  date: string;
  phoneNumber: string;
  calledVia: string;
  recordingLink: string;
  /** "peter a.": first name and initial of the user who logged it. */
  author: string;
  modifiedAt: string;
}

export interface ListCallsQuery {
  /** Without it, the user's calls on every contact. */
  contactId?: string;
  /**
   * Which date `since`/`until` apply to. The reference (Listing Fields) says that without it they
   * filter on the modification time.
   */
  dateFilter?: 'created_at' | 'modified_at' | 'date';
  /** Unix seconds, inclusive. */
  since?: number;
  /** Unix seconds, inclusive. */
  until?: number;
}

const SERVICE = 'CRM';
/** The reference's sample answers `per_page` 10 by default; NOTES: at most 100. */
const PER_PAGE = 100;
/** 100 000 calls: far beyond one contact's history, so only a misbehaving server reaches it. */
const MAX_PAGES = 1000;
/**
 * The reference types ids as `bson_id` (24 hex digits). We accept any plain path segment so a
 * compatible CRM with other ids still works; what matters is that an id cannot change the path.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

// Envelope: {"status":0,"message":"OK","timestamp":..,"data":{...}} (NOTES, and the reference's
// sample GET answer). Missing or null text fields become "" so callers compare plain strings.
const textField = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

const callSchema = z
  .object({
    id: z.string().min(1),
    contact_id: textField,
    call_result: textField,
    text: textField,
    date: textField,
    phone_number: textField,
    called_via: textField,
    recording_link: textField,
    author: textField,
    modified_at: textField,
  })
  .transform((raw): CrmCall => ({
    id: raw.id,
    contactId: raw.contact_id,
    callResult: raw.call_result,
    text: raw.text,
    date: raw.date,
    phoneNumber: raw.phone_number,
    calledVia: raw.called_via,
    recordingLink: raw.recording_link,
    author: raw.author,
    modifiedAt: raw.modified_at,
  }));

const singleCallSchema = z.object({ data: z.object({ call: callSchema }) }).transform((envelope) => envelope.data.call);

/**
 * One oddly shaped call (a field of an unexpected type, written by another integration) must not
 * make a contact's whole list unreadable: that would hold every later note of the CRM behind a
 * list that never parses. A call that does not fit is kept with what can be read of it — its id
 * and its text, where our marker would be — so a note of ours is still recognised; a call with
 * neither is left out.
 */
const salvagedCallSchema = z
  .object({
    call: z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String), text: z.unknown() }),
  })
  .transform(({ call }): CrmCall => ({
    id: call.id,
    contactId: typeof call.contact_id === 'string' ? call.contact_id : '',
    callResult: typeof call.call_result === 'string' ? call.call_result : '',
    text: typeof call.text === 'string' ? call.text : JSON.stringify(call.text ?? ''),
    date: typeof call.date === 'string' ? call.date : '',
    phoneNumber: typeof call.phone_number === 'string' ? call.phone_number : '',
    calledVia: typeof call.called_via === 'string' ? call.called_via : '',
    recordingLink: typeof call.recording_link === 'string' ? call.recording_link : '',
    author: typeof call.author === 'string' ? call.author : '',
    modifiedAt: typeof call.modified_at === 'string' ? call.modified_at : '',
  }));

function readListedCall(entry: unknown): CrmCall[] {
  const exact = z.object({ call: callSchema }).safeParse(entry);
  if (exact.success) return [exact.data.call];
  const salvaged = salvagedCallSchema.safeParse(entry);
  return salvaged.success ? [salvaged.data] : [];
}

const callListSchema = z
  .object({
    data: z.object({
      calls: z.array(z.unknown()),
      total_count: z.number().int().nonnegative(),
      page: z.number().int().positive(),
      max_page: z.number().int().nonnegative(),
      per_page: z.number().int().positive(),
    }),
  })
  .transform(({ data }) => ({
    calls: data.calls.flatMap(readListedCall),
    totalCount: data.total_count,
    page: data.page,
    maxPage: data.max_page,
  }));

const deletedSchema = z.object({ data: z.unknown() });

/**
 * The 4xx envelope: {"status":400,"message":..,"error_name":..,"error_message":..,"errors":..}
 * (NOTES). `errors` names the fields at fault; they are what a user needs to fix the note.
 */
export function crmErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const envelope = body as Record<string, unknown>;
  const head = [envelope.error_message, envelope.message].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  const fields = describeFieldErrors(envelope.errors);
  if (head && fields) return `${head} (${fields})`;
  return head ?? fields;
}

function describeFieldErrors(errors: unknown): string | undefined {
  if (typeof errors === 'string') return errors.trim() || undefined;
  if (Array.isArray(errors)) {
    const parts = errors.filter((e): e is string => typeof e === 'string' && e.trim() !== '');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (typeof errors !== 'object' || errors === null) return undefined;
  const parts: string[] = [];
  for (const [field, problem] of Object.entries(errors)) {
    const said = Array.isArray(problem) ? problem.filter((p) => typeof p === 'string').join(', ') : problem;
    if (typeof said === 'string' && said.trim() !== '') parts.push(`${field}: ${said}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** HTTP Basic credentials (RFC 7617) as UTF-8: `btoa` alone throws on any non-Latin-1 character. */
export function basicAuthorization(userId: string, apiKey: string): string {
  const bytes = new TextEncoder().encode(`${userId}:${apiKey}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function invalidInput(message: string): ServiceError {
  return new ServiceError({ kind: 'invalid', service: SERVICE, message });
}

function pathId(id: string, what: string): string {
  if (!ID_PATTERN.test(id)) throw invalidInput(`"${id.slice(0, 80)}" is not a CRM ${what} ID`);
  return id;
}

function endpoint(config: CrmConfig, path: string, query: Record<string, string | number | undefined> = {}): URL {
  const url = new URL(`${config.baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

function send<T>(
  config: CrmConfig,
  method: HttpMethod,
  url: URL,
  schema: z.ZodType<T>,
  signal: AbortSignal | undefined,
  json?: unknown,
): Promise<T> {
  return request({
    service: SERVICE,
    method,
    url,
    json,
    schema,
    signal,
    headers: { Authorization: basicAuthorization(config.userId, config.apiKey) },
    errorMessage: crmErrorMessage,
  }).then((response) => response.data);
}

/** The snake_case body the reference's Resource Fields name; absent fields are left out. */
function callBody(fields: CallChanges): Record<string, string> {
  if (fields.date !== undefined && !DATE_PATTERN.test(fields.date)) {
    throw invalidInput(`the call date must be YYYY-MM-DD, not "${fields.date.slice(0, 40)}"`);
  }
  if (fields.callResult !== undefined && !(CALL_RESULTS as readonly string[]).includes(fields.callResult)) {
    throw invalidInput(`the call result must be one of ${CALL_RESULTS.join(', ')}`);
  }
  const body: Record<string, string> = {};
  if (fields.callResult !== undefined) body.call_result = fields.callResult;
  if (fields.text !== undefined) body.text = fields.text;
  // The call time: the reference's only time field on a call is `date` (type date, "Date related
  // to the call's creation"; its sample holds "2013-09-08"). It names no time-of-day or unix field,
  // so we send the calendar day only; a time of day, if wanted, belongs in the note, as the
  // reference's sample text does ("Called Caller at 15:42 on 1234545").
  if (fields.date !== undefined) body.date = fields.date;
  if (fields.phoneNumber !== undefined) body.phone_number = fields.phoneNumber;
  if (fields.calledVia !== undefined) body.called_via = fields.calledVia;
  if (fields.recordingLink !== undefined) body.recording_link = fields.recordingLink;
  return body;
}

/**
 * Logs a call: `POST /contacts/{contact_id}/calls.json?partial=1`. With `partial=1` the CRM fills
 * the fields we leave out with defaults (reference, URLs table), so an empty recording link or
 * phone number is simply not sent. Not idempotent: when the thrown Failure has `mayHaveReached`,
 * reconcile with `listCallsSince` and `findMatchingCall` before sending again.
 */
export async function createCall(config: CrmConfig, note: NewCall, signal?: AbortSignal): Promise<CrmCall> {
  const contactId = pathId(note.contactId, 'contact');
  const body = callBody(note);
  for (const key of ['phone_number', 'called_via', 'recording_link'] as const) {
    if (body[key] === '') delete body[key];
  }
  const url = endpoint(config, `/contacts/${encodeURIComponent(contactId)}/calls.json`, { partial: 1 });
  try {
    return await send(config, 'POST', url, singleCallSchema, signal, body);
  } catch (error) {
    // A 2xx whose body we cannot read (an HTML page from a proxy, a cut-off answer) still means
    // the CRM took the call: mark it so the outbox reconciles instead of posting a duplicate.
    if (error instanceof ServiceError && error.failure.kind === 'bad-response') {
      throw new ServiceError({ ...error.failure, mayHaveReached: true });
    }
    throw error;
  }
}

/**
 * Every call matching the query, following `page` up to `max_page` (NOTES: lists carry
 * `page`, `max_page`, `per_page` at most 100). A call seen on two pages (the list shifted while
 * we paged) is returned once.
 */
export async function listCalls(
  config: CrmConfig,
  query: ListCallsQuery = {},
  signal?: AbortSignal,
): Promise<CrmCall[]> {
  const contactId = query.contactId === undefined ? undefined : pathId(query.contactId, 'contact');
  const seen = new Map<string, CrmCall>();
  for (let page = 1; ; page += 1) {
    if (page > MAX_PAGES) {
      throw new ServiceError({
        kind: 'bad-response',
        service: SERVICE,
        message: `more than ${MAX_PAGES} pages of calls`,
      });
    }
    const url = endpoint(config, '/calls.json', {
      contact_id: contactId,
      date_filter: query.dateFilter,
      since: query.since,
      until: query.until,
      page,
      per_page: PER_PAGE,
    });
    const answer = await send(config, 'GET', url, callListSchema, signal);
    // A server that ignores `page` would otherwise be paged until MAX_PAGES.
    if (answer.page !== page) {
      throw new ServiceError({
        kind: 'bad-response',
        service: SERVICE,
        message: `asked for page ${page} of the calls, got page ${answer.page}`,
      });
    }
    for (const found of answer.calls) if (!seen.has(found.id)) seen.set(found.id, found);
    if (answer.calls.length === 0 || page >= answer.maxPage) break;
  }
  return [...seen.values()];
}

/**
 * A contact's calls created since `sinceUnix` (unix seconds, inclusive), for reconciling a create
 * whose answer was lost (NOTES: `date_filter=created_at&since=<unix>`). `since` is compared with
 * the CRM's clock: pass `reconcileSince(firstAttemptAtMs)`, not the bare attempt time.
 */
export function listCallsSince(
  config: CrmConfig,
  contactId: string,
  sinceUnix: number,
  signal?: AbortSignal,
): Promise<CrmCall[]> {
  return listCalls(config, { contactId, dateFilter: 'created_at', since: Math.floor(sinceUnix) }, signal);
}

/**
 * How far before the first attempt to look when reconciling: the CRM stamps `created_at` with its
 * own clock, and a browser's clock can be minutes (or a misset hour) off. A day more of one
 * contact's calls is a small page; missing the call would post it twice.
 */
export const RECONCILE_MARGIN_SECONDS = 24 * 60 * 60;

/** The `since` (unix seconds) to reconcile a note first sent at `firstAttemptAtMs`. */
export function reconcileSince(firstAttemptAtMs: number): number {
  return Math.max(0, Math.floor(firstAttemptAtMs / 1000) - RECONCILE_MARGIN_SECONDS);
}

/** `GET /calls/{id}.json`. */
export async function getCall(config: CrmConfig, callId: string, signal?: AbortSignal): Promise<CrmCall> {
  const url = endpoint(config, `/calls/${encodeURIComponent(pathId(callId, 'call'))}.json`);
  return send(config, 'GET', url, singleCallSchema, signal);
}

/** `PUT /calls/{id}.json?partial=1`: changes only the fields given. Safe to repeat. */
export async function updateCall(
  config: CrmConfig,
  callId: string,
  changes: CallChanges,
  signal?: AbortSignal,
): Promise<CrmCall> {
  const body = callBody(changes);
  const url = endpoint(config, `/calls/${encodeURIComponent(pathId(callId, 'call'))}.json`, { partial: 1 });
  return send(config, 'PUT', url, singleCallSchema, signal, body);
}

/**
 * `DELETE /calls/{id}.json`. A repeat after a lost answer fails with 'not-found', which then
 * means the call is gone.
 */
export async function deleteCall(config: CrmConfig, callId: string, signal?: AbortSignal): Promise<void> {
  const url = endpoint(config, `/calls/${encodeURIComponent(pathId(callId, 'call'))}.json`);
  await send(config, 'DELETE', url, deletedSchema, signal);
}

/** The calendar day (YYYY-MM-DD) of `at` in this browser's time zone: the `date` of a call. */
export function localCallDate(at: Date): string {
  const month = String(at.getMonth() + 1).padStart(2, '0');
  const day = String(at.getDate()).padStart(2, '0');
  return `${String(at.getFullYear()).padStart(4, '0')}-${month}-${day}`;
}

const MARKER_LABEL = 'logged via CRM Call Companion';
const REF_PATTERN = /\[ref ([0-9a-f]{8})\]/g;

/**
 * A short, stable reference for an outbox entry: 8 hex digits of FNV-1a (32-bit) over the entry
 * id's UTF-8 bytes, so any id format gives the same short marker.
 */
export function entryRef(entryId: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(entryId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Appends "— logged via CRM Call Companion [ref 8f3a2c1d]" on its own line, so the note can be
 * recognised on the CRM after a lost answer (the calls resource has no idempotency key). Adding
 * it twice leaves the text unchanged.
 */
export function withEntryMarker(text: string, entryId: string): string {
  const ref = entryRef(entryId);
  if (refsIn(text).includes(ref)) return text;
  const body = text.trimEnd();
  const marker = `— ${MARKER_LABEL} [ref ${ref}]`;
  return body === '' ? marker : `${body}\n\n${marker}`;
}

function refsIn(text: string): string[] {
  return [...text.matchAll(REF_PATTERN)].map((match) => match[1]!);
}

/**
 * The ref of the entry a call was logged from: the last marker in its text (a note pasted from an
 * earlier one may carry that one's marker too), or undefined for a call we did not log.
 */
export function noteRef(text: string): string | undefined {
  return refsIn(text).at(-1);
}

/** What `findMatchingCall` compares: the note as it was (or would be) sent. */
export type SentNote = Pick<NewCall, 'text' | 'callResult' | 'date'> &
  Partial<Pick<NewCall, 'contactId' | 'phoneNumber'>>;

/**
 * Whether a note that may already have reached the CRM is among `calls` (from `listCallsSince`).
 * When the note carries a marker (`withEntryMarker`), only a call with the same ref matches: the
 * ref survives the user editing the note on the CRM. The last marker in the note is its own (a
 * note pasted from an earlier one may carry that one's marker too). Without a marker, a call
 * matches on the same phone number (digits only), result, date and text (line endings and
 * surrounding whitespace aside) — which can also match an identical earlier call, hence markers.
 */
export function findMatchingCall(calls: readonly CrmCall[], note: SentNote): CrmCall | undefined {
  const candidates = calls.filter((c) => !note.contactId || !c.contactId || c.contactId === note.contactId);
  const ref = refsIn(note.text).at(-1);
  if (ref !== undefined) return candidates.find((c) => refsIn(c.text).includes(ref));
  const text = normaliseText(note.text);
  const phone = digitsOf(note.phoneNumber ?? '');
  return candidates.find(
    (c) =>
      c.callResult === note.callResult &&
      c.date === note.date &&
      digitsOf(c.phoneNumber) === phone &&
      normaliseText(c.text) === text,
  );
}

function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

function digitsOf(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** The CRM calls resource as a registered service (lib/providers/index.ts). */
export const crm: ServiceDefinition<CrmConfig> = {
  id: 'crm',
  name: SERVICE,
  resolveConfig(settings, secrets): ResolvedConfig<CrmConfig> {
    const baseUrl = settings.crm.baseUrl;
    const userId = settings.crm.userId;
    const apiKey = secrets.crm.apiKey;
    const missing = [...(baseUrl ? [] : ['base URL']), ...(userId ? [] : ['user ID']), ...(apiKey ? [] : ['API key'])];
    return missing.length > 0 ? { ok: false, missing } : { ok: true, config: { baseUrl, userId, apiKey } };
  },
  baseUrl(config) {
    return config.baseUrl;
  },
  async testConnection(config, signal) {
    // One call on one page: the cheapest read that proves the user ID and key together.
    const url = endpoint(config, '/calls.json', { page: 1, per_page: 1 });
    const answer = await send(config, 'GET', url, callListSchema, signal);
    const count = answer.totalCount === 1 ? '1 call' : `${answer.totalCount} calls`;
    return `Connected as user ${config.userId}: ${count} logged.`;
  },
};
