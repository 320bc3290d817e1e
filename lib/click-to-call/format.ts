/**
 * Words for click-to-calls, shared by the popup, the options page and the in-page panel (so it
 * imports nothing heavier than types).
 */
import type { ReceiverCheck, ReceiverView, TrackedState } from './types.ts';

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Monday first, as the reference lists them and as most calling weeks start. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** [1,2,3,4,5] → "Mon–Fri"; [1,3,5] → "Mon, Wed, Fri"; [6,0] → "Sat–Sun". */
export function formatWeekdays(days: readonly number[]): string {
  const set = new Set(days);
  if (set.size === 0) return 'no days';
  if (set.size === 7) return 'every day';
  const runs: number[][] = [];
  for (const day of WEEK_ORDER) {
    if (!set.has(day)) continue;
    const last = runs[runs.length - 1];
    const previous = last?.[last.length - 1];
    if (last && previous !== undefined && WEEK_ORDER.indexOf(previous) === WEEK_ORDER.indexOf(day) - 1) last.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `${SHORT_DAYS[run[0]!]}–${SHORT_DAYS[run[run.length - 1]!]}`
        : run.map((day) => SHORT_DAYS[day]).join(', '),
    )
    .join(', ');
}

/** "09:00:00" or "09:00" → "09:00". */
export function shortTime(time: string): string {
  return time.slice(0, 5);
}

export function formatHours(from: string, to: string): string {
  return `${shortTime(from)}–${shortTime(to)}`;
}

/** 184 → "3 min 4 s"; 0 → "0 s". */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "just now", "4 min ago", "2 h ago", "3 days ago". */
export function formatAge(since: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The user's local date and time, short: "Tue 14 May, 17:00". */
export function formatWhen(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export const STATE_LABELS: Record<TrackedState, string> = {
  calling: 'Calling',
  accepted: 'Accepted',
  'not-accepted': 'Not accepted',
  expired: 'Expired',
  cancelled: 'Cancelled',
  removed: 'Removed at Multisender',
};

/** A receiver's reply as a person reads it. */
export function replyLabel(receiver: ReceiverView): string {
  switch (receiver.reply) {
    case 'accept':
      return 'accepted';
    case 'decline':
      return 'declined';
    case 'noAnswer':
    case 'noReply':
      return receiver.answered ? 'answered, no key pressed' : 'no answer';
    case undefined:
    case '':
      if (receiver.answered) return 'answered';
      return receiver.dialledCalls > 0 ? 'no answer yet' : 'not called yet';
    default:
      return receiver.reply;
  }
}

/**
 * "first", "then #2", … for the numbers that will be called, in order; nothing for one left out
 * (or when only one number is called).
 */
export function callOrderLabels(receivers: readonly ReceiverCheck[]): (string | undefined)[] {
  const callable = receivers.filter((r) => r.e164 && !r.error).length;
  let position = 0;
  return receivers.map((r) => {
    if (!r.e164 || r.error || callable < 2) return undefined;
    position += 1;
    return position === 1 ? 'first' : `then #${position}`;
  });
}
