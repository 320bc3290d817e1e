/**
 * Multisender: click-to-calls (the service dials the receivers in order, plays a voice file, and
 * the first one who presses the accept key is connected) and the voice files they play.
 * Reference: ../shared/seeds/multisender-api.txt; our reading: ../shared/api/NOTES.md "Multisender".
 *
 * Readings of the reference taken here:
 * - Every request carries `X-Access-Token`, `Accept: application/json` and
 *   `Content-Type: application/json` ("Two HTTP headers must be passed with every request"), also
 *   GET and DELETE; sections that name `X-Authentication-Token` get `X-Access-Token` too.
 * - There is no default base URL (the text shows only paths); the user enters it.
 * - Response examples are single-quoted with type descriptions as values ('int, 1 or 0'): the
 *   schemas take numbers or numeric strings for counts and flags, and ids as strings or numbers.
 * - `expiresAt` is written in UTC, as the same text says of the RSVP calls' startTime/endTime.
 * - `voiceFileId` is sent as a number when it is all digits (the create example says 'int') and
 *   as the string the voice file list gave otherwise.
 * - No error envelope is documented: we read `{"message": "...", "errors": {"field": ["..."]}}`
 *   and also take `{"error": "..."}` / `{"error": {"message": "..."}}`.
 */
import { z } from 'zod';
import { ServiceError } from '../errors.ts';
import { request, type HttpMethod } from '../http.ts';
import { SERVICE_NAMES } from '../services.ts';
import type { FieldErrors, Settings } from '../settings.ts';
import type { ServiceDefinition } from './types.ts';

const SERVICE = SERVICE_NAMES.multisender;

/** The settings.multisender fields a click-to-call is built from. */
export type ClickToCallDefaults = Pick<
  Settings['multisender'],
  | 'voiceFileId'
  | 'activeFrom'
  | 'activeTo'
  | 'activeWeekdays'
  | 'acceptKey'
  | 'declineKey'
  | 'maxRedials'
  | 'expiryHours'
>;

export interface MultisenderConfig {
  /** Entered by the user; no default exists. */
  baseUrl: string;
  token: string;
  clickToCall: ClickToCallDefaults;
}

/** "Maximum length is 80 words" (text-to-speech `text`). */
export const MAX_TTS_WORDS = 80;

/** Days in the order the reference lists them, with their number in settings (0 = Sunday). */
export const WEEKDAYS = [
  ['monday', 1],
  ['tuesday', 2],
  ['wednesday', 3],
  ['thursday', 4],
  ['friday', 5],
  ['saturday', 6],
  ['sunday', 0],
] as const;
export type Weekday = (typeof WEEKDAYS)[number][0];

/** The POST /click_to_calls body, field order as in the reference's example. */
export interface ClickToCallBody {
  expiresAt?: string;
  activeFrom: string;
  activeTo: string;
  activeWeekdays: { weekday: Weekday; active: '0' | '1' }[];
  voiceFileId: number | string;
  actionButtons: { button: string; action: 'accept' | 'decline' }[];
  receivers: { phone: string }[];
  maxRedials?: number;
  receiverWebhookUrl?: string;
  meta?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Response schemas.

const intish = z
  .union([
    z.number().int(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, 'expected a whole number'),
  ])
  .transform((value) => Number(value));
const flag = z.union([z.boolean(), intish]).transform((value) => value === true || value === 1);
const id = z.union([z.string().min(1), z.number()]).transform((value) => String(value));

const receiverSchema = z
  .looseObject({
    accountId: id.nullish(),
    groupId: id.nullish(),
    phone: z.string().nullish(),
    firstName: z.string().nullish(),
    // The reference spells it "firsName" in every receiver example.
    firsName: z.string().nullish(),
    lastName: z.string().nullish(),
    answered: flag.nullish(),
    reply: z.string().nullish(),
    callDuration: intish.nullish(),
    dialledCalls: intish.nullish(),
    latestCallAt: z.string().nullish(),
  })
  .transform((r) => ({
    accountId: r.accountId ?? undefined,
    groupId: r.groupId ?? undefined,
    phone: r.phone ?? undefined,
    firstName: r.firstName ?? r.firsName ?? undefined,
    lastName: r.lastName ?? undefined,
    answered: r.answered ?? false,
    // "accept", "decline", "noAnswer"/"noReply", or undefined before any call.
    reply: r.reply ?? undefined,
    callDuration: r.callDuration ?? 0,
    dialledCalls: r.dialledCalls ?? 0,
    latestCallAt: r.latestCallAt ?? undefined,
  }));

const statsSchema = z.looseObject({
  totalDialedCalls: intish.nullish(),
  answeredCalls: intish.nullish(),
  totalDuration: intish.nullish(),
  acceptsReceived: intish.nullish(),
  acceptsDeclined: intish.nullish(),
  notAnsweredCalls: intish.nullish(),
});

const clickToCallSchema = z.looseObject({
  clickToCallId: id,
  expiresAt: z.string().nullish(),
  activeFrom: z.string(),
  activeTo: z.string(),
  activeWeekdays: z.array(z.looseObject({ weekday: z.string(), active: flag })),
  voiceFileId: id,
  actionButtons: z.array(z.looseObject({ button: id, action: z.string() })),
  receivers: z.array(receiverSchema),
  maxRedials: intish.nullish(),
  receiverWebhookUrl: z.string().nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
  stats: statsSchema.nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type ClickToCall = z.output<typeof clickToCallSchema>;
export type ClickToCallReceiver = ClickToCall['receivers'][number];

const voiceFileSchema = z.looseObject({
  voiceFileId: id,
  name: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  mp3Url: z.string().nullish(),
  wavUrl: z.string().nullish(),
  duration: intish.nullish(),
  /** "pending" | "ready" | "failed"; only "ready" can be played. */
  status: z.string(),
  text: z.string().nullish(),
  voiceCode: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type VoiceFile = z.output<typeof voiceFileSchema>;

const voiceCodeSchema = z.looseObject({
  voiceCode: z.string(),
  description: z.string().nullish(),
});
export type VoiceCode = z.output<typeof voiceCodeSchema>;

function multisenderErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  const base =
    typeof record.message === 'string'
      ? record.message
      : typeof error === 'string'
        ? error
        : typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>).message === 'string'
          ? ((error as Record<string, unknown>).message as string)
          : undefined;
  // The first field error says what to fix ("activeFrom: Use HH:MM:SS").
  const errors = record.errors;
  if (typeof errors === 'object' && errors !== null) {
    const [field, detail] = Object.entries(errors as Record<string, unknown>)[0] ?? [];
    const text = Array.isArray(detail) ? detail.find((d) => typeof d === 'string') : detail;
    if (field && typeof text === 'string') return base ? `${base} (${field}: ${text})` : `${field}: ${text}`;
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Request helper.

interface CallOptions<T> {
  method?: HttpMethod;
  json?: unknown;
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

async function multisenderRequest<T = undefined>(
  config: MultisenderConfig,
  path: string,
  options: CallOptions<T> = {},
): Promise<T> {
  const response = await request<T>({
    service: SERVICE,
    method: options.method ?? 'GET',
    url: `${config.baseUrl.replace(/\/+$/, '')}${path}`,
    headers: {
      'X-Access-Token': config.token,
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
    json: options.json,
    schema: options.schema,
    signal: options.signal,
    errorMessage: multisenderErrorMessage,
  });
  return response.data;
}

function refuse(message: string): never {
  throw new ServiceError({ kind: 'invalid', service: SERVICE, message });
}

function segment(value: string): string {
  if (!value.trim()) refuse('an ID is required');
  return encodeURIComponent(value.trim());
}

// ---------------------------------------------------------------------------------------------
// Building a click-to-call.

const E164 = /^\+[1-9]\d{6,14}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const DIAL_KEY = /^[0-9]$/;

/** "YYYY-MM-DD HH:MM:SS" in UTC. */
export function formatMultisenderTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Reads "YYYY-MM-DD HH:MM:SS" as UTC (the same reading as formatMultisenderTime). */
export function parseMultisenderTime(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface ClickToCallExtras {
  receiverWebhookUrl?: string;
  /** Passed back as is in the receiver webhook. */
  meta?: Record<string, string>;
}

export type ClickToCallBuild = { ok: true; body: ClickToCallBody } | { ok: false; errors: FieldErrors };

/**
 * Builds the POST /click_to_calls body from the settings' defaults, the numbers to call (in
 * order) and the current time (expiry = now + expiryHours, UTC), or returns every problem keyed
 * by the settings.multisender field it concerns ("voiceFileId", "declineKey", "activeTo",
 * "activeWeekdays", …) or "receivers" / "receivers.N", so the UI can show each beside its field.
 */
export function buildClickToCallBody(
  defaults: ClickToCallDefaults,
  receivers: readonly string[],
  now: Date,
  extras: ClickToCallExtras = {},
): ClickToCallBuild {
  const errors: FieldErrors = {};
  const voiceFileId = defaults.voiceFileId.trim();
  if (!voiceFileId) errors.voiceFileId = 'Choose a voice file.';

  const from = TIME_OF_DAY.test(defaults.activeFrom) ? withSeconds(defaults.activeFrom) : undefined;
  const to = TIME_OF_DAY.test(defaults.activeTo) ? withSeconds(defaults.activeTo) : undefined;
  if (!from) errors.activeFrom = 'Use 24-hour HH:MM, e.g. 09:00.';
  if (!to) errors.activeTo = 'Use 24-hour HH:MM, e.g. 17:00.';
  if (from && to && from >= to) errors.activeTo = 'The end of the active hours must be after the start.';

  const days = new Set(defaults.activeWeekdays);
  if (![...days].some((day) => Number.isInteger(day) && day >= 0 && day <= 6)) {
    errors.activeWeekdays = 'Choose at least one weekday.';
  }

  if (!DIAL_KEY.test(defaults.acceptKey)) errors.acceptKey = 'Use one key from 0 to 9.';
  if (!DIAL_KEY.test(defaults.declineKey)) errors.declineKey = 'Use one key from 0 to 9.';
  else if (defaults.acceptKey === defaults.declineKey)
    errors.declineKey = 'The decline key must differ from the accept key.';

  if (!Number.isInteger(defaults.maxRedials) || defaults.maxRedials < 0)
    errors.maxRedials = 'Use a whole number, 0 or more.';
  if (!Number.isInteger(defaults.expiryHours) || defaults.expiryHours < 1) errors.expiryHours = 'At least 1 hour.';

  if (receivers.length === 0) errors.receivers = 'Add at least one number to call.';
  const seen = new Set<string>();
  receivers.forEach((phone, index) => {
    if (!E164.test(phone))
      errors[`receivers.${index}`] =
        `${phone || 'An empty entry'} is not an international number such as +16505550100.`;
    else if (seen.has(phone)) errors[`receivers.${index}`] = `${phone} is already in the list.`;
    seen.add(phone);
  });

  if (extras.receiverWebhookUrl !== undefined && !isHttpsUrl(extras.receiverWebhookUrl)) {
    errors.receiverWebhookUrl = 'Enter a full https:// address.';
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const body: ClickToCallBody = {
    expiresAt: formatMultisenderTime(new Date(now.getTime() + defaults.expiryHours * 3_600_000)),
    activeFrom: from!,
    activeTo: to!,
    activeWeekdays: WEEKDAYS.map(([weekday, day]) => ({ weekday, active: days.has(day) ? '1' : '0' })),
    voiceFileId: /^\d+$/.test(voiceFileId) ? Number(voiceFileId) : voiceFileId,
    actionButtons: [
      { button: defaults.acceptKey, action: 'accept' },
      { button: defaults.declineKey, action: 'decline' },
    ],
    receivers: receivers.map((phone) => ({ phone })),
    maxRedials: defaults.maxRedials,
  };
  if (extras.receiverWebhookUrl !== undefined) body.receiverWebhookUrl = extras.receiverWebhookUrl;
  if (extras.meta !== undefined) body.meta = extras.meta;
  return { ok: true, body };
}

function withSeconds(time: string): string {
  return time.length === 5 ? `${time}:00` : time;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

/** POST /click_to_calls with a body from buildClickToCallBody. */
export async function createClickToCall(
  config: MultisenderConfig,
  body: ClickToCallBody,
  signal?: AbortSignal,
): Promise<ClickToCall> {
  return multisenderRequest(config, '/click_to_calls', {
    method: 'POST',
    json: body,
    schema: clickToCallSchema,
    signal,
  });
}

/**
 * Builds a click-to-call from the config's defaults and places it. Settings problems are thrown
 * as one 'invalid' failure naming the fields, before any request.
 */
export async function startClickToCall(
  config: MultisenderConfig,
  receivers: readonly string[],
  options: ClickToCallExtras & { now?: Date } = {},
  signal?: AbortSignal,
): Promise<ClickToCall> {
  const built = buildClickToCallBody(config.clickToCall, receivers, options.now ?? new Date(), options);
  if (!built.ok) {
    refuse(
      Object.entries(built.errors)
        .map(([field, message]) => `${field}: ${message}`)
        .join(' '),
    );
  }
  return createClickToCall(config, built.body, signal);
}

/** GET /click_to_calls/:id — receivers' answered/reply/dialledCalls/callDuration and stats. */
export async function getClickToCall(
  config: MultisenderConfig,
  clickToCallId: string,
  signal?: AbortSignal,
): Promise<ClickToCall> {
  return multisenderRequest(config, `/click_to_calls/${segment(clickToCallId)}`, { schema: clickToCallSchema, signal });
}

/** GET /click_to_calls. */
export async function listClickToCalls(config: MultisenderConfig, signal?: AbortSignal): Promise<ClickToCall[]> {
  return multisenderRequest(config, '/click_to_calls', { schema: z.array(clickToCallSchema), signal });
}

/** DELETE /click_to_calls/:id (204 No Content). */
export async function cancelClickToCall(
  config: MultisenderConfig,
  clickToCallId: string,
  signal?: AbortSignal,
): Promise<void> {
  await multisenderRequest(config, `/click_to_calls/${segment(clickToCallId)}`, { method: 'DELETE', signal });
}

/** GET /voice_files (status pending | ready | failed; only ready ones can be played). */
export async function listVoiceFiles(config: MultisenderConfig, signal?: AbortSignal): Promise<VoiceFile[]> {
  return multisenderRequest(config, '/voice_files', { schema: z.array(voiceFileSchema), signal });
}

/** GET /voice_files/:id. */
export async function getVoiceFile(
  config: MultisenderConfig,
  voiceFileId: string,
  signal?: AbortSignal,
): Promise<VoiceFile> {
  return multisenderRequest(config, `/voice_files/${segment(voiceFileId)}`, { schema: voiceFileSchema, signal });
}

/** GET /voice_files/text_to_speech/voice_codes. */
export async function listVoiceCodes(config: MultisenderConfig, signal?: AbortSignal): Promise<VoiceCode[]> {
  return multisenderRequest(config, '/voice_files/text_to_speech/voice_codes', {
    schema: z.array(voiceCodeSchema),
    signal,
  });
}

/** Words as the 80-word limit counts them: runs of non-space characters. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * POST /voice_files/text_to_speech {name, text, voiceCode}: a new voice file, "pending" until
 * the service has spoken it. More than 80 words is refused before any request.
 */
export async function createTextToSpeech(
  config: MultisenderConfig,
  input: { name: string; text: string; voiceCode: string },
  signal?: AbortSignal,
): Promise<VoiceFile> {
  const name = input.name.trim();
  const text = input.text.trim();
  const voiceCode = input.voiceCode.trim();
  if (!name) refuse('the voice file needs a name');
  if (!text) refuse('there is no text to speak');
  if (!voiceCode) refuse('choose a voice');
  const words = countWords(text);
  if (words > MAX_TTS_WORDS) refuse(`the text has ${words} words; text-to-speech takes at most ${MAX_TTS_WORDS}`);
  return multisenderRequest(config, '/voice_files/text_to_speech', {
    method: 'POST',
    json: { name, text, voiceCode },
    schema: voiceFileSchema,
    signal,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a click-to-call's progress.

export type ClickToCallState = 'accepted' | 'calling' | 'not-accepted' | 'expired';

/**
 * Where a click-to-call stands: accepted by someone; expired (expiresAt passed); not accepted
 * (every receiver declined or was dialled 1 + maxRedials times); or still calling.
 */
export function clickToCallProgress(call: ClickToCall, now: Date): { state: ClickToCallState; acceptedBy?: string } {
  const accepted = call.receivers.find((r) => r.reply === 'accept');
  if (accepted) return { state: 'accepted', acceptedBy: accepted.phone };
  const expiresAt = call.expiresAt ? parseMultisenderTime(call.expiresAt) : undefined;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) return { state: 'expired' };
  const maxRedials = call.maxRedials ?? 3;
  const done = (r: ClickToCallReceiver) => r.reply === 'decline' || r.dialledCalls > maxRedials;
  if (call.receivers.length > 0 && call.receivers.every(done)) return { state: 'not-accepted' };
  return { state: 'calling' };
}

// ---------------------------------------------------------------------------------------------

/** Multisender as a service: click-to-calls are placed from the background, never queued. */
export const multisender: ServiceDefinition<MultisenderConfig> = {
  id: 'multisender',
  name: SERVICE,
  resolveConfig(settings, secrets) {
    const missing: string[] = [];
    const baseUrl = settings.multisender.baseUrl.trim();
    const token = secrets.multisender.token.trim();
    if (!baseUrl) missing.push('base URL');
    if (!token) missing.push('access token');
    if (missing.length > 0) return { ok: false, missing };
    const { voiceFileId, activeFrom, activeTo, activeWeekdays, acceptKey, declineKey, maxRedials, expiryHours } =
      settings.multisender;
    return {
      ok: true,
      config: {
        baseUrl,
        token,
        clickToCall: {
          voiceFileId,
          activeFrom,
          activeTo,
          activeWeekdays,
          acceptKey,
          declineKey,
          maxRedials,
          expiryHours,
        },
      },
    };
  },
  baseUrl: (config) => config.baseUrl,
  async testConnection(config, signal) {
    const files = await listVoiceFiles(config, signal);
    const ready = files.filter((file) => file.status === 'ready').length;
    return `Connected: ${ready} ${ready === 1 ? 'voice file' : 'voice files'} ready`;
  },
};
