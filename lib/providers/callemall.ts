/**
 * Call-Em-All (Text-Em-All) REST API v1: contact lists are the "campaigns" a number is added to;
 * also contacts, broadcasts and the opt-out feed. Reference: ../shared/seeds/call-em-all-api.txt,
 * our reading of it: ../shared/api/NOTES.md "Call-Em-All".
 *
 * Auth is OAuth 1.0a HMAC-SHA1, one-legged (NOTES.md): consumer key = AppKey, consumer secret =
 * SecretKey, token = AuthToken, empty token secret. The `oauth-1.0a` package does the
 * canonicalisation (nonce, timestamp, base string, signing key, header); WebCrypto computes the
 * HMAC, because the package's hash_function is synchronous and a service worker has no sync HMAC.
 *
 * Errors: the reference documents no error envelope. We read `{"Message": "...", "ErrorCode": n}`
 * (the ASP.NET Web API shape the service's PascalCase models suggest) and also take `message` /
 * `error_description`, so a different real envelope still yields a sentence.
 */
import OAuth from 'oauth-1.0a';
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { request, type HttpMethod } from '../http.ts';
import { SERVICE_NAMES } from '../services.ts';
import type { AddOutcome, Campaign, CampaignProvider, ContactDetails } from './types.ts';

const SERVICE = SERVICE_NAMES.callemall;

export interface CallEmAllConfig {
  /** e.g. "https://rest.call-em-all.com/v1" (staging: "https://staging-rest.call-em-all.com/v1"). */
  baseUrl: string;
  appKey: string;
  secretKey: string;
  authToken: string;
}

/** "Notes: An optional note for the contact. Maximum length is 50 characters." (Create Contact) */
export const CALL_EM_ALL_NOTES_MAX = 50;

// A broken or endless chain of Next links must not loop forever.
const MAX_FEED_PAGES = 500;

// ---------------------------------------------------------------------------------------------
// Response schemas. Fields the extension does not use are let through untyped.

const feedSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    Size: z.number().int().nonnegative(),
    Items: z.array(item),
    Previous: z.string().nullish(),
    Next: z.string().nullish(),
  });

const listSchema = z.looseObject({
  Uri: z.string().nullish(),
  ListID: z.number().int(),
  ListType: z.string(),
  ListName: z.string(),
  ListDescription: z.string().nullish(),
  LastUpdated: z.string().nullish(),
  RosterCount: z.number().int().nullish(),
});
export type CallEmAllList = z.output<typeof listSchema>;

const contactSchema = z.looseObject({
  Uri: z.string().nullish(),
  // List-member items in the reference carry only `Uri` ("/v1/contacts/7541"), not PersonID.
  PersonID: z.number().int().nullish(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  PrimaryPhone: z.string().nullish(),
  SecondaryPhone: z.string().nullish(),
  TertiaryPhone: z.string().nullish(),
  Notes: z.string().nullish(),
  IntegrationData: z.string().nullish(),
  DoNotCallPrimaryPhone: z.boolean().nullish(),
  DoNotCallSecondaryPhone: z.boolean().nullish(),
  DoNotCallTertiaryPhone: z.boolean().nullish(),
});
export type CallEmAllContact = z.output<typeof contactSchema>;

const createdContactSchema = contactSchema.extend({ PersonID: z.number().int() });

const optOutSchema = z.looseObject({
  PhoneNumber: z.string(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  Notes: z.string().nullish(),
  OptOutDate: z.string().nullish(),
  DoNotCall: z.boolean(),
  DoNotText: z.boolean(),
  // The reference's own example has `"GlobalOptOut": false"`: tolerate a string there.
  GlobalOptOut: z.union([z.boolean(), z.string()]).nullish(),
});
export type CallEmAllOptOut = z.output<typeof optOutSchema>;

const broadcastSchema = z.looseObject({
  Uri: z.string().nullish(),
  BroadcastID: z.number().int(),
  BroadcastName: z.string().nullish(),
  BroadcastType: z.string().nullish(),
  BroadcastStatus: z.string().nullish(),
  StartDate: z.string().nullish(),
  PhoneNumberCount: z.number().int().nullish(),
});
export type CallEmAllBroadcast = z.output<typeof broadcastSchema>;

function callEmAllErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['Message', 'message', 'ErrorMessage', 'error_description']) {
    if (typeof record[key] === 'string') return record[key];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// OAuth 1.0a signing and the request helper.

/** Fixed nonce and timestamp, for reproducible signatures in tests. */
export interface OAuthFixed {
  nonce: string;
  timestamp: number;
}

/**
 * The `Authorization` header value for one request. The URL's query parameters are part of the
 * signature base string (RFC 5849 §3.4.1.3.1); a JSON body is not (only form bodies are).
 */
export async function signCallEmAllRequest(
  config: Pick<CallEmAllConfig, 'appKey' | 'secretKey' | 'authToken'>,
  method: HttpMethod,
  url: URL,
  fixed?: OAuthFixed,
): Promise<string> {
  const oauth = new OAuth({
    consumer: { key: config.appKey, secret: config.secretKey },
    signature_method: 'HMAC-SHA1',
    // Never called: getSignature() is bypassed so the HMAC can be computed with async WebCrypto.
    hash_function: () => {
      throw new Error('Call-Em-All signatures are computed with WebCrypto');
    },
  });
  const data: OAuth.Data = {
    oauth_consumer_key: config.appKey,
    oauth_nonce: fixed?.nonce ?? oauth.getNonce(),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: fixed?.timestamp ?? oauth.getTimeStamp(),
    oauth_version: '1.0',
    oauth_token: config.authToken,
  };
  // getBaseString merges the query into the object it is given, so it gets a copy.
  const baseString = oauth.getBaseString({ url: url.href, method }, { ...data });
  // One-legged: the token secret is empty, so the key is "SecretKey&".
  const signature = await hmacSha1Base64(oauth.getSigningKey(''), baseString);
  return oauth.toHeader({ ...data, oauth_signature: signature }).Authorization;
}

async function hmacSha1Base64(key: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(text)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

interface CallOptions<T> {
  method?: HttpMethod;
  url: URL;
  json?: unknown;
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

async function callEmAllRequest<T = undefined>(config: CallEmAllConfig, options: CallOptions<T>): Promise<T> {
  const method = options.method ?? 'GET';
  const authorization = await signCallEmAllRequest(config, method, options.url);
  const response = await request<T>({
    service: SERVICE,
    method,
    url: options.url,
    headers: { Authorization: authorization },
    json: options.json,
    schema: options.schema,
    signal: options.signal,
    errorMessage: callEmAllErrorMessage,
  });
  return response.data;
}

function endpoint(config: CallEmAllConfig, path: string, query?: Record<string, string | number | undefined>): URL {
  const url = new URL(`${config.baseUrl.replace(/\/+$/, '')}${path}`);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, String(value));
  }
  // URLSearchParams writes a space as "+", which the OAuth library would sign as a literal plus
  // (it only percent-decodes); "%20" is read the same by both ends.
  const search = params.toString().replace(/\+/g, '%20');
  if (search) url.search = search;
  return url;
}

/**
 * Resolves a feed's `Next`/`Previous` link against the base URL. The reference shows links as
 * paths from the API root including the version ("/v1/contacts?page=2") and sometimes without it
 * ("/broadcasts?...&page=2"); both mean "under the base URL", which may itself sit below a path
 * prefix (a proxy, the sandbox). A link to another origin is refused: it would receive our
 * signed request.
 */
export function resolveFeedLink(baseUrl: string, link: string): URL {
  const base = new URL(`${baseUrl.replace(/\/+$/, '')}/`);
  const basePath = base.pathname.replace(/\/+$/, '');
  const trimmed = link.trim();
  let resolved: URL;
  if (/^[a-z][a-z\d+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) {
    resolved = new URL(trimmed, base);
  } else if (trimmed.startsWith('/')) {
    if (basePath === '' || isUnder(trimmed, basePath)) {
      resolved = new URL(trimmed, base.origin);
    } else {
      const version = basePath.slice(basePath.lastIndexOf('/'));
      const rest = isUnder(trimmed, version) ? trimmed.slice(version.length) : trimmed;
      resolved = new URL(`${basePath}${rest}`, base.origin);
    }
  } else {
    resolved = new URL(trimmed, base);
  }
  if (resolved.origin !== base.origin) {
    throw new ServiceError({
      kind: 'bad-response',
      service: SERVICE,
      host: base.host,
      message: `a feed link points to another site (${resolved.host})`,
    });
  }
  return resolved;
}

function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
}

// Pages of a feed (Size, Items, Previous, Next), following Next until it is null.
async function* feedPages<T extends z.ZodType>(
  config: CallEmAllConfig,
  first: URL,
  item: T,
  signal?: AbortSignal,
): AsyncGenerator<{ size: number; items: z.output<T>[] }> {
  const schema = feedSchema(item);
  const seen = new Set<string>();
  let url: URL | undefined = first;
  while (url) {
    if (seen.has(url.href) || seen.size >= MAX_FEED_PAGES) {
      throw new ServiceError({
        kind: 'bad-response',
        service: SERVICE,
        host: url.host,
        message: 'the feed\'s "Next" links never end',
      });
    }
    seen.add(url.href);
    const page: z.output<typeof schema> = await callEmAllRequest(config, { url, schema, signal });
    yield { size: page.Size, items: page.Items };
    url = page.Next ? resolveFeedLink(config.baseUrl, page.Next) : undefined;
  }
}

async function readFeed<T extends z.ZodType>(
  config: CallEmAllConfig,
  first: URL,
  item: T,
  signal?: AbortSignal,
): Promise<z.output<T>[]> {
  const items: z.output<T>[] = [];
  for await (const page of feedPages(config, first, item, signal)) items.push(...page.items);
  return items;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers and dates in the service's formats.

/**
 * The 10-digit NANP number Call-Em-All stores ("PrimaryPhone": "2145555055") for an E.164
 * number, or undefined when it is not a +1 number. Structure per the NANP: area code and
 * exchange both start with 2-9.
 */
export function toCallEmAllPhone(e164: string): string | undefined {
  const match = /^\+1([2-9]\d{2}[2-9]\d{6})$/.exec(e164.trim());
  return match?.[1];
}

function requireCallEmAllPhone(e164: string): string {
  const phone = toCallEmAllPhone(e164);
  if (!phone) {
    throw new ServiceError({
      kind: 'invalid',
      service: SERVICE,
      message: `${e164} is not a US or Canadian (+1) number; Call-Em-All only calls 10-digit North American numbers`,
    });
  }
  return phone;
}

// A stored phone ("2145555055", "(214) 555-5055", "12145555055") as 10 digits, for matching.
function storedPhoneDigits(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return digits.length === 10 ? digits : undefined;
}

/**
 * A broadcast's StartDate as the reference writes it: "2/1/2020 1:15PM" (M/D/YYYY h:mmAM). The
 * service reads it in the user's time zone (set by their State), so pass that zone when known;
 * without it the browser's zone is used.
 */
export function formatCallEmAllDate(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}/${part('day')}/${part('year')} ${part('hour')}:${part('minute')}${part('dayPeriod').toUpperCase()}`;
}

// "YYYY-MM-DD" for `date-from`, in UTC.
function isoDay(value: string | Date): string {
  if (typeof value === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new ServiceError({
        kind: 'invalid',
        service: SERVICE,
        message: `date-from must be YYYY-MM-DD, not "${value}"`,
      });
    }
    return value;
  }
  return value.toISOString().slice(0, 10);
}

function refuse(message: string): never {
  throw new ServiceError({ kind: 'invalid', service: SERVICE, message });
}

/** The PersonID of a contact from a feed: its own field, or the end of its `Uri`. */
export function personIdOf(contact: CallEmAllContact): number | undefined {
  if (typeof contact.PersonID === 'number') return contact.PersonID;
  const match = /\/contacts\/(\d+)\/?$/.exec(contact.Uri ?? '');
  return match ? Number(match[1]) : undefined;
}

function parseListId(value: string | number): number {
  const id = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(id) || (typeof value === 'string' && !/^-?\d+$/.test(value.trim()))) {
    refuse(`"${value}" is not a Call-Em-All list ID`);
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

/** GET /lists, every page. System lists (Everyone, Unfiled, Deleted) included. */
export async function listContactLists(config: CallEmAllConfig, signal?: AbortSignal): Promise<CallEmAllList[]> {
  return readFeed(config, endpoint(config, '/lists'), listSchema, signal);
}

/** POST /lists {ListName, ListDescription}. */
export async function createContactList(
  config: CallEmAllConfig,
  input: { name: string; description?: string },
  signal?: AbortSignal,
): Promise<CallEmAllList> {
  const name = input.name.trim();
  if (!name) refuse('a list needs a name');
  return callEmAllRequest(config, {
    method: 'POST',
    url: endpoint(config, '/lists'),
    json: { ListName: name, ListDescription: input.description ?? '' },
    schema: listSchema,
    signal,
  });
}

/** GET /lists/{id}/contacts, every page. */
export async function listListContacts(
  config: CallEmAllConfig,
  listId: number | string,
  signal?: AbortSignal,
): Promise<CallEmAllContact[]> {
  const url = endpoint(config, `/lists/${encodeURIComponent(String(parseListId(listId)))}/contacts`);
  return readFeed(config, url, contactSchema, signal);
}

/**
 * Adds existing contacts to a list. The reference documents reading and removing list members
 * but not adding them; we read it as `POST /lists/{id}/contacts` with `[{"PersonID": n}, ...]`,
 * mirroring the documented `DELETE /lists/{id}/contacts` whose body "can specify the contacts".
 */
export async function addContactsToList(
  config: CallEmAllConfig,
  listId: number | string,
  personIds: readonly number[],
  signal?: AbortSignal,
): Promise<void> {
  if (personIds.length === 0) refuse('no contacts to add to the list');
  const url = endpoint(config, `/lists/${encodeURIComponent(String(parseListId(listId)))}/contacts`);
  await callEmAllRequest(config, {
    method: 'POST',
    url,
    json: personIds.map((id) => ({ PersonID: id })),
    signal,
  });
}

export interface CallEmAllContactInput {
  /** E.164; must be a +1 (NANP) number. */
  e164: string;
  firstName?: string;
  lastName?: string;
  /** At most 50 characters. */
  notes?: string;
  /** The caller's own reference, returned in feeds ("IntegrationData"): our marker. */
  integrationData?: string;
}

/**
 * POST /contacts: creates a contact in the Everyone list and returns it (with its PersonID).
 * A non-NANP number or Notes over 50 characters is refused before any request.
 */
export async function createContact(
  config: CallEmAllConfig,
  input: CallEmAllContactInput,
  signal?: AbortSignal,
): Promise<CallEmAllContact & { PersonID: number }> {
  const body = contactBody(input);
  return callEmAllRequest(config, {
    method: 'POST',
    url: endpoint(config, '/contacts'),
    json: body,
    schema: createdContactSchema,
    signal,
  });
}

function contactBody(input: CallEmAllContactInput): Record<string, string> {
  const notes = input.notes?.trim();
  if (notes && notes.length > CALL_EM_ALL_NOTES_MAX) {
    refuse(`Notes are at most ${CALL_EM_ALL_NOTES_MAX} characters (these have ${notes.length})`);
  }
  // Key order as in the reference's example: PrimaryPhone, FirstName, LastName, Notes.
  const body: Record<string, string> = { PrimaryPhone: requireCallEmAllPhone(input.e164) };
  if (input.firstName?.trim()) body.FirstName = input.firstName.trim();
  if (input.lastName?.trim()) body.LastName = input.lastName.trim();
  if (notes) body.Notes = notes;
  if (input.integrationData) body.IntegrationData = input.integrationData;
  return body;
}

/** GET /contacts: every contact of the account (the Everyone view), every page. */
export async function listContacts(config: CallEmAllConfig, signal?: AbortSignal): Promise<CallEmAllContact[]> {
  return readFeed(config, endpoint(config, '/contacts'), contactSchema, signal);
}

/**
 * DELETE /contacts/{id} ("Delete Contact": it moves to the Deleted folder, where it can still be
 * restored). A repeat after a lost answer fails with 'not-found', which then means it is gone.
 */
export async function deleteContact(config: CallEmAllConfig, personId: number, signal?: AbortSignal): Promise<void> {
  await callEmAllRequest(config, {
    method: 'DELETE',
    url: endpoint(config, `/contacts/${encodeURIComponent(String(personId))}`),
    signal,
  });
}

export interface CallEmAllBroadcastInput {
  name: string;
  /** The reference names "Announcement" (voice) and "SMS"; other types are passed through. */
  type: string;
  start: Date;
  /** IANA zone StartDate is written in; the user's Call-Em-All State decides how it is read. */
  timeZone?: string;
  contacts?: CallEmAllContactInput[];
  listIds?: number[];
  /** An audio from the message library, for voice broadcasts. */
  audioId?: string;
  /** The text, for SMS broadcasts. */
  textMessage?: string;
  callerId?: string;
  checkCallingWindow?: boolean;
}

/**
 * POST /broadcasts. Voice ("Announcement") broadcasts need `audioId`, "SMS" needs
 * `textMessage`, and there must be someone to call; these are checked before any request.
 */
export async function createBroadcast(
  config: CallEmAllConfig,
  input: CallEmAllBroadcastInput,
  signal?: AbortSignal,
): Promise<CallEmAllBroadcast> {
  const name = input.name.trim();
  if (!name) refuse('a broadcast needs a name');
  if (!input.type.trim()) refuse('a broadcast needs a type');
  const contacts = (input.contacts ?? []).map(contactBody);
  const lists = input.listIds ?? [];
  if (contacts.length === 0 && lists.length === 0) refuse('a broadcast needs at least one contact or list');
  const isSms = input.type === 'SMS';
  if (isSms && !input.textMessage?.trim()) refuse('an SMS broadcast needs the text message');
  if (input.type === 'Announcement' && !input.audioId?.trim())
    refuse('a voice broadcast needs an audio from the library');
  // Field order and shapes as in the reference's Create Broadcast example.
  const body: Record<string, unknown> = {
    BroadcastName: name,
    BroadcastType: input.type,
    StartDate: formatCallEmAllDate(input.start, input.timeZone),
  };
  if (input.callerId) body.CallerID = input.callerId;
  if (input.checkCallingWindow !== undefined) body.CheckCallingWindow = input.checkCallingWindow;
  if (lists.length > 0) body.Lists = lists.map((id) => ({ ListID: id }));
  if (contacts.length > 0) body.Contacts = contacts;
  if (input.audioId?.trim()) body.Audio = { AudioID: input.audioId.trim() };
  if (input.textMessage?.trim()) body.TextMessage = input.textMessage.trim();
  return callEmAllRequest(config, {
    method: 'POST',
    url: endpoint(config, '/broadcasts'),
    json: body,
    schema: broadcastSchema,
    signal,
  });
}

/** GET /optouts[?date-from=YYYY-MM-DD], every page. Without a date, the whole account's list. */
export async function listOptOuts(
  config: CallEmAllConfig,
  options: { dateFrom?: string | Date; pageSize?: number } = {},
  signal?: AbortSignal,
): Promise<CallEmAllOptOut[]> {
  const url = endpoint(config, '/optouts', {
    'date-from': options.dateFrom === undefined ? undefined : isoDay(options.dateFrom),
    pagesize: options.pageSize,
  });
  return readFeed(config, url, optOutSchema, signal);
}

interface ListMatch {
  personId?: number;
  doNotCall: boolean;
}

// Looks through a list's members for the number (any of a contact's three phones).
async function findInList(
  config: CallEmAllConfig,
  listId: number,
  phone: string,
  signal?: AbortSignal,
): Promise<ListMatch | undefined> {
  const url = endpoint(config, `/lists/${encodeURIComponent(String(listId))}/contacts`);
  for await (const page of feedPages(config, url, contactSchema, signal)) {
    for (const contact of page.items) {
      const slots = [
        [contact.PrimaryPhone, contact.DoNotCallPrimaryPhone],
        [contact.SecondaryPhone, contact.DoNotCallSecondaryPhone],
        [contact.TertiaryPhone, contact.DoNotCallTertiaryPhone],
      ] as const;
      const slot = slots.find(([value]) => storedPhoneDigits(value) === phone);
      if (slot) return { personId: personIdOf(contact), doNotCall: slot[1] === true };
    }
  }
  return undefined;
}

// What goes in the contact's 50-character Notes: company and extension, which have no field.
function notesFor(contact: ContactDetails): string | undefined {
  const parts = [contact.company?.trim(), contact.extension?.trim() ? `ext. ${contact.extension.trim()}` : undefined];
  const text = parts.filter(Boolean).join(', ');
  if (!text) return undefined;
  return text.length > CALL_EM_ALL_NOTES_MAX ? `${text.slice(0, CALL_EM_ALL_NOTES_MAX - 1)}…` : text;
}

function doNotCall(e164: string, where: string): AddOutcome {
  return { outcome: 'do-not-call', detail: `${e164} is marked do-not-call ${where}, so it was not added.` };
}

function resolveCallEmAllConfig(
  settings: { callemall: { baseUrl: string } },
  secrets: { callemall: { appKey: string; secretKey: string; authToken: string } },
) {
  const missing: string[] = [];
  const baseUrl = settings.callemall.baseUrl.trim();
  const { appKey, secretKey, authToken } = secrets.callemall;
  if (!appKey.trim()) missing.push('app key');
  if (!secretKey.trim()) missing.push('secret key');
  if (!authToken.trim()) missing.push('auth token');
  if (!baseUrl) missing.push('base URL');
  if (missing.length > 0) return { ok: false as const, missing };
  return {
    ok: true as const,
    config: { baseUrl, appKey: appKey.trim(), secretKey: secretKey.trim(), authToken: authToken.trim() },
  };
}

/**
 * Call-Em-All as a campaign provider: its campaigns are the account's "User" contact lists.
 * Adding a number: look for it in the list (duplicate, or do-not-call if the member is marked
 * so), then in the opt-out feed (do-not-call), and only then create the contact and add it to
 * the list. Nothing is created for a duplicate or a do-not-call number.
 */
export const callEmAll: CampaignProvider<CallEmAllConfig> = {
  id: 'callemall',
  name: SERVICE,
  resolveConfig: resolveCallEmAllConfig,
  baseUrl: (config) => config.baseUrl,

  async testConnection(config, signal) {
    // The first page's Size is the total; no need to read every page.
    const first = await feedPages(config, endpoint(config, '/lists'), listSchema, signal).next();
    const size = first.done ? 0 : first.value.size;
    return `Connected: ${size} ${size === 1 ? 'list' : 'lists'}`;
  },

  async listCampaigns(config, signal): Promise<Campaign[]> {
    const lists = await listContactLists(config, signal);
    // System lists (Everyone, Unfiled, Deleted) are views, not lists a number is added to.
    return lists
      .filter((list) => list.ListType === 'User')
      .map((list): Campaign => ({
        service: 'callemall',
        id: String(list.ListID),
        name: list.ListName,
        status: 'User list',
      }));
  },

  async addNumber(config, campaignId, contact, signal, options): Promise<AddOutcome> {
    const phone = requireCallEmAllPhone(contact.e164);
    const listId = parseListId(campaignId);
    const member = await findInList(config, listId, phone, signal);
    if (member?.doNotCall) return doNotCall(contact.e164, 'on that Call-Em-All contact');
    if (member) {
      return { outcome: 'duplicate', remoteId: member.personId === undefined ? undefined : String(member.personId) };
    }
    const optOuts = await listOptOuts(config, {}, signal);
    if (optOuts.some((o) => o.DoNotCall && storedPhoneDigits(o.PhoneNumber) === phone)) {
      return doNotCall(contact.e164, 'in the Call-Em-All opt-out list');
    }
    const created = await createContact(
      config,
      {
        e164: contact.e164,
        firstName: contact.firstName,
        lastName: contact.lastName,
        notes: notesFor(contact),
        integrationData: options?.reference,
      },
      signal,
    );
    // The service may know the number as do-not-call from elsewhere; then keep it off the list.
    if (created.DoNotCallPrimaryPhone) return doNotCall(contact.e164, 'by Call-Em-All');
    await addContactsToList(config, listId, [created.PersonID], signal);
    return { outcome: 'added', remoteId: String(created.PersonID) };
  },
};
