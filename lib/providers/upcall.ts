/**
 * Upcall: list the campaigns a number can go to, add a number after a duplicate and do-not-call
 * check, read call results and the credit balance.
 * Reference: shared/seeds/upcall-api.md; our reading of it: shared/api/NOTES.md "Upcall".
 */
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { request, type HttpMethod, type HttpResponse } from '../http.ts';
import type { Settings } from '../settings.ts';
import { SERVICE_NAMES, type AllSecrets } from '../services.ts';
import type { AddOutcome, Campaign, CampaignProvider, ContactDetails, ResolvedConfig } from './types.ts';

/** What the Upcall client needs: where the API is and the account's API token. */
export interface UpcallConfig {
  /** e.g. "https://api.upcall.com/api/v1", without a trailing slash. */
  baseUrl: string;
  token: string;
}

/** A campaign as Upcall lists it, whatever its status. */
export interface UpcallCampaign {
  id: string;
  name: string;
  /** `pending`, `ready`, `paused` or `completed` ("Get All Campaigns", status filter). */
  status: string;
}

/** The attributes we send when adding a number; only the ones we know are present. */
export interface UpcallNumberAttributes {
  /** E.164 with the leading "+". */
  phone: string;
  first_name?: string;
  last_name?: string;
  company?: string;
  email?: string;
  extension?: string;
  custom_fields?: Record<string, string | number | boolean>;
}

/** One call attempt on a campaign number ("Get Numbers for a Campaign", `calls[]`). */
export interface UpcallNumberCall {
  id: string;
  status: string;
  note?: string;
  durationSeconds?: number;
  cost?: string;
  costCurrency?: string;
  calledAt?: string;
  recordingUrls: string[];
}

/** One answer an Upcaller recorded ("Get Numbers for a Campaign", `questions[]`). */
export interface UpcallQuestionResult {
  id?: string;
  question: string;
  responseType?: string;
  result?: string;
  fields: string[];
  comment?: string;
}

/** A number in a campaign, with its results so far. */
export interface UpcallCampaignNumber {
  id: string;
  /** `untried`, `incompleted`, `dnc`, `failed`, `completed`, `voicemail` (and `active` on create). */
  status: string;
  phone: string;
  extension?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  email?: string;
  calls: UpcallNumberCall[];
  questions: UpcallQuestionResult[];
}

/** A call as the `/calls` endpoint lists it ("Get All Calls"). */
export interface UpcallCall {
  id: string;
  status: string;
  campaignNumberId?: string;
  from?: string;
  to?: string;
  durationSeconds?: number;
  cost?: string;
  costCurrency?: string;
  calledAt?: string;
  note?: string;
  recordingUrls: string[];
}

/** The account's credit ("Get Current Balance"). */
export interface UpcallBalance {
  amount: number;
  currency: string;
}

const SERVICE = SERVICE_NAMES.upcall;

/**
 * Campaign statuses worth offering (NOTES.md "Upcall"): `ready` campaigns are being called, and a
 * `pending` one becomes ready once it has numbers ("Create a Campaign"); `paused` and `completed`
 * ones would hold the number without calling it.
 */
export const OPEN_CAMPAIGN_STATUSES: readonly string[] = ['ready', 'pending'];

/** The status Upcall gives a number that must not be called ("Get Numbers", status filter). */
export const DO_NOT_CALL_STATUS = 'dnc';

// A safety net against a service whose `links.next` never ends (or loops).
const MAX_PAGES = 1000;

const E164 = /^\+[1-9]\d{6,14}$/;

/** Upcall client; the registry (lib/providers/index.ts) imports it by this name. */
export const upcall: CampaignProvider<UpcallConfig> = {
  id: 'upcall',
  name: SERVICE,

  resolveConfig(settings: Settings, secrets: AllSecrets): ResolvedConfig<UpcallConfig> {
    const baseUrl = settings.upcall.baseUrl.trim().replace(/\/+$/, '');
    const token = secrets.upcall.token.trim();
    const missing: string[] = [];
    if (!baseUrl) missing.push('base URL');
    if (!token) missing.push('API token');
    return missing.length > 0 ? { ok: false, missing } : { ok: true, config: { baseUrl, token } };
  },

  baseUrl(config: UpcallConfig): string {
    return config.baseUrl;
  },

  async testConnection(config: UpcallConfig, signal?: AbortSignal): Promise<string> {
    const campaigns = await listAllCampaigns(config, signal);
    const open = campaigns.filter((c) => OPEN_CAMPAIGN_STATUSES.includes(c.status)).length;
    const balance = await getCreditBalance(config, signal);
    const noun = open === 1 ? 'campaign' : 'campaigns';
    return `Connected: ${open} ready or pending ${noun}, balance ${formatAmount(balance.amount)} ${balance.currency}`;
  },

  async listCampaigns(config: UpcallConfig, signal?: AbortSignal): Promise<Campaign[]> {
    const campaigns = await listAllCampaigns(config, signal);
    return campaigns
      .filter((c) => OPEN_CAMPAIGN_STATUSES.includes(c.status))
      .map((c) => ({ service: 'upcall', id: c.id, name: c.name, status: c.status }));
  },

  async addNumber(
    config: UpcallConfig,
    campaignId: string,
    contact: ContactDetails,
    signal?: AbortSignal,
  ): Promise<AddOutcome> {
    if (!E164.test(contact.e164)) {
      throw new ServiceError({ kind: 'invalid', service: SERVICE, message: `${contact.e164} is not an E.164 number` });
    }
    const existing = await findCampaignNumbers(config, campaignId, contact.e164, signal);
    // Do-not-call is about the line, whatever the extension: never add a number Upcall marks dnc.
    const blocked = existing.find((n) => n.status === DO_NOT_CALL_STATUS);
    if (blocked) {
      return {
        outcome: 'do-not-call',
        detail: `Upcall marks ${contact.e164} do-not-call in this campaign (number ${blocked.id}); it was not added.`,
      };
    }
    // The same switchboard number with another extension reaches someone else, so it is not a
    // duplicate; an entry without extension matches a contact without one.
    const same = existing.find((n) => (n.extension ?? '') === (contact.extension?.trim() ?? ''));
    if (same) return { outcome: 'duplicate', remoteId: same.id, status: same.status };
    const created = await addCampaignNumber(config, campaignId, numberAttributes(contact), signal);
    return { outcome: 'added', remoteId: created.id };
  },
};

/** Every campaign of the account, any status, following `links.next` to the last page. */
export async function listAllCampaigns(config: UpcallConfig, signal?: AbortSignal): Promise<UpcallCampaign[]> {
  // No page[size]: the reference shows page parameters only inside the links it returns, so we
  // take the service's page size and follow its links instead of building page URLs.
  const resources = await collectPages(config, endpoint(config, '/campaigns'), campaignPageSchema, signal);
  return resources.map((r) => ({ id: r.id, name: r.attributes.name, status: r.attributes.status }));
}

/**
 * The entries for one phone number in a campaign (`GET /campaigns/:id/numbers?phone=…`, the "+"
 * omitted as the reference asks). Several entries may share a number; all are returned. The
 * answer is filtered again here so a service that ignored the filter cannot fake a duplicate.
 */
export async function findCampaignNumbers(
  config: UpcallConfig,
  campaignId: string,
  e164: string,
  signal?: AbortSignal,
): Promise<UpcallCampaignNumber[]> {
  const digits = e164.replace(/\D/g, '');
  const url = endpoint(config, `/campaigns/${encodeURIComponent(campaignId)}/numbers`);
  url.searchParams.set('phone', digits);
  const resources = await collectPages(config, url, campaignNumberPageSchema, signal);
  return resources.map(toCampaignNumber).filter((n) => n.phone.replace(/\D/g, '') === digits);
}

/** Every number of a campaign (`GET /campaigns/:id/numbers`), following `links.next`. */
export async function listAllCampaignNumbers(
  config: UpcallConfig,
  campaignId: string,
  signal?: AbortSignal,
): Promise<UpcallCampaignNumber[]> {
  const url = endpoint(config, `/campaigns/${encodeURIComponent(campaignId)}/numbers`);
  const resources = await collectPages(config, url, campaignNumberPageSchema, signal);
  return resources.map(toCampaignNumber);
}

/**
 * Removes a number from a campaign (`DELETE /campaigns/:id/numbers/:number_id`; the reference's
 * curl line says POST, its heading and Ruby example DELETE). A repeat after a lost answer fails
 * with 'not-found', which then means it is gone.
 */
export async function deleteCampaignNumber(
  config: UpcallConfig,
  campaignId: string,
  numberId: string,
  signal?: AbortSignal,
): Promise<void> {
  const path = `/campaigns/${encodeURIComponent(campaignId)}/numbers/${encodeURIComponent(numberId)}`;
  await request({
    service: SERVICE,
    method: 'DELETE',
    url: endpoint(config, path),
    headers: { Authorization: `Token token=${config.token}` },
    signal,
    errorMessage: upcallErrorMessage,
  });
}

/**
 * Adds a number (`POST /campaigns/:id/numbers`). Sends real JSON with `type: campaign_numbers`:
 * the reference's examples are not valid JSON and one says `type: numbers` (NOTES.md "Upcall").
 * Does not check for duplicates; `upcall.addNumber` does.
 */
export async function addCampaignNumber(
  config: UpcallConfig,
  campaignId: string,
  attributes: UpcallNumberAttributes,
  signal?: AbortSignal,
): Promise<UpcallCampaignNumber> {
  const { data } = await call(config, {
    method: 'POST',
    url: endpoint(config, `/campaigns/${encodeURIComponent(campaignId)}/numbers`),
    json: { data: { type: 'campaign_numbers', attributes } },
    schema: singleNumberSchema,
    signal,
  });
  return toCampaignNumber(data);
}

/** One campaign number with its calls and answers (`GET /campaigns/:id/numbers/:number_id`). */
export async function getCampaignNumber(
  config: UpcallConfig,
  campaignId: string,
  numberId: string,
  signal?: AbortSignal,
): Promise<UpcallCampaignNumber> {
  const path = `/campaigns/${encodeURIComponent(campaignId)}/numbers/${encodeURIComponent(numberId)}`;
  const { data } = await call(config, { url: endpoint(config, path), schema: singleNumberSchema, signal });
  return toCampaignNumber(data);
}

/** Every call made in a campaign (`GET /calls?campaign_id=…`), following `links.next`. */
export async function listCampaignCalls(
  config: UpcallConfig,
  campaignId: string,
  signal?: AbortSignal,
): Promise<UpcallCall[]> {
  const url = endpoint(config, '/calls');
  url.searchParams.set('campaign_id', campaignId);
  const resources = await collectPages(config, url, callPageSchema, signal);
  return resources.map(({ id, attributes: a }) => ({
    id,
    status: a.status,
    campaignNumberId: a.campaign_number_id ?? undefined,
    from: a.from ?? undefined,
    to: a.to ?? undefined,
    durationSeconds: a.duration ?? undefined,
    cost: a.cost ?? undefined,
    costCurrency: a.cost_currency ?? undefined,
    calledAt: a.datetime_called ?? undefined,
    note: a.note ?? undefined,
    recordingUrls: a.recording_urls ?? [],
  }));
}

/** The account's credit balance (`GET /credits`). */
export async function getCreditBalance(config: UpcallConfig, signal?: AbortSignal): Promise<UpcallBalance> {
  const { data } = await call(config, { url: endpoint(config, '/credits'), schema: creditsSchema, signal });
  const { currency, credit_balance, pending_balance } = data.data.attributes;
  // The GET example answers `pending_balance`, the POST example `credit_balance`: take either.
  const amount = credit_balance ?? pending_balance;
  if (amount === undefined || amount === null) {
    throw new ServiceError({ kind: 'bad-response', service: SERVICE, message: 'credits: no balance in the answer' });
  }
  return { amount, currency };
}

/**
 * The message in an Upcall error answer. The reference declares an `errors` include but shows
 * no error section, so we read JSON:API error objects (jsonapi.org/format/#error-objects), which
 * the API says it follows: `{"errors":[{"status":"422","title":"…","detail":"…"}]}`, joining the
 * `detail` (or `title`) of each. Rails' plain `{"error":"…"}` is read too, as a fallback.
 */
export function upcallErrorMessage(body: unknown): string | undefined {
  const jsonApi = jsonApiErrorsSchema.safeParse(body);
  if (jsonApi.success) {
    const parts = jsonApi.data.errors.map((e) => (e.detail ?? e.title ?? '').trim()).filter((text) => text !== '');
    if (parts.length > 0) return [...new Set(parts)].join('; ');
  }
  const plain = plainErrorSchema.safeParse(body);
  return plain.success ? plain.data.error : undefined;
}

/** The attributes an add sends for a contact: only the details we have, trimmed. */
export function numberAttributes(contact: ContactDetails): UpcallNumberAttributes {
  const attributes: UpcallNumberAttributes = { phone: contact.e164 };
  const optional = {
    first_name: contact.firstName,
    last_name: contact.lastName,
    company: contact.company,
    email: contact.email,
    extension: contact.extension,
  } as const;
  for (const [key, value] of Object.entries(optional) as [keyof typeof optional, string | undefined][]) {
    const trimmed = value?.trim();
    if (trimmed) attributes[key] = trimmed;
  }
  return attributes;
}

function formatAmount(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

function endpoint(config: UpcallConfig, path: string): URL {
  return new URL(`${config.baseUrl.replace(/\/+$/, '')}${path}`);
}

function call<T>(
  config: UpcallConfig,
  options: { method?: HttpMethod; url: URL; json?: unknown; schema: z.ZodType<T>; signal?: AbortSignal },
): Promise<HttpResponse<T>> {
  return request<T>({
    service: SERVICE,
    method: options.method,
    url: options.url,
    headers: { Authorization: `Token token=${config.token}` },
    json: options.json,
    schema: options.schema,
    signal: options.signal,
    errorMessage: upcallErrorMessage,
  });
}

interface JsonApiPage<T> {
  data: T[];
  links?: { next?: string | null } | null;
}

/**
 * Follows `links.next` until it is absent or null. A link to another origin is refused: the
 * token goes with every request, so it must only go where the user pointed the base URL.
 */
async function collectPages<T>(
  config: UpcallConfig,
  first: URL,
  schema: z.ZodType<JsonApiPage<T>>,
  signal?: AbortSignal,
): Promise<T[]> {
  const origin = new URL(config.baseUrl).origin;
  const seen = new Set<string>();
  const items: T[] = [];
  let url: URL | undefined = first;
  while (url) {
    if (seen.has(url.href) || seen.size >= MAX_PAGES) {
      throw new ServiceError({
        kind: 'bad-response',
        service: SERVICE,
        host: url.host,
        message: 'the pages never end',
      });
    }
    seen.add(url.href);
    const page: HttpResponse<JsonApiPage<T>> = await call(config, { url, schema, signal });
    items.push(...page.data.data);
    const next = page.data.links?.next;
    url = next ? new URL(next, url) : undefined;
    if (url && url.origin !== origin) {
      throw new ServiceError({
        kind: 'bad-response',
        service: SERVICE,
        host: new URL(config.baseUrl).host,
        message: `a page link points to another site (${url.host})`,
      });
    }
  }
  return items;
}

// JSON:API resource ids are strings; a number is accepted and kept as its decimal text.
const resourceId = z.union([z.string().min(1), z.number().int()]).transform(String);
const optionalText = z.string().nullish();
const pageLinks = z.object({ next: z.string().nullish() }).nullish();

const campaignPageSchema = z.object({
  data: z.array(z.object({ id: resourceId, attributes: z.object({ name: z.string(), status: z.string() }) })),
  links: pageLinks,
});

const numberCallSchema = z.object({
  id: resourceId,
  status: z.string(),
  note: optionalText,
  duration: z.number().nullish(),
  cost: z.union([z.string(), z.number()]).transform(String).nullish(),
  cost_currency: optionalText,
  datetime_called: optionalText,
  recording_urls: z.array(z.string()).nullish(),
});

const questionSchema = z.object({
  id: resourceId.nullish(),
  question: z.string(),
  response_type: optionalText,
  result: z.union([z.string(), z.number()]).transform(String).nullish(),
  fields: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
  comment: optionalText,
});

const campaignNumberSchema = z.object({
  id: resourceId,
  attributes: z.object({
    status: z.string(),
    phone: z.string(),
    extension: z.union([z.string(), z.number()]).transform(String).nullish(),
    first_name: optionalText,
    last_name: optionalText,
    company: optionalText,
    email: optionalText,
    calls: z.array(numberCallSchema).nullish(),
    questions: z.array(questionSchema).nullish(),
  }),
});
type CampaignNumberResource = z.output<typeof campaignNumberSchema>;

const campaignNumberPageSchema = z.object({ data: z.array(campaignNumberSchema), links: pageLinks });

// "Get a Specific Number" shows `data` as a one-element array (with page links), unlike every
// other single-resource answer and JSON:API; both forms are accepted.
const singleNumberSchema = z
  .object({ data: z.union([campaignNumberSchema, z.array(campaignNumberSchema).length(1)]) })
  .transform(({ data }) => (Array.isArray(data) ? data[0]! : data));

const callPageSchema = z.object({
  data: z.array(
    z.object({
      id: resourceId,
      attributes: z.object({
        status: z.string(),
        campaign_number_id: resourceId.nullish(),
        from: optionalText,
        to: optionalText,
        duration: z.number().nullish(),
        cost: z.union([z.string(), z.number()]).transform(String).nullish(),
        cost_currency: optionalText,
        datetime_called: optionalText,
        note: optionalText,
        recording_urls: z.array(z.string()).nullish(),
      }),
    }),
  ),
  links: pageLinks,
});

const amountValue = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const creditsSchema = z.object({
  data: z.object({
    attributes: z.object({
      currency: z.string().min(1),
      credit_balance: amountValue.nullish(),
      pending_balance: amountValue.nullish(),
    }),
  }),
});

const jsonApiErrorsSchema = z.object({
  errors: z.array(z.object({ title: z.string().optional(), detail: z.string().optional() })),
});
const plainErrorSchema = z.object({ error: z.string() });

function toCampaignNumber({ id: numberId, attributes: a }: CampaignNumberResource): UpcallCampaignNumber {
  return {
    id: numberId,
    status: a.status,
    phone: a.phone,
    extension: a.extension || undefined,
    firstName: a.first_name ?? undefined,
    lastName: a.last_name ?? undefined,
    company: a.company ?? undefined,
    email: a.email ?? undefined,
    calls: (a.calls ?? []).map((c) => ({
      id: c.id,
      status: c.status,
      note: c.note ?? undefined,
      durationSeconds: c.duration ?? undefined,
      cost: c.cost ?? undefined,
      costCurrency: c.cost_currency ?? undefined,
      calledAt: c.datetime_called ?? undefined,
      recordingUrls: c.recording_urls ?? [],
    })),
    questions: (a.questions ?? []).map((q) => ({
      id: q.id ?? undefined,
      question: q.question,
      responseType: q.response_type ?? undefined,
      result: q.result ?? undefined,
      fields: q.fields ?? [],
      comment: q.comment ?? undefined,
    })),
  };
}
