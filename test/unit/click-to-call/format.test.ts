import { describe, expect, it } from 'vitest';
import { describeCreateFailure } from '../../../lib/click-to-call/failure.ts';
import {
  callOrderLabels,
  formatAge,
  formatDuration,
  formatHours,
  formatWeekdays,
  replyLabel,
} from '../../../lib/click-to-call/format.ts';
import { splitNumbers } from '../../../lib/click-to-call/receivers.ts';

describe('click-to-call words', () => {
  it('weekdays read as ranges, Monday first', () => {
    expect(formatWeekdays([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(formatWeekdays([5, 3, 1])).toBe('Mon, Wed, Fri');
    expect(formatWeekdays([6, 0])).toBe('Sat, Sun');
    expect(formatWeekdays([4, 5, 6, 0])).toBe('Thu–Sun');
    expect(formatWeekdays([0, 1, 2, 3, 4, 5, 6])).toBe('every day');
    expect(formatWeekdays([])).toBe('no days');
  });

  it('hours, durations and ages', () => {
    expect(formatHours('09:00:00', '17:30')).toBe('09:00–17:30');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(184)).toBe('3 min 4 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatAge(1_000, 31_000)).toBe('just now');
    expect(formatAge(0, 4 * 60_000)).toBe('4 min ago');
    expect(formatAge(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAge(0, 72 * 3_600_000)).toBe('3 days ago');
  });

  it('replies', () => {
    const r = { phone: '+16505550100', answered: false, dialledCalls: 0, callDuration: 0 };
    expect(replyLabel(r)).toBe('not called yet');
    expect(replyLabel({ ...r, dialledCalls: 1 })).toBe('no answer yet');
    expect(replyLabel({ ...r, reply: 'noAnswer', dialledCalls: 4 })).toBe('no answer');
    expect(replyLabel({ ...r, answered: true, reply: 'noAnswer' })).toBe('answered, no key pressed');
    expect(replyLabel({ ...r, answered: true, reply: 'decline' })).toBe('declined');
    expect(replyLabel({ ...r, answered: true, reply: 'accept' })).toBe('accepted');
  });

  it('the call order counts only the numbers that will be called', () => {
    const ok = (e164: string) => ({ input: e164, e164 });
    expect(callOrderLabels([ok('+1'), { input: 'x', error: 'bad' }, ok('+2')])).toEqual(['first', undefined, 'then #2']);
    expect(callOrderLabels([ok('+1'), { input: 'x', error: 'bad' }])).toEqual([undefined, undefined]);
  });

  it('further numbers typed in one box', () => {
    expect(splitNumbers(' +44 20 7946 0958,\n(650) 555-0101 ; \n\n')).toEqual(['+44 20 7946 0958', '(650) 555-0101']);
  });

  it('a failed create never promises a retry the extension will not make', () => {
    expect(describeCreateFailure({ kind: 'server', service: 'Multisender', status: 502, mayHaveReached: true })).toBe(
      'Multisender had a problem (502). The click-to-call may have been placed anyway: Retry checks Multisender first, so it is never placed twice.',
    );
    expect(describeCreateFailure({ kind: 'rate-limited', service: 'Multisender', retryAfterMs: 20_000 })).toBe(
      'Multisender is limiting requests (429). Try again in 20 s. No call was placed.',
    );
    expect(describeCreateFailure({ kind: 'auth', service: 'Multisender', status: 401 })).toBe(
      'Multisender rejected the access token (401). Check the Multisender settings in options. No call was placed.',
    );
  });
});
