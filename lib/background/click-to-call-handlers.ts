/**
 * Click-to-call via Multisender in the background (issue 5): the confirmation and the create
 * (lib/click-to-call/place.ts), following and cancelling (lib/click-to-call/follow.ts) with its
 * alarm and notifications, and the voice files the options page offers as defaults.
 */
import browser from 'webextension-polyfill';
import { createFollower, type Follower } from '../click-to-call/follow.ts';
import { describeActionFailure } from '../click-to-call/failure.ts';
import { createClickToCallFor, prepareClickToCall, type PlaceDeps } from '../click-to-call/place.ts';
import type { Notice } from '../click-to-call/status.ts';
import type { LocalTimeView, ScreeningView } from '../click-to-call/types.ts';
import { toView } from '../click-to-call/status.ts';
import { listTracked, setPendingConfirmation, takePendingConfirmation } from '../click-to-call/store.ts';
import { localTimeInfo, type LocalTimeInfo } from '../calling-hours.ts';
import { screenNumber, type ScreenResult } from '../dnc/screen.ts';
import type { Sweep } from '../duplicates/sweep.ts';
import { ServiceError, toFailure } from '../errors.ts';
import { rememberNumberUsed } from '../log-call/number-memory.ts';
import { parsePhone } from '../log-call/phone.ts';
import type { Handlers } from '../messaging.ts';
import type { MultisenderDraft, VoiceFileView } from '../protocol/click-to-call.ts';
import {
  countWords,
  createTextToSpeech,
  getVoiceFile,
  listVoiceCodes,
  listVoiceFiles,
  MAX_TTS_WORDS,
  type MultisenderConfig,
  type VoiceFile,
} from '../providers/multisender.ts';
import { getAllSecrets } from '../secrets.ts';
import { loadSettings } from '../settings-storage.ts';
import { isAllowedBaseUrl } from '../settings.ts';
import { openPopup, setContextMenuRoute, type MenuNumber } from './context-menus.ts';
import { notify } from './notifications.ts';
import { configFor } from './service-config.ts';

type ClickToCallHandlers = Pick<
  Handlers,
  | 'click-to-call/prepare'
  | 'click-to-call/create'
  | 'click-to-call/list'
  | 'click-to-call/cancel'
  | 'click-to-call/pending'
  | 'click-to-call/open-options'
  | 'multisender/voice-files'
  | 'multisender/voice-file'
  | 'multisender/voice-codes'
  | 'multisender/text-to-speech'
>;

/** Wakes a stopped worker to poll while a click-to-call is in progress (30 s: Chrome's minimum). */
export const CLICK_TO_CALL_ALARM = 'click-to-call-poll';
const ALARM_PERIOD_MINUTES = 0.5;
/** The open popup asks every few seconds; runs closer together than this share one answer. */
const POPUP_REFRESH_MIN_MS = 2_000;

export interface ClickToCallBackground {
  handlers: ClickToCallHandlers;
  follower: Follower;
}

/**
 * Registers the alarm listener and brings the alarm up to date; call once, synchronously, when
 * the worker starts (a worker woken by the alarm must find its listener at once).
 */
export function startClickToCall(sweep?: Sweep): ClickToCallBackground {
  const follower = createFollower({
    config: () => configFor('multisender'),
    notify: showNotice,
    schedule: scheduleAlarm,
    now: Date.now,
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLICK_TO_CALL_ALARM) void follower.refresh();
  });
  void follower.sync().catch((error: unknown) => console.error('[click-to-call] alarm update failed', error));
  setContextMenuRoute('click-to-call', openConfirmation);
  // A notification about a click-to-call opens where its status is.
  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith('click-to-call:')) void openPopup(undefined, 'activity');
  });
  return { handlers: createClickToCallHandlers(follower, placeDeps(follower, sweep)), follower };
}

/**
 * The right-click menu's "Click-to-call via Multisender": the popup opens on the number's
 * confirmation. The popup opened by action.openPopup() takes no address, so the number waits in
 * IndexedDB for it (the small window it falls back to reads the same).
 */
export async function openConfirmation(number: MenuNumber, tabId: number | undefined): Promise<void> {
  const at = Date.now();
  await setPendingConfirmation({ e164: number.e164, extension: number.extension, at });
  const dataE164 = number.extension ? `${number.e164};ext=${number.extension}` : number.e164;
  await rememberNumberUsed({ e164: dataE164, action: 'click-to-call', service: 'multisender', at });
  await openPopup(tabId, 'click-to-call');
}

async function scheduleAlarm(active: boolean): Promise<void> {
  const existing = await browser.alarms.get(CLICK_TO_CALL_ALARM);
  if (active && !existing) {
    await browser.alarms.create(CLICK_TO_CALL_ALARM, {
      periodInMinutes: ALARM_PERIOD_MINUTES,
      delayInMinutes: ALARM_PERIOD_MINUTES,
    });
  } else if (!active && existing) {
    await browser.alarms.clear(CLICK_TO_CALL_ALARM);
  }
}

/**
 * Plain-text notification (lib/background/notifications.ts); its id names the call and the
 * event, so one event never stacks two.
 */
export async function showNotice(notice: Notice, callId: string): Promise<void> {
  await notify({ id: `click-to-call:${callId}:${notice.kind}`, title: notice.title, message: notice.message });
}

export function placeDeps(follower: Follower, sweep?: Sweep): PlaceDeps {
  return {
    settings: async () => (await loadSettings()).settings,
    config: (settings) => configFor('multisender', settings),
    screen: async (e164) => screeningView(await screenNumber(e164)),
    localTime: (e164, settings, now) => localTimeView(localTimeInfo(e164, settings, now)),
    now: Date.now,
    async placed(call, notices) {
      for (const notice of notices) await showNotice(notice, call.id);
      // The Log a call form then offers this number, "called via Multisender".
      await rememberNumberUsed({
        e164: call.numbers[0]!,
        action: 'click-to-call',
        service: 'multisender',
        at: call.createdAt,
      });
      await follower.sync();
    },
    checkForCopies: () => sweep?.kick(),
  };
}

export function createClickToCallHandlers(
  follower: Follower,
  deps: PlaceDeps = placeDeps(follower),
): ClickToCallHandlers {
  return {
    'click-to-call/prepare': ({ numbers }) => prepareClickToCall(deps, numbers),

    'click-to-call/create': ({ receivers, requestId, overrideDoNotCall, source }, context) =>
      createClickToCallFor(deps, {
        receivers,
        requestId,
        overrideDoNotCall,
        source: context.kind === 'content' ? 'page' : source,
      }),

    'click-to-call/list': async ({ refresh }) => {
      if (refresh) await follower.refresh({ minIntervalMs: POPUP_REFRESH_MIN_MS });
      const now = Date.now();
      return { calls: (await listTracked()).map((call) => toView(call, now)), now };
    },

    'click-to-call/cancel': ({ id }) => follower.cancel(id),

    'click-to-call/pending': async () => {
      const pending = await takePendingConfirmation(Date.now());
      if (!pending) return null;
      const display = parsePhone(pending.e164, 'US')?.display ?? pending.e164;
      return { e164: pending.e164, display: pending.extension ? `${display} ext. ${pending.extension}` : display };
    },

    'click-to-call/open-options': async () => {
      await browser.runtime.openOptionsPage();
      return { ok: true };
    },

    'multisender/voice-files': async ({ draft }) => (await listVoiceFiles(await draftConfig(draft))).map(voiceFileView),

    'multisender/voice-file': async ({ draft, voiceFileId }) =>
      voiceFileView(await getVoiceFile(await draftConfig(draft), voiceFileId)),

    'multisender/voice-codes': async ({ draft }) =>
      (await listVoiceCodes(await draftConfig(draft))).map((code) => ({
        voiceCode: code.voiceCode,
        description: code.description ?? code.voiceCode,
      })),

    'multisender/text-to-speech': async ({ draft, name, text, voiceCode }) => {
      const errors: Partial<Record<'name' | 'text' | 'voiceCode', string>> = {};
      if (!name.trim()) errors.name = 'Give the voice file a name.';
      else if (name.trim().length > 100) errors.name = 'At most 100 characters.';
      const words = countWords(text);
      if (words === 0) errors.text = 'Write the message to speak.';
      else if (words > MAX_TTS_WORDS) errors.text = `${words} words: Multisender speaks at most ${MAX_TTS_WORDS}.`;
      if (!voiceCode.trim()) errors.voiceCode = 'Choose a voice.';
      if (Object.keys(errors).length > 0) {
        return { ok: false, errors, sentence: 'Nothing was sent: fix the highlighted fields.' };
      }
      try {
        const file = await createTextToSpeech(await draftConfig(draft), { name, text, voiceCode });
        return { ok: true, file: voiceFileView(file) };
      } catch (error) {
        return { ok: false, errors: {}, sentence: describeActionFailure(toFailure(error, 'Multisender')) };
      }
    },
  };
}

function screeningView(result: ScreenResult): ScreeningView {
  return result.blocked
    ? { blocked: true, reasons: result.reasons.map((r) => r.detail) }
    : { blocked: false, reasons: [] };
}

function localTimeView(info: LocalTimeInfo): LocalTimeView {
  // Warn when it may be outside: an area code spanning zones is outside if any of its clocks is.
  return { text: info.label, outsideHours: info.mayBeOutside };
}

function voiceFileView(file: VoiceFile): VoiceFileView {
  return {
    voiceFileId: file.voiceFileId,
    name: file.name?.trim() || `Voice file ${file.voiceFileId}`,
    duration: file.duration ?? 0,
    status: file.status,
  };
}

/** The saved Multisender config, with the base URL and token typed in options over it. */
async function draftConfig(draft: MultisenderDraft): Promise<MultisenderConfig> {
  const { settings } = await loadSettings();
  if (!draft) return configFor('multisender', settings);
  const baseUrl = draft.baseUrl.trim().replace(/\/+$/, '');
  if (baseUrl !== '' && !isAllowedBaseUrl(baseUrl)) {
    throw new ServiceError({
      kind: 'not-configured',
      service: 'Multisender',
      message: 'the base URL must be a full https:// address',
    });
  }
  const secrets = await getAllSecrets();
  const token = draft.token?.trim();
  // A typed token goes to the typed address; the saved one only where it was saved for
  // (configFor refuses another host, and options asks the user when they save it).
  return configFor(
    'multisender',
    { ...settings, multisender: { ...settings.multisender, baseUrl } },
    token ? { ...secrets, multisender: { ...secrets.multisender, token } } : secrets,
    { typedSecrets: Boolean(token) },
  );
}
