/**
 * Click-to-calls created from this browser, as the background keeps them (IndexedDB store
 * `clickToCalls`) and as the popup and the in-page panel see them. Issue 5.
 */
import type { Failure } from '../errors.ts';
import type { ClickToCall, ClickToCallState } from '../providers/multisender.ts';

/**
 * Multisender's states (lib/providers/multisender.ts `clickToCallProgress`), plus the two only
 * this browser knows: cancelled from here, and gone from the service (deleted elsewhere, 404).
 */
export type TrackedState = ClickToCallState | 'cancelled' | 'removed';

/** States after which Multisender dials no one any more. */
export const FINAL_STATES: readonly TrackedState[] = ['accepted', 'not-accepted', 'expired', 'cancelled', 'removed'];

/** More numbers than this are a campaign, not a click-to-call. */
export const MAX_RECEIVERS = 10;

/** Where the user started it. */
export type ClickToCallSource = 'page' | 'popup' | 'context-menu';

export interface TrackedClickToCall {
  /** Multisender's clickToCallId (the store's key). */
  id: string;
  /** The confirmation's id: a retry carries the same one, so a call is never placed twice. */
  requestId: string;
  /** The Multisender base URL it was created at; polling skips calls of another account. */
  baseUrl: string;
  createdAt: number;
  source: ClickToCallSource;
  /** The chosen number first, then the further ones, as E.164. */
  numbers: string[];
  voiceFileName: string;
  /** Multisender's last answer (GET /click_to_calls/:id or the POST's). */
  remote: ClickToCall;
  state: TrackedState;
  /** When the state last changed. */
  stateSince: number;
  /** When Multisender was last asked. */
  checkedAt: number;
  /** Why the last check failed, if it did (shown under the call; polling goes on). */
  checkError?: Failure;
  /** Not asked again before this time (429 Retry-After). */
  nextCheckAt?: number;
  /** Notifications already shown, so a second poll does not show them again. */
  notified: { accepted?: boolean; expired?: boolean };
}

/** One receiver as Activity lists it. */
export interface ReceiverView {
  phone: string;
  answered: boolean;
  /** "accept", "decline", "noAnswer" (the service's words), or undefined before any answer. */
  reply?: string;
  dialledCalls: number;
  /** Seconds. */
  callDuration: number;
  /** Epoch ms, when the service gave it. */
  latestCallAt?: number;
}

/** A tracked click-to-call as the popup and the page see it (no secrets, no base URL). */
export interface ClickToCallView {
  id: string;
  createdAt: number;
  source: ClickToCallSource;
  state: TrackedState;
  stateSince: number;
  /** The receiver who pressed the accept key. */
  acceptedBy?: string;
  receivers: ReceiverView[];
  voiceFileId: string;
  voiceFileName: string;
  activeFrom: string;
  activeTo: string;
  /** Epoch ms; Multisender stops calling then. */
  expiresAt?: number;
  maxRedials: number;
  totals: { dialledCalls: number; answeredCalls: number; durationSeconds: number };
  checkedAt: number;
  /** One sentence, when the last check failed. */
  checkError?: string;
  /** Whether polling still follows it. */
  active: boolean;
}

/** Do-not-call screening of one number (lib/dnc, issue 4), as the confirmation shows it. */
export interface ScreeningView {
  blocked: boolean;
  /** Why, in words: "On the Call-Em-All opt-out list since 2024-03-01". */
  reasons: string[];
}

/** The contact's local time (lib/calling-hours.ts, issue 4), as the confirmation shows it. */
export interface LocalTimeView {
  /** "14:05 in New York (Tue)". */
  text: string;
  /** True when it is, or may be (an area code spanning zones), outside the calling hours set in options. */
  outsideHours?: boolean;
}

/** One number of the confirmation. */
export interface ReceiverCheck {
  input: string;
  e164?: string;
  display?: string;
  error?: string;
  note?: string;
  screening?: ScreeningView;
  localTime?: LocalTimeView;
}

/** What the confirmation shows before anything is sent. */
export interface ConfirmationView {
  receivers: ReceiverCheck[];
  voiceFile: { id: string; name: string };
  /** "09:00–17:00". */
  hours: string;
  /** "Mon–Fri". */
  weekdays: string;
  acceptKey: string;
  declineKey: string;
  maxRedials: number;
  /** Epoch ms, if it were placed now. */
  expiresAt: number;
  /** Problems with the Multisender defaults, keyed by settings.multisender field. */
  settingsErrors: Record<string, string>;
  /** One sentence when Multisender cannot be used at all (not set up, no permission). */
  setupProblem?: string;
  /** Whether do-not-call screening ran (it exists once issue 4 lands). */
  screened: boolean;
  now: number;
}

/** The answer to a create. Nothing is queued: a failure is shown with a Retry. */
export type CreateResult =
  | { ok: true; call: ClickToCallView; /** Found at Multisender after an earlier answer was lost. */ adopted: boolean }
  | { ok: false; reason: 'settings'; errors: Record<string, string>; sentence: string }
  | { ok: false; reason: 'receivers'; errors: Record<string, string>; sentence: string }
  | { ok: false; reason: 'do-not-call'; blocked: { e164: string; reasons: string[] }[]; sentence: string }
  | { ok: false; reason: 'failed'; sentence: string; mayHaveReached: boolean };
