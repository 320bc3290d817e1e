/**
 * Multisender simulator: click-to-calls and voice files (list, one, text-to-speech, voice
 * codes), per ../shared/seeds/multisender-api.txt. Every request needs `X-Access-Token` (401
 * otherwise) and, as the text says of every request, `Accept` and `Content-Type`
 * application/json (406 / 415 otherwise). Errors use the envelope lib/providers/multisender.ts
 * reads: `{"message": "...", "errors": {"field": ["..."]}}`; malformed input is 400, well-formed
 * but impossible input (unknown or unready voice file, same key for accept and decline) is 422.
 *
 * Numbers come back in the mixed types the text implies: `answered` as "0"/"1" like `active`,
 * `voiceFileId` as an int inside a click-to-call and a string in the voice file list, and the
 * receivers' first name under the text's own spelling `firsName`.
 */
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../credentials.ts';
import { createMalform } from '../malform.ts';
import { json, parseJson, type ServiceSimulator, type SimRequest, type SimResponse } from '../types.ts';

type Reply = 'accept' | 'decline' | 'noAnswer';

interface ReceiverRecord {
  phone: string;
  accountId: string;
  firstName: string;
  lastName: string;
  answered: boolean;
  reply: Reply | null;
  callDuration: number;
  dialledCalls: number;
  latestCallAt: string | null;
}

interface ClickToCallRecord {
  clickToCallId: string;
  expiresAt: string;
  activeFrom: string;
  activeTo: string;
  activeWeekdays: { weekday: string; active: '0' | '1' }[];
  voiceFileId: string;
  actionButtons: { button: string; action: 'accept' | 'decline' }[];
  receivers: ReceiverRecord[];
  maxRedials: number;
  receiverWebhookUrl: string | null;
  meta: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

interface VoiceFileRecord {
  voiceFileId: string;
  name: string;
  description: string;
  duration: number;
  status: 'pending' | 'ready' | 'failed';
  text: string;
  voiceCode: string;
  createdAt: string;
  updatedAt: string;
  // Text-to-speech files turn ready at this time (ms since epoch); seeded files never do.
  readyAt: number | null;
}

interface State {
  voiceFiles: VoiceFileRecord[];
  clickToCalls: ClickToCallRecord[];
  nextClickToCallId: number;
  nextVoiceFileId: number;
  nextAccountId: number;
}

export interface MultisenderSimulatorOptions {
  /** How long a text-to-speech voice file stays "pending" (the `voice-ready` control skips it). */
  ttsReadyAfterMs?: number;
}

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_TTS_WORDS = 80;

const VOICE_CODES = [
  { voiceCode: 'en-US-female', description: 'English (US), female' },
  { voiceCode: 'en-US-male', description: 'English (US), male' },
  { voiceCode: 'en-GB-female', description: 'English (UK), female' },
  { voiceCode: 'fi-FI-female', description: 'Finnish, female' },
  { voiceCode: 'fi-FI-male', description: 'Finnish, male' },
  { voiceCode: 'sv-SE-female', description: 'Swedish, female' },
].map((code) => ({ ...code, createdAt: '2019-05-02 08:00:00', updatedAt: '2019-05-02 08:00:00' }));

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function parseStamp(value: string): number {
  return Date.parse(`${value.replace(' ', 'T')}Z`);
}

function seed(): State {
  const voice = (
    voiceFileId: string,
    name: string,
    status: VoiceFileRecord['status'],
    text: string,
    voiceCode: string,
    duration: number,
  ): VoiceFileRecord => ({
    voiceFileId,
    name,
    description: '',
    duration,
    status,
    text,
    voiceCode,
    createdAt: '2024-02-01 09:00:00',
    updatedAt: '2024-02-01 09:05:00',
    readyAt: null,
  });
  const weekdays = (active: string[]) =>
    WEEKDAY_NAMES.map((weekday) => ({ weekday, active: active.includes(weekday) ? ('1' as const) : ('0' as const) }));
  const receiver = (
    phone: string,
    accountId: string,
    firstName: string,
    lastName: string,
    patch: Partial<ReceiverRecord> = {},
  ): ReceiverRecord => ({
    phone,
    accountId,
    firstName,
    lastName,
    answered: false,
    reply: null,
    callDuration: 0,
    dialledCalls: 0,
    latestCallAt: null,
    ...patch,
  });
  return {
    voiceFiles: [
      voice(
        '101',
        'Callback request (EN)',
        'ready',
        'Hello, a customer asked for a call back. Press 5 to be connected, or 9 to decline.',
        'en-US-female',
        9,
      ),
      voice(
        '102',
        'Takaisinsoittopyyntö (FI)',
        'ready',
        'Asiakas pyysi soittoa. Paina 5 yhdistääksesi tai 9 hylätäksesi.',
        'fi-FI-female',
        8,
      ),
      voice('103', 'Holiday greeting', 'pending', 'Happy holidays from all of us.', 'en-GB-female', 0),
      voice('104', 'Old upload', 'failed', '', 'en-US-male', 0),
    ],
    clickToCalls: [
      {
        clickToCallId: '9001',
        expiresAt: '2024-03-08 12:00:00',
        activeFrom: '09:00:00',
        activeTo: '17:00:00',
        activeWeekdays: weekdays(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']),
        voiceFileId: '101',
        actionButtons: [
          { button: '5', action: 'accept' },
          { button: '9', action: 'decline' },
        ],
        receivers: [
          receiver('+16505550100', '808', 'Alex', 'Rivera', {
            answered: true,
            reply: 'accept',
            callDuration: 184,
            dialledCalls: 1,
            latestCallAt: '2024-03-01 12:03:10',
          }),
        ],
        maxRedials: 3,
        receiverWebhookUrl: null,
        meta: { crmContactId: '5f0c00000000000000000007' },
        createdAt: '2024-03-01 12:00:00',
        updatedAt: '2024-03-01 12:06:14',
      },
      {
        clickToCallId: '9002',
        expiresAt: '2099-12-31 23:59:59',
        activeFrom: '08:00:00',
        activeTo: '20:00:00',
        activeWeekdays: weekdays(WEEKDAY_NAMES),
        voiceFileId: '102',
        actionButtons: [
          { button: '1', action: 'accept' },
          { button: '2', action: 'decline' },
        ],
        receivers: [
          receiver('+358401234567', '809', 'Aino', 'Virtanen', {
            reply: 'noAnswer',
            dialledCalls: 2,
            latestCallAt: '2024-03-02 10:15:00',
          }),
          receiver('+358501112223', '810', 'Eero', 'Laine'),
        ],
        maxRedials: 3,
        receiverWebhookUrl: 'https://crm.example.com/hooks/multisender',
        meta: null,
        createdAt: '2024-03-02 10:00:00',
        updatedAt: '2024-03-02 10:15:00',
      },
    ],
    nextClickToCallId: 9003,
    nextVoiceFileId: 105,
    nextAccountId: 811,
  };
}

function error(status: number, message: string, errors?: Record<string, string[]>): SimResponse {
  return json(status, errors ? { message, errors } : { message });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(req: SimRequest, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export function createMultisenderSimulator(options: MultisenderSimulatorOptions = {}): ServiceSimulator {
  const ttsReadyAfterMs = options.ttsReadyAfterMs ?? 3000;
  let state = seed();
  // Like a maintenance page in the way: matching successful answers the client cannot use.
  const malform = createMalform({
    html: '<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon.</body></html>',
    notJson: { contentType: 'application/json; charset=utf-8', body: "[{'voiceFileId':'string'," },
    skipBodiless: true,
  });

  // Text-to-speech files become ready once their time has come (evaluated on every read).
  function ripen(): void {
    const now = Date.now();
    for (const file of state.voiceFiles) {
      if (file.status === 'pending' && file.readyAt !== null && file.readyAt <= now) {
        file.status = 'ready';
        file.duration = Math.max(1, Math.round(file.text.split(/\s+/).filter(Boolean).length / 2.5));
        file.updatedAt = stamp(file.readyAt);
      }
    }
  }

  const voiceFileView = (file: VoiceFileRecord, req: SimRequest) => ({
    voiceFileId: file.voiceFileId,
    name: file.name,
    description: file.description,
    url: file.status === 'ready' ? `${req.baseUrl}/media/${file.voiceFileId}.orig` : '',
    mp3Url: file.status === 'ready' ? `${req.baseUrl}/media/${file.voiceFileId}.mp3` : '',
    wavUrl: file.status === 'ready' ? `${req.baseUrl}/media/${file.voiceFileId}.wav` : '',
    duration: file.duration,
    status: file.status,
    text: file.text,
    voiceCode: file.voiceCode,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  });

  const clickToCallView = (call: ClickToCallRecord) => {
    const dialled = call.receivers.reduce((sum, r) => sum + r.dialledCalls, 0);
    const answered = call.receivers.filter((r) => r.answered).length;
    return {
      clickToCallId: call.clickToCallId,
      expiresAt: call.expiresAt,
      activeFrom: call.activeFrom,
      activeTo: call.activeTo,
      activeWeekdays: call.activeWeekdays,
      voiceFileId: /^\d+$/.test(call.voiceFileId) ? Number(call.voiceFileId) : call.voiceFileId,
      actionButtons: call.actionButtons,
      receivers: call.receivers.map((r) => ({
        accountId: r.accountId,
        groupId: null,
        phone: r.phone,
        firsName: r.firstName,
        lastName: r.lastName,
        answered: r.answered ? '1' : '0',
        reply: r.reply,
        callDuration: r.callDuration,
        dialledCalls: r.dialledCalls,
        latestCallAt: r.latestCallAt,
      })),
      maxRedials: call.maxRedials,
      receiverWebhookUrl: call.receiverWebhookUrl,
      meta: call.meta,
      stats: {
        totalDialedCalls: dialled,
        answeredCalls: answered,
        totalDuration: call.receivers.reduce((sum, r) => sum + r.callDuration, 0),
        acceptsReceived: call.receivers.filter((r) => r.reply === 'accept').length,
        acceptsDeclined: call.receivers.filter((r) => r.reply === 'decline').length,
        notAnsweredCalls: dialled - answered,
      },
      updatedAt: call.updatedAt,
      createdAt: call.createdAt,
    };
  };

  function checkHeaders(req: SimRequest): SimResponse | undefined {
    const token = header(req, 'x-access-token');
    if (token !== SANDBOX_CREDENTIALS.multisender.token) {
      return error(401, token ? 'The access token is not valid.' : 'An X-Access-Token header is required.');
    }
    if (!/application\/json/i.test(header(req, 'accept'))) return error(406, 'Accept must be application/json.');
    if (!/^application\/json\b/i.test(header(req, 'content-type')))
      return error(415, 'Content-Type must be application/json.');
    return undefined;
  }

  // Validates a POST /click_to_calls body; returns the record to store or the error answer.
  function validateClickToCall(body: unknown): ClickToCallRecord | SimResponse {
    if (!isRecord(body)) return error(400, 'The request body must be a JSON object.');
    const errors: Record<string, string[]> = {};
    const add = (field: string, message: string) => (errors[field] ??= []).push(message);

    for (const field of ['activeFrom', 'activeTo'] as const) {
      if (typeof body[field] !== 'string' || !TIME.test(body[field])) add(field, 'Required, format HH:MM:SS.');
    }
    if (body.expiresAt !== undefined && (typeof body.expiresAt !== 'string' || !DATE_TIME.test(body.expiresAt))) {
      add('expiresAt', 'Format YYYY-MM-DD HH:MM:SS.');
    }
    const weekdays = body.activeWeekdays;
    if (
      !Array.isArray(weekdays) ||
      weekdays.length !== 7 ||
      !weekdays.every(
        (d) => isRecord(d) && WEEKDAY_NAMES.includes(d.weekday as string) && (d.active === '1' || d.active === '0'),
      ) ||
      new Set(weekdays.map((d) => (d as Record<string, unknown>).weekday)).size !== 7
    ) {
      add('activeWeekdays', 'Required: all seven weekdays, each {"weekday": "monday", "active": "1" or "0"}.');
    }
    const voiceFileId = typeof body.voiceFileId === 'number' ? String(body.voiceFileId) : body.voiceFileId;
    if (typeof voiceFileId !== 'string' || voiceFileId === '') add('voiceFileId', 'Required.');
    const buttons = body.actionButtons;
    if (
      !Array.isArray(buttons) ||
      buttons.length === 0 ||
      !buttons.every(
        (b) =>
          isRecord(b) &&
          typeof b.button === 'string' &&
          /^[0-9]$/.test(b.button) &&
          (b.action === 'accept' || b.action === 'decline'),
      )
    ) {
      add('actionButtons', 'Required: [{"button": "0"-"9", "action": "accept" or "decline"}].');
    }
    const receivers = body.receivers;
    if (!Array.isArray(receivers) || receivers.length === 0) {
      add('receivers', 'Required: at least one receiver.');
    } else {
      receivers.forEach((r, i) => {
        const ok =
          isRecord(r) &&
          ((typeof r.phone === 'string' && E164.test(r.phone)) ||
            typeof r.accountId === 'string' ||
            typeof r.groupId === 'string');
        if (!ok) add(`receivers.${i}`, 'Give accountId, groupId or phone in E.164 format.');
      });
    }
    if (body.maxRedials !== undefined && (!Number.isInteger(body.maxRedials) || (body.maxRedials as number) < 0)) {
      add('maxRedials', 'A whole number, 0 or more.');
    }
    if (body.receiverWebhookUrl !== undefined && body.receiverWebhookUrl !== null) {
      let valid = typeof body.receiverWebhookUrl === 'string';
      if (valid) {
        try {
          valid = /^https?:$/.test(new URL(body.receiverWebhookUrl as string).protocol);
        } catch {
          valid = false;
        }
      }
      if (!valid) add('receiverWebhookUrl', 'A URL.');
    }
    if (body.meta !== undefined && body.meta !== null && !isRecord(body.meta)) add('meta', 'A JSON object.');
    if (Object.keys(errors).length > 0) return error(400, 'The click-to-call is not valid.', errors);

    // Well-formed; now what the account can actually do.
    const from = body.activeFrom as string;
    const to = body.activeTo as string;
    if (from >= to) add('activeTo', 'Must be after activeFrom.');
    if (!(weekdays as { active: string }[]).some((d) => d.active === '1'))
      add('activeWeekdays', 'At least one day must be active.');
    ripen();
    const file = state.voiceFiles.find((f) => f.voiceFileId === voiceFileId);
    if (!file) add('voiceFileId', `Voice file ${String(voiceFileId)} does not exist.`);
    else if (file.status !== 'ready')
      add('voiceFileId', `Voice file ${file.voiceFileId} is ${file.status}, not ready.`);
    const typed = buttons as { button: string; action: 'accept' | 'decline' }[];
    if (new Set(typed.map((b) => b.button)).size !== typed.length)
      add('actionButtons', 'Each button can have one action only.');
    if (!typed.some((b) => b.action === 'accept')) add('actionButtons', 'An accept button is required.');
    const now = Date.now();
    const expiresAt = typeof body.expiresAt === 'string' ? body.expiresAt : stamp(now + 7 * 86_400_000);
    if (parseStamp(expiresAt) <= now) add('expiresAt', 'Must be in the future.');
    if (Object.keys(errors).length > 0) return error(422, 'The click-to-call cannot be created.', errors);

    return {
      clickToCallId: String(state.nextClickToCallId++),
      expiresAt,
      activeFrom: from,
      activeTo: to,
      activeWeekdays: WEEKDAY_NAMES.map((weekday) => ({
        weekday,
        active: (weekdays as { weekday: string; active: '0' | '1' }[]).find((d) => d.weekday === weekday)!.active,
      })),
      voiceFileId: voiceFileId as string,
      actionButtons: typed.map((b) => ({ button: b.button, action: b.action })),
      receivers: (receivers as Record<string, unknown>[]).map((r) => ({
        phone: typeof r.phone === 'string' ? r.phone : '',
        accountId: typeof r.accountId === 'string' ? r.accountId : String(state.nextAccountId++),
        firstName: '',
        lastName: '',
        answered: false,
        reply: null,
        callDuration: 0,
        dialledCalls: 0,
        latestCallAt: null,
      })),
      maxRedials: typeof body.maxRedials === 'number' ? body.maxRedials : 3,
      receiverWebhookUrl: typeof body.receiverWebhookUrl === 'string' ? body.receiverWebhookUrl : null,
      meta: isRecord(body.meta) ? body.meta : null,
      createdAt: stamp(now),
      updatedAt: stamp(now),
    };
  }

  function textToSpeech(req: SimRequest): SimResponse {
    const body = parseJson(req);
    if (!isRecord(body)) return error(400, 'The request body must be a JSON object.');
    const errors: Record<string, string[]> = {};
    for (const field of ['name', 'text', 'voiceCode'] as const) {
      if (typeof body[field] !== 'string' || !(body[field] as string).trim()) errors[field] = ['Required.'];
    }
    if (Object.keys(errors).length > 0) return error(400, 'The text-to-speech request is not valid.', errors);
    const text = body.text as string;
    const words = text.split(/\s+/).filter(Boolean).length;
    if (words > MAX_TTS_WORDS)
      return error(422, 'The text is too long.', {
        text: [`Maximum length is ${MAX_TTS_WORDS} words (got ${words}).`],
      });
    if (!VOICE_CODES.some((code) => code.voiceCode === body.voiceCode)) {
      return error(422, 'Unknown voice code.', {
        voiceCode: [`Use one of ${VOICE_CODES.map((c) => c.voiceCode).join(', ')}.`],
      });
    }
    const now = Date.now();
    const file: VoiceFileRecord = {
      voiceFileId: String(state.nextVoiceFileId++),
      name: (body.name as string).trim(),
      description: 'Text to speech',
      duration: 0,
      status: 'pending',
      text,
      voiceCode: body.voiceCode as string,
      createdAt: stamp(now),
      updatedAt: stamp(now),
      readyAt: now + ttsReadyAfterMs,
    };
    state.voiceFiles.push(file);
    return json(201, voiceFileView(file, req), { Location: `${req.baseUrl}/voice_files/${file.voiceFileId}` });
  }

  function route(req: SimRequest): SimResponse {
    const { method, path } = req;
    ripen();
    if (path === '/voice_files' && method === 'GET')
      return json(
        200,
        state.voiceFiles.map((f) => voiceFileView(f, req)),
      );
    if (path === '/voice_files/text_to_speech/voice_codes' && method === 'GET') return json(200, VOICE_CODES);
    if (path === '/voice_files/text_to_speech' && method === 'POST') return textToSpeech(req);
    const voiceMatch = /^\/voice_files\/([^/]+)$/.exec(path);
    if (voiceMatch && method === 'GET') {
      const file = state.voiceFiles.find((f) => f.voiceFileId === decodeURIComponent(voiceMatch[1]!));
      return file ? json(200, voiceFileView(file, req)) : error(404, `Voice file ${voiceMatch[1]} was not found.`);
    }
    if (path === '/click_to_calls') {
      if (method === 'GET') return json(200, state.clickToCalls.map(clickToCallView));
      if (method === 'POST') {
        const result = validateClickToCall(parseJson(req));
        if (!('clickToCallId' in result)) return result;
        state.clickToCalls.push(result);
        return json(201, clickToCallView(result), {
          Location: `${req.baseUrl}/click_to_calls/${result.clickToCallId}`,
        });
      }
    }
    const callMatch = /^\/click_to_calls\/([^/]+)$/.exec(path);
    if (callMatch) {
      const callId = decodeURIComponent(callMatch[1]!);
      const index = state.clickToCalls.findIndex((c) => c.clickToCallId === callId);
      if (index < 0) return error(404, `Click-to-call ${callId} was not found.`);
      if (method === 'GET') return json(200, clickToCallView(state.clickToCalls[index]!));
      if (method === 'DELETE') {
        state.clickToCalls.splice(index, 1);
        return { status: 204 };
      }
    }
    return error(404, `No resource at ${method} ${path}.`);
  }

  function findCall(input: Record<string, unknown>): ClickToCallRecord | undefined {
    return state.clickToCalls.find((c) => c.clickToCallId === String(input.clickToCallId));
  }

  return {
    id: 'multisender',
    prefix: SERVICE_PREFIXES.multisender,
    reset() {
      state = seed();
      malform.reset();
    },
    handle(req) {
      return malform.apply(req, checkHeaders(req) ?? route(req));
    },
    errorResponse(status, message) {
      return error(status, message);
    },
    state() {
      ripen();
      return {
        voiceFiles: state.voiceFiles.map((f) => ({ ...f })),
        voiceCodes: VOICE_CODES,
        clickToCalls: state.clickToCalls.map((c) => ({ ...c, receivers: c.receivers.map((r) => ({ ...r })) })),
      };
    },
    control(action, body) {
      const input = isRecord(body) ? body : {};
      if (action === 'set-receiver') {
        const call = findCall(input);
        const receiver = call?.receivers[Number(input.index ?? 0)];
        if (!call || !receiver) return json(404, { error: 'no such clickToCallId / receiver index' });
        if (input.answered !== undefined)
          receiver.answered = input.answered === true || input.answered === 1 || input.answered === '1';
        if (input.reply !== undefined) {
          if (
            input.reply !== null &&
            input.reply !== 'accept' &&
            input.reply !== 'decline' &&
            input.reply !== 'noAnswer'
          ) {
            return json(400, { error: 'reply is accept, decline, noAnswer or null' });
          }
          receiver.reply = input.reply;
        }
        for (const field of ['callDuration', 'dialledCalls'] as const) {
          if (input[field] === undefined) continue;
          if (!Number.isInteger(input[field]) || (input[field] as number) < 0)
            return json(400, { error: `${field} is a whole number` });
          receiver[field] = input[field] as number;
        }
        receiver.latestCallAt = typeof input.latestCallAt === 'string' ? input.latestCallAt : stamp(Date.now());
        call.updatedAt = stamp(Date.now());
        return json(200, clickToCallView(call));
      }
      if (action === 'expire') {
        const call = findCall(input);
        if (!call) return json(404, { error: 'no such clickToCallId' });
        call.expiresAt = stamp(Date.now() - 1000);
        call.updatedAt = stamp(Date.now());
        return json(200, clickToCallView(call));
      }
      if (action === 'voice-ready' || action === 'voice-failed') {
        const file = state.voiceFiles.find((f) => f.voiceFileId === String(input.voiceFileId));
        if (!file) return json(404, { error: 'no such voiceFileId' });
        file.status = action === 'voice-ready' ? 'ready' : 'failed';
        file.readyAt = null;
        if (file.status === 'ready')
          file.duration = Math.max(1, Math.round(file.text.split(/\s+/).filter(Boolean).length / 2.5));
        file.updatedAt = stamp(Date.now());
        return json(200, { ok: true });
      }
      if (action === 'malform') return malform.control(body);
      return json(404, {
        error: `unknown control ${action}; try set-receiver, expire, voice-ready, voice-failed, malform`,
      });
    },
  };
}
