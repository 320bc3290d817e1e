import { describe, expect, it } from 'vitest';
import { describeCallingHours, localTimeInfo } from '../../lib/calling-hours.ts';

const defaults = { callingHours: { start: '09:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] } };

describe('localTimeInfo', () => {
  it('is within hours on a weekday afternoon in the number’s zone', () => {
    // Tuesday 2024-03-12 21:05 UTC = 14:05 in California (PDT, UTC−7).
    const info = localTimeInfo('+16505550100', defaults, new Date('2024-03-12T21:05:00Z'));
    expect(info).toMatchObject({
      timeZone: 'America/Los_Angeles',
      localTime: '14:05',
      weekday: 'Tuesday',
      withinHours: true,
    });
    expect(info.label).toBe(
      'It is 14:05 on Tuesday in California (area code 650, America/Los_Angeles): within calling hours.',
    );
  });

  it('is outside hours in the evening there, even when it is daytime for the user', () => {
    // 2024-03-13 01:30 UTC = Tuesday 21:30 in New York (EDT).
    const info = localTimeInfo('+12125550147', defaults, new Date('2024-03-13T01:30:00Z'));
    expect(info.withinHours).toBe(false);
    expect(info.localTime).toBe('21:30');
    expect(info.label).toContain('outside calling hours (09:00–20:00, Monday to Friday)');
  });

  it('treats the end as exclusive and the start as inclusive', () => {
    // London in winter is UTC.
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T09:00:00Z')).withinHours).toBe(true);
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T19:59:00Z')).withinHours).toBe(true);
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T20:00:00Z')).withinHours).toBe(false);
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T08:59:00Z')).withinHours).toBe(false);
  });

  it('uses the weekday there, not here', () => {
    // Friday 23:30 UTC is already Saturday morning in Sydney: outside Monday–Friday.
    const info = localTimeInfo(
      '+61293741234',
      { callingHours: { start: '08:00', end: '20:00', weekdays: [1, 2, 3, 4, 5] } },
      new Date('2024-03-08T23:30:00Z'),
    );
    expect(info.weekday).toBe('Saturday');
    expect(info.withinHours).toBe(false);
  });

  it('follows the options: weekend hours', () => {
    const weekend = { callingHours: { start: '10:00', end: '14:00', weekdays: [0, 6] } };
    // Saturday 2024-03-09 12:00 in London (GMT).
    expect(localTimeInfo('+442079460123', weekend, new Date('2024-03-09T12:00:00Z')).withinHours).toBe(true);
    expect(localTimeInfo('+442079460123', weekend, new Date('2024-03-11T12:00:00Z')).withinHours).toBe(false);
  });

  it('is definite for a split area only when every zone agrees', () => {
    // 850: New York and Chicago. 14:00 UTC in March = 10:00 EDT / 09:00 CDT: both inside.
    expect(localTimeInfo('+18505550100', defaults, new Date('2024-03-12T14:00:00Z')).withinHours).toBe(true);
    // 13:30 UTC = 09:30 EDT inside, 08:30 CDT outside.
    const unsure = localTimeInfo('+18505550100', defaults, new Date('2024-03-12T13:30:00Z'));
    expect(unsure.withinHours).toBeUndefined();
    expect(unsure.timeZone).toBeUndefined();
    expect(unsure.label).toMatch(/^The Florida panhandle \(area code 850\) spans time zones/);
    expect(unsure.label).toContain('09:30 Tuesday (America/New_York) or 08:30 Tuesday (America/Chicago)');
  });

  it('reads a split area restrictively: outside when any of its clocks is (issue 12)', () => {
    // 620, Kansas: Central, and Mountain on the Colorado line. 14:30 UTC in March = 09:30 CDT, 08:30 MDT.
    const kansas = localTimeInfo('+16205550100', defaults, new Date('2024-03-12T14:30:00Z'));
    expect(kansas.withinHours).toBeUndefined();
    expect(kansas.mayBeOutside).toBe(true);
    expect(kansas.label).toContain('it may be outside calling hours');
    // An hour later both are inside: no warning.
    const later = localTimeInfo('+16205550100', defaults, new Date('2024-03-12T15:30:00Z'));
    expect(later).toMatchObject({ withinHours: true, mayBeOutside: false });
    // One zone: outside is outside.
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T20:00:00Z')).mayBeOutside).toBe(true);
    expect(localTimeInfo('+442079460123', defaults, new Date('2024-01-10T12:00:00Z')).mayBeOutside).toBe(false);
  });

  it('says when the local time is not known', () => {
    const info = localTimeInfo('+61412345678', defaults, new Date());
    expect(info).toEqual({
      withinHours: undefined,
      mayBeOutside: false,
      label: 'The local time for +61412345678 is not known, so calling hours were not checked.',
    });
  });
});

describe('describeCallingHours', () => {
  it('writes ranges and lists of days', () => {
    expect(describeCallingHours(defaults.callingHours)).toBe('09:00–20:00, Monday to Friday');
    expect(describeCallingHours({ start: '08:30', end: '12:00', weekdays: [0, 6] })).toBe(
      '08:30–12:00, Sunday, Saturday',
    );
    expect(describeCallingHours({ start: '08:30', end: '12:00', weekdays: [0, 1, 2, 3, 4, 5, 6] })).toBe(
      '08:30–12:00, every day',
    );
  });
});
