/**
 * Calling hours in the contact's local time (issue 4, "Calling hours"): options hold a window
 * (default 09:00–20:00, Monday–Friday); a number's local time comes from its country or North
 * American area code (lib/phone-timezones.ts). Outside the window is a warning, never a block.
 * Pure: the caller passes the clock.
 */
import { timeZonesForNumber } from './phone-timezones.ts';
import type { Settings } from './settings.ts';

export type CallingHours = Settings['callingHours'];

export interface LocalTimeInfo {
  /** The zone, when the number's area keeps exactly one. */
  timeZone?: string;
  /** "14:05" there (24-hour), when the zone is known. */
  localTime?: string;
  /** "Tuesday" there, when the zone is known. */
  weekday?: string;
  /**
   * true inside calling hours, false outside, undefined when it cannot be told (unknown zone, or
   * an area spanning zones where one is inside and another outside).
   */
  withinHours: boolean | undefined;
  /**
   * true when it is outside calling hours in at least one zone the number may ring in: the
   * restrictive reading a warning goes by (issue 12). An area code that spans zones (620, 907…)
   * is outside when any of its clocks is, since the number's exchange is not read; unknown zones
   * are never outside.
   */
  mayBeOutside: boolean;
  /** One sentence for people. */
  label: string;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const SHORT_TO_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

interface ZoneClock {
  zone: string;
  /** "HH:MM" */
  time: string;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function clockIn(zone: string, now: Date): ZoneClock {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    zone,
    time: `${part('hour').padStart(2, '0')}:${part('minute')}`,
    weekday: SHORT_TO_INDEX[part('weekday')] ?? 0,
  };
}

function isWithin(clock: ZoneClock, hours: CallingHours): boolean {
  // Times are zero-padded "HH:MM", so string order is time order; the end is exclusive.
  return hours.weekdays.includes(clock.weekday) && clock.time >= hours.start && clock.time < hours.end;
}

/** "09:00–20:00, Monday to Friday" */
export function describeCallingHours(hours: CallingHours): string {
  return `${hours.start}–${hours.end}, ${describeWeekdays(hours.weekdays)}`;
}

function describeWeekdays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 0) return 'no day';
  if (sorted.length === 7) return 'every day';
  const contiguous = sorted.every((day, i) => i === 0 || day === sorted[i - 1]! + 1);
  if (contiguous && sorted.length > 2)
    return `${WEEKDAY_NAMES[sorted[0]!]} to ${WEEKDAY_NAMES[sorted[sorted.length - 1]!]}`;
  return sorted.map((day) => WEEKDAY_NAMES[day]).join(', ');
}

/**
 * The number's local time and whether it falls inside calling hours, with a sentence saying so:
 * "14:05 on Tuesday in area code 650 (California), within calling hours." When the area spans
 * zones, each is looked at; the answer is only definite when they agree.
 */
export function localTimeInfo(
  e164: string,
  settings: { callingHours: CallingHours },
  now: Date = new Date(),
): LocalTimeInfo {
  const hours = settings.callingHours;
  const where = timeZonesForNumber(e164);
  if (where.candidates.length === 0) {
    return {
      withinHours: undefined,
      mayBeOutside: false,
      label: `The local time for ${e164} is not known, so calling hours were not checked.`,
    };
  }
  const clocks = where.candidates.map((zone) => clockIn(zone, now));
  const verdicts = clocks.map((clock) => isWithin(clock, hours));
  const window = describeCallingHours(hours);
  if (clocks.length === 1) {
    const clock = clocks[0]!;
    const within = verdicts[0]!;
    const basis = where.basis ? `${where.basis}, ${clock.zone}` : clock.zone;
    const at = `It is ${clock.time} on ${WEEKDAY_NAMES[clock.weekday]} in ${where.place} (${basis})`;
    return {
      timeZone: clock.zone,
      localTime: clock.time,
      weekday: WEEKDAY_NAMES[clock.weekday],
      withinHours: within,
      mayBeOutside: !within,
      label: within ? `${at}: within calling hours.` : `${at}: outside calling hours (${window}).`,
    };
  }
  const times = clocks.map((c) => `${c.time} ${WEEKDAY_NAMES[c.weekday]} (${c.zone})`).join(' or ');
  const agree = verdicts.every((v) => v === verdicts[0]);
  const withinHours = agree ? verdicts[0] : undefined;
  const verdict =
    withinHours === true
      ? 'within calling hours either way.'
      : withinHours === false
        ? `outside calling hours (${window}) either way.`
        : `it may be outside calling hours (${window}).`;
  return {
    withinHours,
    mayBeOutside: verdicts.some((within) => !within),
    label: `${capitalise(where.place ?? 'That area')}${where.basis ? ` (${where.basis})` : ''} spans time zones: it is ${times}; ${verdict}`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
