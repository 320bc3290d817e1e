import { describe, expect, it } from 'vitest';
import { getCountries, getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { PhoneSearch } from '../../../lib/phone/find-numbers.ts';
import { nearMissReason } from '../../../lib/phone/near-miss.ts';

/** What libphonenumber found, and why each was vetoed (accepted ones have no reason). */
function verdicts(text: string, defaultCountry: CountryCode) {
  const search = new PhoneSearch(text, { defaultCountry });
  search.run();
  const { accepted, rejected } = search.classify();
  return [...accepted.map((m) => `${m.text}:ok`), ...rejected.map((m) => `${m.text}:${m.reason}`)];
}

describe('near-misses libphonenumber accepts and the filter vetoes', () => {
  // Each of these is a valid number for libphonenumber-js; the reason names the rule that
  // catches it, so a rule that stops working fails here, not only in the corpus.
  const cases: [text: string, country: CountryCode, verdict: string][] = [
    ['2024-03-15', 'DE', '2024-03-15:date'],
    ['20240315', 'DE', '20240315:date'],
    ['94043-1351', 'DE', '94043-1351:zip'],
    ['INV-2024-000731', 'US', '2024-000731:glued'],
    ['Order #6505550100', 'US', '6505550100:glued'],
    ['Invoice 2024000731', 'US', '2024000731:keyword'],
    ['Customer ID: 6505550100', 'US', '6505550100:keyword'],
    ['$ 6505550100', 'US', '6505550100:price'],
    ['6505550100 EUR', 'US', '6505550100:price'],
    ['8.16.176', 'DE', '8.16.176:ip-or-version'],
    ['16.4.12.18912', 'GB', '16.4.12.18912:ip-or-version'],
    ['0364688462822660', 'DE', '0364688462822660:card'],
    ['8 (800) 555-35-35', 'US', '(800) 555-35-35:adjacent-digits'],
    ['sms:6505550100@gateway.example', 'US', '6505550100:url-or-email'],
  ];
  it.each(cases)('%s (default %s)', (text, country, verdict) => {
    expect(verdicts(text, country)).toEqual([verdict]);
  });
});

describe('nearMissReason', () => {
  it('lets digits beside a match stand when they belong to another number', () => {
    const text = '650-555-0100 650-555-0101';
    const a = { start: 0, end: 12 };
    const b = { start: 13, end: 25 };
    expect(nearMissReason(text, a, [a, b])).toBeUndefined();
    expect(nearMissReason(text, b, [a, b])).toBeUndefined();
    expect(nearMissReason(text, a, [a])).toBe('adjacent-digits');
  });

  it('reads a time stamp around the match', () => {
    expect(nearMissReason('15 03 2024 14:05', { start: 0, end: 13 })).toBe('time');
  });

  it('keeps phone labels that look like keywords apart', () => {
    expect(nearMissReason('Phone no. 6505550100', { start: 10, end: 20 })).toBeUndefined();
    expect(nearMissReason('Direct line: 6505550100', { start: 13, end: 23 })).toBeUndefined();
  });
});

describe('recall over every country', () => {
  it("finds each country's example number written nationally and internationally", () => {
    const missed: string[] = [];
    let total = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const variants: [string, CountryCode][] = [
        [example.formatNational(), country],
        [example.formatInternational(), 'US'],
        [`Tel: ${example.formatNational()} ext. 12`, country],
      ];
      for (const [text, defaultCountry] of variants) {
        total += 1;
        const search = new PhoneSearch(text, { defaultCountry });
        search.run();
        if (!search.matches().some((m) => m.e164 === example.number)) missed.push(`${country}: ${text}`);
      }
    }
    expect(total).toBeGreaterThan(600);
    // New Caledonia writes six digits with dots ("75.12.34"), which reads as a version number;
    // accepted as the one loss.
    expect(missed).toEqual(['NC: 75.12.34']);
  });
});
