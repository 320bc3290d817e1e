/**
 * Call-Em-All simulator: contact lists and their members, contacts, broadcasts and the opt-out
 * feed, behind a real OAuth 1.0a HMAC-SHA1 check (one-legged: AppKey, SecretKey, AuthToken, empty
 * token secret). Shapes follow ../shared/seeds/call-em-all-api.txt; feeds page with `page` and
 * `pagesize` and link pages as paths from the API root ("/v1/optouts?...&page=2"), as the text's
 * examples do. Errors use the envelope lib/providers/callemall.ts reads:
 * `{"Message": "...", "ErrorCode": n}`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../credentials.ts';
import { createMalform } from '../malform.ts';
import { json, parseJson, type ServiceSimulator, type SimRequest, type SimResponse } from '../types.ts';

interface ContactRecord {
  PersonID: number;
  FirstName: string;
  LastName: string;
  PrimaryPhone: string;
  SecondaryPhone: string;
  TertiaryPhone: string;
  Notes: string;
  /** The caller's own reference ("Create Contact" takes it; feeds return it). */
  IntegrationData: string;
  DoNotCallPrimaryPhone: boolean;
  LastUpdated: string;
  deleted: boolean;
}

interface ListRecord {
  ListID: number;
  ListType: 'System' | 'User';
  ListName: string;
  ListDescription: string;
  LastUpdated: string;
  // PersonIDs, in the order they were added (User lists only).
  members: number[];
}

interface OptOutRecord {
  FirstName: string;
  LastName: string;
  PhoneNumber: string;
  Notes: string;
  OptOutDate: string;
  DoNotCall: boolean;
  DoNotText: boolean;
  GlobalOptOut: boolean;
}

interface BroadcastRecord {
  BroadcastID: number;
  BroadcastName: string;
  BroadcastType: string;
  BroadcastStatus: string;
  CreatedDate: string;
  StartDate: string;
  CallerID: string | null;
  PhoneNumberCount: number;
  Lists: number[];
  Contacts: unknown[];
  Audio: { AudioID: string } | null;
  TextMessage: string | null;
}

interface State {
  contacts: ContactRecord[];
  lists: ListRecord[];
  optOuts: OptOutRecord[];
  broadcasts: BroadcastRecord[];
  nextPersonId: number;
  nextListId: number;
  nextBroadcastId: number;
  // Nonces already used with their timestamp (replay protection).
  nonces: Set<string>;
}

export interface CallEmAllSimulatorOptions {
  /** Items per feed page when the request names no pagesize; the reference's examples use 10. */
  pageSize?: number;
}

const VERSION_ROOT = '/v1';
const MAX_PAGE_SIZE = 100;
const TIMESTAMP_WINDOW_S = 300;
const NANP = /^[2-9]\d{2}[2-9]\d{6}$/;
const START_DATE = /^(1[0-2]|[1-9])\/([1-9]|[12]\d|3[01])\/\d{4} (1[0-2]|[1-9]):[0-5]\d(AM|PM)$/;
const BROADCAST_TYPES = new Set(['Announcement', 'Survey', 'SMS', 'TransferAndConnect', 'Combo']);
const SYSTEM_LISTS = { deleted: -2, unfiled: -1, everyone: 0 } as const;

// A deterministic account: 3 system lists, 8 user lists, 16 contacts (one do-not-call), 32 opt-outs.
function seed(): State {
  const contactRows: [string, string, string, string][] = [
    ['Bob', 'White', '5855550337', ''],
    ['Will', 'Grey', '5855550339', ''],
    ['Maria', 'Lopez', '2145550101', 'cell'],
    ['Jamal', 'Carter', '2145550102', 'Acme Freight'],
    ['Ellen', 'Park', '2145550103', ''],
    ['Tom', 'Nguyen', '9725550104', 'prefers mornings'],
    ['Sara', 'Kim', '9725550105', ''],
    ['Raj', 'Patel', '4695550106', 'Northwind, ext. 210'],
    ['Lucy', 'Brown', '4695550107', ''],
    ['Owen', 'Davis', '8175550108', ''],
    ['Nina', 'Rossi', '8175550109', 'Spanish speaker'],
    ['Hank', 'Miller', '2145550110', ''],
    ['Priya', 'Shah', '2145550111', 'VIP'],
    ['Dana', 'Nocall', '2145550199', 'asked not to be called'],
    ['Carl', 'Evans', '2145550112', ''],
    ['Gone', 'Away', '2145550113', 'deleted contact'],
  ];
  const contacts: ContactRecord[] = contactRows.map(([FirstName, LastName, PrimaryPhone, Notes], i) => ({
    PersonID: 4951300 + i,
    FirstName,
    LastName,
    PrimaryPhone,
    SecondaryPhone: '',
    TertiaryPhone: '',
    Notes,
    IntegrationData: '',
    DoNotCallPrimaryPhone: PrimaryPhone === '2145550199',
    LastUpdated: `2024-03-${String(1 + i).padStart(2, '0')} 10:00:00.000-0600`,
    deleted: LastName === 'Away',
  }));
  const id = (last: string) => contacts.find((c) => c.LastName === last)!.PersonID;
  const user = (ListID: number, ListName: string, ListDescription: string, members: number[]): ListRecord => ({
    ListID,
    ListType: 'User',
    ListName,
    ListDescription,
    LastUpdated: `2024-0${1 + (ListID % 9)}-15 09:30:00.000-0600`,
    members,
  });
  const system = (ListID: number, ListName: string): ListRecord => ({
    ListID,
    ListType: 'System',
    ListName,
    ListDescription: '',
    LastUpdated: '2015-12-28 16:14:20.613-0600',
    members: [],
  });
  const lists: ListRecord[] = [
    system(SYSTEM_LISTS.deleted, 'Deleted'),
    system(SYSTEM_LISTS.everyone, 'Everyone'),
    system(SYSTEM_LISTS.unfiled, 'Unfiled'),
    user(31, 'Spring Renewals', 'Renewals due March to May', [id('White'), id('Grey'), id('Lopez')]),
    user(32, 'Webinar Leads', 'Signed up for the April webinar', [id('Carter'), id('Park'), id('Nguyen'), id('Kim')]),
    user(33, 'Past Customers 2023', '', [id('Patel'), id('Brown')]),
    user(34, 'Trade Show - Dallas', 'Badge scans', [id('Davis'), id('Rossi'), id('Nocall')]),
    user(35, 'Callback Requests', 'Asked for a call back', []),
    user(36, 'VIP Accounts', '', [id('Shah')]),
    user(37, 'Cold Leads Q3', '', [id('Miller')]),
    user(38, 'Newsletter SMS', 'Text-only list', []),
  ];
  const optOuts: OptOutRecord[] = [];
  for (let i = 0; i < 31; i += 1) {
    const day = new Date(Date.UTC(2020, 8, 15) + i * 3 * 86_400_000);
    optOuts.push({
      FirstName: i % 4 === 0 ? 'Opted' : '',
      LastName: i % 4 === 0 ? `Out ${i}` : '',
      PhoneNumber: `972555${String(2000 + i).padStart(4, '0')}`,
      Notes: '',
      OptOutDate: `${day.toISOString().slice(0, 10)} 16:18:47-0500`,
      DoNotCall: i % 3 !== 2,
      DoNotText: i % 2 === 0,
      GlobalOptOut: false,
    });
  }
  optOuts.push({
    FirstName: 'Dana',
    LastName: 'Nocall',
    PhoneNumber: '2145550199',
    Notes: 'asked not to be called',
    OptOutDate: '2020-10-05 09:11:34-0500',
    DoNotCall: true,
    DoNotText: true,
    GlobalOptOut: false,
  });
  optOuts.sort((a, b) => a.OptOutDate.localeCompare(b.OptOutDate));
  return {
    contacts,
    lists,
    optOuts,
    broadcasts: [],
    nextPersonId: 4951360,
    nextListId: 39,
    nextBroadcastId: 39610,
    nonces: new Set(),
  };
}

function error(status: number, message: string): SimResponse {
  return json(status, { Message: message, ErrorCode: status });
}

function nowStamp(): string {
  return `${new Date().toISOString().replace('T', ' ').slice(0, 23)}-0000`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// OAuth 1.0a header parameters (RFC 5849 §3.5.1), percent-decoded.
function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) {
    try {
      params[decodeURIComponent(match[1]!)] = decodeURIComponent(match[2]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

export function createCallEmAllSimulator(options: CallEmAllSimulatorOptions = {}): ServiceSimulator {
  const defaultPageSize = options.pageSize ?? 10;
  const credentials = SANDBOX_CREDENTIALS.callemall;
  const oauth = new OAuth({
    consumer: { key: credentials.appKey, secret: credentials.secretKey },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  let state = seed();
  // Like a portal in the way: matching successful answers the client cannot use.
  const malform = createMalform({
    html: '<!DOCTYPE html><html><head><title>Sign in to the Wi-Fi</title></head><body>Please sign in.</body></html>',
    notJson: { contentType: 'application/json; charset=utf-8', body: '{"Size": 3, "Items": [' },
  });

  function authenticate(req: SimRequest): SimResponse | undefined {
    const params = parseOAuthHeader(
      typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
    );
    if (!params) return error(401, 'Authorization has been denied for this request: an OAuth 1.0a header is required.');
    const { oauth_consumer_key: key, oauth_token: token, oauth_signature: signature, oauth_nonce: nonce } = params;
    const timestamp = Number(params.oauth_timestamp);
    if (params.oauth_signature_method !== 'HMAC-SHA1')
      return error(401, 'The OAuth signature method must be HMAC-SHA1.');
    if (params.oauth_version !== undefined && params.oauth_version !== '1.0')
      return error(401, 'The OAuth version must be 1.0.');
    if (!key || !token || !signature || !nonce || !Number.isInteger(timestamp)) {
      return error(401, 'The OAuth header is missing a parameter.');
    }
    if (key !== credentials.appKey) return error(401, 'The AppKey is not recognised.');
    if (token !== credentials.authToken) return error(401, 'The AuthToken is not valid.');
    if (Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S)
      return error(401, 'The OAuth timestamp is out of range.');
    // The base string covers every oauth_* header parameter but the signature (RFC 5849 §3.4.1.3.1).
    const data = Object.fromEntries(
      Object.entries(params).filter(([name]) => name.startsWith('oauth_') && name !== 'oauth_signature'),
    ) as unknown as OAuth.Data;
    // The full URL the client asked for, query included: query parameters are signed.
    const expected = Buffer.from(oauth.getSignature({ url: req.url.href, method: req.method }, '', data));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return error(401, 'The OAuth signature is invalid.');
    }
    const replayKey = `${timestamp}:${nonce}`;
    if (state.nonces.has(replayKey)) return error(401, 'The OAuth nonce has already been used.');
    state.nonces.add(replayKey);
    return undefined;
  }

  function feed(req: SimRequest, items: unknown[]): SimResponse {
    const query = new Map([...req.query].map(([k, v]) => [k.toLowerCase(), v]));
    const page = query.has('page') ? Number(query.get('page')) : 1;
    const size = query.has('pagesize') ? Number(query.get('pagesize')) : defaultPageSize;
    if (!Number.isInteger(page) || page < 1) return error(400, 'page must be a whole number from 1.');
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      return error(400, `pagesize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
    }
    const link = (target: number) => {
      const params = new URLSearchParams(
        [...req.query].filter(([k]) => !['page', 'pagesize'].includes(k.toLowerCase())),
      );
      params.set('pagesize', String(size));
      params.set('page', String(target));
      return `${VERSION_ROOT}${req.path}?${params.toString()}`;
    };
    const pages = Math.max(1, Math.ceil(items.length / size));
    return json(200, {
      Size: items.length,
      Items: items.slice((page - 1) * size, page * size),
      Previous: page > 1 ? link(page - 1) : null,
      Next: page < pages ? link(page + 1) : null,
    });
  }

  const living = () => state.contacts.filter((c) => !c.deleted);
  const contactView = (c: ContactRecord) => ({
    Uri: `${VERSION_ROOT}/contacts/${c.PersonID}`,
    PersonID: c.PersonID,
    FirstName: c.FirstName,
    LastName: c.LastName,
    PrimaryPhone: c.PrimaryPhone,
    SecondaryPhone: c.SecondaryPhone,
    TertiaryPhone: c.TertiaryPhone,
    Notes: c.Notes,
    IntegrationData: c.IntegrationData,
    DoNotCallPrimaryPhone: c.DoNotCallPrimaryPhone,
    DoNotCallSecondaryPhone: false,
    DoNotCallTertiaryPhone: false,
    LastUpdated: c.LastUpdated,
  });

  function membersOf(list: ListRecord): ContactRecord[] {
    if (list.ListID === SYSTEM_LISTS.everyone) return living();
    if (list.ListID === SYSTEM_LISTS.deleted) return state.contacts.filter((c) => c.deleted);
    if (list.ListID === SYSTEM_LISTS.unfiled) {
      const filed = new Set(state.lists.flatMap((l) => l.members));
      return living().filter((c) => !filed.has(c.PersonID));
    }
    return list.members
      .map((pid) => state.contacts.find((c) => c.PersonID === pid))
      .filter((c): c is ContactRecord => !!c && !c.deleted);
  }

  const listView = (list: ListRecord) => ({
    Uri: `${VERSION_ROOT}/lists/${Object.entries(SYSTEM_LISTS).find(([, v]) => v === list.ListID)?.[0] ?? list.ListID}`,
    ListID: list.ListID,
    ListType: list.ListType,
    ListName: list.ListName,
    ListDescription: list.ListDescription,
    SMSName: '',
    IsAutoReplyOn: false,
    AutoReplyMessage: '',
    LastUpdated: list.LastUpdated,
    RosterCount: membersOf(list).length,
  });

  function findList(segment: string): ListRecord | undefined {
    const id =
      segment in SYSTEM_LISTS
        ? SYSTEM_LISTS[segment as keyof typeof SYSTEM_LISTS]
        : /^-?\d+$/.test(segment)
          ? Number(segment)
          : NaN;
    return state.lists.find((l) => l.ListID === id);
  }

  function isDoNotCall(phone: string): boolean {
    return (
      state.optOuts.some((o) => o.PhoneNumber === phone && o.DoNotCall) ||
      state.contacts.some((c) => c.PrimaryPhone === phone && c.DoNotCallPrimaryPhone)
    );
  }

  // Validates a contact model (Create Contact, and Contacts[] of a broadcast).
  function contactProblem(body: Record<string, unknown>): string | undefined {
    const phone = body.PrimaryPhone;
    if (phone === undefined || phone === null || phone === '') return 'PrimaryPhone is required.';
    if (typeof phone !== 'string' || !NANP.test(phone)) return 'PrimaryPhone must be a 10-digit US phone number.';
    for (const field of ['FirstName', 'LastName', 'Notes', 'IntegrationData'] as const) {
      if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string')
        return `${field} must be a string.`;
    }
    if (typeof body.Notes === 'string' && body.Notes.length > 50) return 'Notes can be at most 50 characters.';
    return undefined;
  }

  function createContact(req: SimRequest): SimResponse {
    const body = parseJson(req);
    if (!isRecord(body)) return error(400, 'The request body must be a JSON contact.');
    const problem = contactProblem(body);
    if (problem) return error(400, problem);
    const phone = body.PrimaryPhone as string;
    const contact: ContactRecord = {
      PersonID: state.nextPersonId++,
      FirstName: typeof body.FirstName === 'string' ? body.FirstName : '',
      LastName: typeof body.LastName === 'string' ? body.LastName : '',
      PrimaryPhone: phone,
      SecondaryPhone: '',
      TertiaryPhone: '',
      Notes: typeof body.Notes === 'string' ? body.Notes : '',
      IntegrationData: typeof body.IntegrationData === 'string' ? body.IntegrationData : '',
      // The account's do-not-call list applies to a new contact with a known number.
      DoNotCallPrimaryPhone: isDoNotCall(phone),
      LastUpdated: nowStamp(),
      deleted: false,
    };
    state.contacts.push(contact);
    return json(201, contactView(contact), { Location: `${req.baseUrl}/contacts/${contact.PersonID}` });
  }

  function createList(req: SimRequest): SimResponse {
    const body = parseJson(req);
    if (!isRecord(body)) return error(400, 'The request body must be a JSON contact list.');
    if (typeof body.ListName !== 'string' || body.ListName.trim() === '') return error(400, 'ListName is required.');
    if (
      body.ListDescription !== undefined &&
      body.ListDescription !== null &&
      typeof body.ListDescription !== 'string'
    ) {
      return error(400, 'ListDescription must be a string.');
    }
    if (state.lists.some((l) => l.ListName.toLowerCase() === (body.ListName as string).trim().toLowerCase())) {
      return error(409, `A list named "${body.ListName}" already exists.`);
    }
    const list: ListRecord = {
      ListID: state.nextListId++,
      ListType: 'User',
      ListName: body.ListName.trim(),
      ListDescription: typeof body.ListDescription === 'string' ? body.ListDescription : '',
      LastUpdated: nowStamp(),
      members: [],
    };
    state.lists.push(list);
    return json(201, listView(list), { Location: `${req.baseUrl}/lists/${list.ListID}` });
  }

  // Our reading (see lib/providers/callemall.ts): POST /lists/{id}/contacts [{"PersonID": n}].
  function addMembers(req: SimRequest, list: ListRecord): SimResponse {
    if (list.ListType !== 'User') return error(400, `Contacts cannot be added to the ${list.ListName} list.`);
    const body = parseJson(req);
    if (!Array.isArray(body) || body.length === 0) {
      return error(400, 'The request body must be a non-empty JSON array of {"PersonID": n}.');
    }
    const ids: number[] = [];
    for (const entry of body) {
      if (!isRecord(entry) || !Number.isInteger(entry.PersonID) || Object.keys(entry).some((k) => k !== 'PersonID')) {
        return error(400, 'Each entry must be {"PersonID": n}.');
      }
      const pid = entry.PersonID as number;
      if (!state.contacts.some((c) => c.PersonID === pid && !c.deleted))
        return error(400, `Contact ${pid} does not exist.`);
      ids.push(pid);
    }
    for (const pid of ids) if (!list.members.includes(pid)) list.members.push(pid);
    return json(200, listView(list));
  }

  function createBroadcast(req: SimRequest): SimResponse {
    const body = parseJson(req);
    if (!isRecord(body)) return error(400, 'The request body must be a JSON broadcast.');
    if (typeof body.BroadcastName !== 'string' || !body.BroadcastName.trim())
      return error(400, 'BroadcastName is required.');
    if (typeof body.BroadcastType !== 'string' || !BROADCAST_TYPES.has(body.BroadcastType)) {
      return error(400, `BroadcastType must be one of ${[...BROADCAST_TYPES].join(', ')}.`);
    }
    if (typeof body.StartDate !== 'string' || !START_DATE.test(body.StartDate)) {
      return error(400, 'StartDate must look like 2/1/2020 1:15PM.');
    }
    const lists = body.Lists ?? [];
    const contacts = body.Contacts ?? [];
    if (!Array.isArray(lists) || !Array.isArray(contacts)) return error(400, 'Lists and Contacts must be arrays.');
    const listIds: number[] = [];
    for (const entry of lists) {
      if (!isRecord(entry) || !Number.isInteger(entry.ListID)) return error(400, 'Each list must be {"ListID": n}.');
      const list = state.lists.find((l) => l.ListID === entry.ListID);
      if (!list) return error(400, `List ${String(entry.ListID)} does not exist.`);
      listIds.push(list.ListID);
    }
    for (const entry of contacts) {
      const problem = isRecord(entry) ? contactProblem(entry) : 'Each contact must be an object.';
      if (problem) return error(400, `Contacts: ${problem}`);
    }
    if (listIds.length === 0 && contacts.length === 0) return error(400, 'A broadcast needs Lists or Contacts.');
    const audio =
      isRecord(body.Audio) && typeof body.Audio.AudioID === 'string' && body.Audio.AudioID
        ? { AudioID: body.Audio.AudioID }
        : null;
    const text = typeof body.TextMessage === 'string' && body.TextMessage.trim() ? body.TextMessage : null;
    if (body.BroadcastType === 'SMS' && !text) return error(400, 'TextMessage is required for an SMS broadcast.');
    if (body.BroadcastType === 'Announcement' && !audio)
      return error(400, 'Audio.AudioID is required for an Announcement.');
    const phones = new Set<string>();
    for (const id of listIds)
      for (const c of membersOf(state.lists.find((l) => l.ListID === id)!)) phones.add(c.PrimaryPhone);
    for (const c of contacts as Record<string, unknown>[]) phones.add(c.PrimaryPhone as string);
    const broadcast: BroadcastRecord = {
      BroadcastID: state.nextBroadcastId++,
      BroadcastName: body.BroadcastName.trim(),
      BroadcastType: body.BroadcastType,
      BroadcastStatus: 'Pending',
      CreatedDate: nowStamp(),
      StartDate: body.StartDate,
      CallerID: typeof body.CallerID === 'string' ? body.CallerID : null,
      PhoneNumberCount: phones.size,
      Lists: listIds,
      Contacts: contacts,
      Audio: audio,
      TextMessage: text,
    };
    state.broadcasts.push(broadcast);
    return json(201, broadcastView(broadcast), { Location: `${req.baseUrl}/broadcasts/${broadcast.BroadcastID}` });
  }

  const broadcastView = (b: BroadcastRecord) => ({
    Uri: `${VERSION_ROOT}/broadcasts/${b.BroadcastID}`,
    UriBroadcastDetails: `${VERSION_ROOT}/broadcasts/${b.BroadcastID}/details`,
    BroadcastID: b.BroadcastID,
    BroadcastName: b.BroadcastName,
    BroadcastType: b.BroadcastType,
    BroadcastStatus: b.BroadcastStatus,
    BroadcastStatusCategory: 'Scheduled',
    CreatedDate: b.CreatedDate,
    StartDate: b.StartDate,
    CallerID: b.CallerID,
    CreditsUsed: 0,
    PhoneNumberCount: b.PhoneNumberCount,
    TotalCompleted: 0,
    Audio: b.Audio ? { Uri: `${VERSION_ROOT}/audio/${b.Audio.AudioID}`, AudioID: b.Audio.AudioID } : null,
    TextMessage: b.TextMessage,
  });

  function optOuts(req: SimRequest): SimResponse {
    const from = req.query.get('date-from');
    if (from !== null && !/^\d{4}-\d{2}-\d{2}$/.test(from)) return error(400, 'date-from must be YYYY-MM-DD.');
    const items = state.optOuts.filter((o) => from === null || o.OptOutDate.slice(0, 10) >= from);
    return feed(req, items);
  }

  function route(req: SimRequest): SimResponse {
    const { method, path } = req;
    if (path === '/lists') {
      if (method === 'GET') return feed(req, state.lists.map(listView));
      if (method === 'POST') return createList(req);
    }
    const listMatch = /^\/lists\/([\w-]+)(\/contacts)?$/.exec(path);
    if (listMatch) {
      const list = findList(listMatch[1]!);
      if (!list) return error(404, `List ${listMatch[1]} was not found.`);
      if (!listMatch[2] && method === 'GET') return json(200, listView(list));
      if (listMatch[2] && method === 'GET') return feed(req, membersOf(list).map(contactView));
      if (listMatch[2] && method === 'POST') return addMembers(req, list);
    }
    if (path === '/contacts') {
      if (method === 'GET') return feed(req, living().map(contactView));
      if (method === 'POST') return createContact(req);
    }
    const contactMatch = /^\/contacts\/(\d+)$/.exec(path);
    if (contactMatch && method === 'GET') {
      const contact = living().find((c) => c.PersonID === Number(contactMatch[1]));
      return contact ? json(200, contactView(contact)) : error(404, `Contact ${contactMatch[1]} was not found.`);
    }
    if (contactMatch && method === 'DELETE') {
      // "Delete Contact": the contact moves to the Deleted folder (and leaves its lists).
      const contact = living().find((c) => c.PersonID === Number(contactMatch[1]));
      if (!contact) return error(404, `Contact ${contactMatch[1]} was not found.`);
      contact.deleted = true;
      contact.LastUpdated = nowStamp();
      return { status: 204 };
    }
    if (path === '/broadcasts') {
      if (method === 'GET') return feed(req, state.broadcasts.map(broadcastView));
      if (method === 'POST') return createBroadcast(req);
    }
    if (path === '/optouts' && method === 'GET') return optOuts(req);
    return error(404, `No resource at ${method} ${path}.`);
  }

  return {
    id: 'callemall',
    prefix: SERVICE_PREFIXES.callemall,
    reset() {
      state = seed();
      malform.reset();
    },
    handle(req) {
      return malform.apply(req, authenticate(req) ?? route(req));
    },
    errorResponse: error,
    state() {
      return {
        contacts: state.contacts.map((c) => ({ ...c })),
        lists: state.lists.map((l) => ({ ...listView(l), members: membersOf(l).map((c) => c.PersonID) })),
        optOuts: state.optOuts.map((o) => ({ ...o })),
        broadcasts: state.broadcasts.map((b) => ({ ...b })),
      };
    },
    control(action, body) {
      const input = isRecord(body) ? body : {};
      if (action === 'malform') return malform.control(body);
      if (action === 'mark-dnc') {
        const phone =
          typeof input.phone === 'string' ? input.phone.replace(/\D/g, '').replace(/^1(\d{10})$/, '$1') : '';
        if (!NANP.test(phone)) return json(400, { error: 'phone is a 10-digit US number' });
        for (const c of state.contacts) if (c.PrimaryPhone === phone) c.DoNotCallPrimaryPhone = true;
        state.optOuts.push({
          FirstName: '',
          LastName: '',
          PhoneNumber: phone,
          Notes: '',
          OptOutDate: nowStamp(),
          DoNotCall: true,
          DoNotText: false,
          GlobalOptOut: false,
        });
        return json(200, { ok: true });
      }
      return json(404, { error: `unknown control ${action}; try malform or mark-dnc` });
    },
  };
}
