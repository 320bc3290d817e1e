/**
 * Placing a click-to-call (issue 5, "Create"): what the confirmation shows, then the create
 * itself — defaults checked before anything is sent, do-not-call screening (the user may
 * override it for a number, deliberately), and a POST that is never queued. A create whose
 * answer was lost leaves a mark; its retry first looks at Multisender's list for the call it may
 * have placed (matched by the request id sent in `meta`), so one confirmation never rings a
 * person twice.
 */
import type { CountryCode } from 'libphonenumber-js/min';
import { toFailure, type Failure } from '../errors.ts';
import {
  buildClickToCallBody,
  createClickToCall,
  listClickToCalls,
  type ClickToCall,
  type MultisenderConfig,
} from '../providers/multisender.ts';
import { clickToCallRecord } from '../duplicates/multisender.ts';
import { newCheck, putChecks } from '../duplicates/store.ts';
import { FIRST_CHECK_DELAY_MS, SLOWEST_COMMIT_MS } from '../duplicates/types.ts';
import type { FieldErrors, Settings } from '../settings.ts';
import { describeActionFailure, describeCreateFailure } from './failure.ts';
import { formatHours, formatWeekdays } from './format.ts';
import { parseReceivers } from './receivers.ts';
import { applyRemote, toView, type Notice } from './status.ts';
import { clearUnconfirmed, findByRequestId, getUnconfirmed, markUnconfirmed, saveTracked } from './store.ts';
import type {
  ClickToCallSource,
  ConfirmationView,
  CreateResult,
  LocalTimeView,
  ScreeningView,
  TrackedClickToCall,
} from './types.ts';

/** Sent in every click-to-call's `meta` (Multisender passes it back as is). */
export const META_CREATED_BY = 'CRM Call Companion';

export interface PlaceDeps {
  settings(): Promise<Settings>;
  /** configFor('multisender', settings): throws a ServiceError when it cannot be used. */
  config(settings: Settings): Promise<MultisenderConfig>;
  /** Do-not-call screening, when it exists (issue 4). */
  screen?: (e164: string) => Promise<ScreeningView>;
  /** The contact's local time, when it exists (issue 4). */
  localTime?: (e164: string, settings: Settings, now: Date) => LocalTimeView | undefined;
  now(): number;
  /** After a call was placed (or found after a lost answer): start following it. */
  placed(call: TrackedClickToCall, notices: Notice[]): void | Promise<void>;
  /** Runs the duplicate checks now (the create's check is stored by then). */
  checkForCopies?(): void;
}

export interface CreateInput {
  /** E.164, in the order Multisender should call them. */
  receivers: string[];
  /** One per confirmation; a retry sends the same. */
  requestId: string;
  /** Numbers the user chose to call although screening blocks them. */
  overrideDoNotCall: string[];
  source: ClickToCallSource;
}

export async function prepareClickToCall(deps: PlaceDeps, numbers: readonly string[]): Promise<ConfirmationView> {
  const settings = await deps.settings();
  const now = deps.now();
  const parsed = parseReceivers(numbers, settings.defaultCountry as CountryCode);
  const receivers = await Promise.all(
    parsed.map(async (receiver) => {
      if (!receiver.e164 || receiver.error) return receiver;
      const [screening, localTime] = await Promise.all([
        deps.screen?.(receiver.e164),
        deps.localTime?.(receiver.e164, settings, new Date(now)),
      ]);
      return { ...receiver, screening, localTime };
    }),
  );

  const defaults = settings.multisender;
  const valid = parsed.flatMap((r) => (r.e164 && !r.error ? [r.e164] : []));
  // Checked with a placeholder receiver when none is valid yet: the defaults' own problems show.
  const built = buildClickToCallBody(defaults, valid.length > 0 ? valid : ['+10000000000'], new Date(now));
  const settingsErrors = built.ok ? {} : settingsOnly(built.errors);

  let setupProblem: string | undefined;
  try {
    await deps.config(settings);
  } catch (error) {
    setupProblem = describeActionFailure(toFailure(error, 'Multisender'));
  }

  return {
    receivers,
    voiceFile: {
      id: defaults.voiceFileId,
      name: defaults.voiceFileName || (defaults.voiceFileId ? `Voice file ${defaults.voiceFileId}` : ''),
    },
    hours: formatHours(defaults.activeFrom, defaults.activeTo),
    weekdays: formatWeekdays(defaults.activeWeekdays),
    acceptKey: defaults.acceptKey,
    declineKey: defaults.declineKey,
    maxRedials: defaults.maxRedials,
    expiresAt: now + defaults.expiryHours * 3_600_000,
    settingsErrors,
    setupProblem,
    screened: deps.screen !== undefined,
    now,
  };
}

export async function createClickToCallFor(deps: PlaceDeps, input: CreateInput): Promise<CreateResult> {
  const already = await findByRequestId(input.requestId);
  if (already) return { ok: true, call: toView(already, deps.now()), adopted: false };

  const settings = await deps.settings();
  const now = deps.now();
  const built = buildClickToCallBody(settings.multisender, input.receivers, new Date(now), {
    meta: { createdBy: META_CREATED_BY, requestId: input.requestId },
  });
  if (!built.ok) {
    const receiverErrors = Object.fromEntries(
      Object.entries(built.errors).filter(([key]) => key.startsWith('receivers')),
    );
    if (Object.keys(receiverErrors).length > 0 && Object.keys(settingsOnly(built.errors)).length === 0) {
      return { ok: false, reason: 'receivers', errors: receiverErrors, sentence: Object.values(receiverErrors)[0]! };
    }
    const errors = settingsOnly(built.errors);
    return { ok: false, reason: 'settings', errors, sentence: settingsSentence(errors) };
  }

  let config: MultisenderConfig;
  try {
    config = await deps.config(settings);
  } catch (error) {
    return failed(toFailure(error, 'Multisender'));
  }

  if (deps.screen) {
    const overridden = new Set(input.overrideDoNotCall);
    const blocked: { e164: string; reasons: string[] }[] = [];
    for (const e164 of input.receivers) {
      if (overridden.has(e164)) continue;
      const screening = await deps.screen(e164);
      if (screening.blocked) blocked.push({ e164, reasons: screening.reasons });
    }
    if (blocked.length > 0) {
      const numbers = blocked.map((b) => b.e164).join(', ');
      return {
        ok: false,
        reason: 'do-not-call',
        blocked,
        sentence: `${numbers} ${blocked.length === 1 ? 'is' : 'are'} on a do-not-call list, so nothing was sent. Call anyway only if you have consent.`,
      };
    }
  }

  const baseUrl = config.baseUrl;
  let remote: ClickToCall | undefined;
  const unconfirmed = await getUnconfirmed(input.requestId);
  if (unconfirmed) {
    // The last try may have created it: look before placing another.
    try {
      remote = (await listClickToCalls(config)).find((call) => call.meta?.requestId === input.requestId);
    } catch (error) {
      return failed(toFailure(error, 'Multisender'));
    }
  }
  const adopted = remote !== undefined;

  if (!remote) {
    // Marked before the POST: a worker stopped mid-request leaves the mark for the retry to see.
    await markUnconfirmed({ requestId: input.requestId, baseUrl, numbers: input.receivers, at: now });
    try {
      remote = await createClickToCall(config, built.body);
    } catch (error) {
      const failure = toFailure(error, 'Multisender');
      // A refusal or a request that never left: nothing to look for next time.
      if (!failure.mayHaveReached) await clearUnconfirmed(input.requestId);
      return failed(failure);
    }
  }

  const created: TrackedClickToCall = {
    id: remote.clickToCallId,
    requestId: input.requestId,
    baseUrl,
    createdAt: now,
    source: input.source,
    numbers: input.receivers,
    voiceFileName: settings.multisender.voiceFileName,
    remote,
    state: 'calling',
    stateSince: now,
    checkedAt: now,
    notified: {},
  };
  // An adopted call may already have moved on (accepted while we could not see it).
  const { next, notices } = applyRemote(created, remote, now);
  await saveTracked(next);
  // A second click-to-call for this confirmation (the browser re-sent the POST on a reused
  // connection, or an earlier try landed late) would call the person twice: look at once, and
  // again once a first copy still being processed has landed (later still when a try of this
  // confirmation was cut off, as a cut-off request can commit late).
  const record = clickToCallRecord({
    requestId: input.requestId,
    keepId: remote.clickToCallId,
    since: unconfirmed?.at ?? now,
    label: `the click-to-call to ${input.receivers.join(', ')}`,
    source: { kind: 'click-to-call', id: input.requestId },
  });
  const lateUntil = deps.now() + (unconfirmed ? SLOWEST_COMMIT_MS : FIRST_CHECK_DELAY_MS);
  await putChecks([newCheck(`click-to-call:${input.requestId}`, record, deps.now(), lateUntil, 0)]);
  deps.checkForCopies?.();
  await deps.placed(next, notices);
  return { ok: true, call: toView(next, now), adopted };
}

function failed(failure: Failure): CreateResult {
  return {
    ok: false,
    reason: 'failed',
    sentence: describeCreateFailure(failure),
    mayHaveReached: failure.mayHaveReached === true,
  };
}

function settingsOnly(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !key.startsWith('receivers')));
}

/** The option labels of these fields (components/MultisenderDefaults.tsx), without "Multisender". */
export const DEFAULT_FIELD_NAMES: Record<string, string> = {
  voiceFileId: 'Voice file',
  activeFrom: 'Active from',
  activeTo: 'Active to',
  activeWeekdays: 'Active weekdays',
  acceptKey: 'Accept key',
  declineKey: 'Decline key',
  maxRedials: 'Maximum redials',
  expiryHours: 'Expiry',
};

/** "Nothing was sent. Fix the Multisender defaults in options — Voice file: Choose a voice file." */
export function settingsSentence(errors: FieldErrors): string {
  const parts = Object.entries(errors).map(([field, message]) => `${DEFAULT_FIELD_NAMES[field] ?? field}: ${message}`);
  return `Nothing was sent. Fix the Multisender defaults in options — ${parts.join(' ')}`;
}
