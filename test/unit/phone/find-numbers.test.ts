import { describe, expect, it } from 'vitest';
import type { CountryCode } from 'libphonenumber-js/max';
import {
  findPhoneNumbers,
  mayContainPhoneNumber,
  minNationalDigits,
  parseTelHref,
  PhoneSearch,
} from '../../../lib/phone/find-numbers.ts';

function find(text: string, defaultCountry: CountryCode = 'US') {
  return findPhoneNumbers(text, { defaultCountry }).map((m) => (m.extension ? `${m.e164};ext=${m.extension}` : m.e164));
}

describe('findPhoneNumbers: numbers it must find', () => {
  const cases: [text: string, country: CountryCode, expected: string][] = [
    // International formats of many countries, whatever the default country.
    ['+1 (650) 555-0100', 'DE', '+16505550100'],
    ['+44 20 7946 0018', 'US', '+442079460018'],
    ['+49 30 90181234', 'US', '+493090181234'],
    ['+33 1 42 68 12 34', 'US', '+33142681234'],
    ['+61 2 9374 1234', 'US', '+61293741234'],
    ['+81 3-1234-5678', 'US', '+81312345678'],
    ['+34 912 345 678', 'US', '+34912345678'],
    ['+39 06 1234 5678', 'US', '+390612345678'],
    ['+91 98765 43210', 'US', '+919876543210'],
    ['+55 11 91234-5678', 'US', '+5511912345678'],
    ['+7 (800) 555-35-35', 'US', '+78005553535'],
    ['+31 20 794 0000', 'US', '+31207940000'],
    // National formats with the matching default country.
    ['(650) 555-0100', 'US', '+16505550100'],
    ['650.555.0100', 'US', '+16505550100'],
    ['650-555-0100', 'US', '+16505550100'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['030 90181234', 'DE', '+493090181234'],
    ['01 42 68 12 34', 'FR', '+33142681234'],
    ['(02) 9374 1234', 'AU', '+61293741234'],
    ['03-1234-5678', 'JP', '+81312345678'],
    ['912 345 678', 'ES', '+34912345678'],
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['098765 43210', 'IN', '+919876543210'],
    // Extensions are kept as the number's extension.
    ['(650) 555-0100 x123', 'US', '+16505550100;ext=123'],
    ['+1 650 555 0100 ext. 45', 'US', '+16505550100;ext=45'],
    ['650-555-0100 #12', 'US', '+16505550100;ext=12'],
    ['+44 20 7946 0018 ext 7', 'US', '+442079460018;ext=7'],
    // Extension labels CRMs use abroad.
    ['04 91 23 45 67 poste 12', 'FR', '+33491234567;ext=12'],
    ['(41) 3322-1100 ramal 25', 'BR', '+554133221100;ext=25'],
    ['06-6123-4567 内線 210', 'JP', '+81661234567;ext=210'],
    ['0221 9876543 Durchwahl -12', 'DE', '+492219876543;ext=12'],
    // In a sentence.
    ['Call me on +1 650 555 0100 tomorrow.', 'US', '+16505550100'],
    ['Tel: (650) 555-0100', 'US', '+16505550100'],
    ['Phone no. 020 7946 0018', 'GB', '+442079460018'],
  ];
  it.each(cases)('%s (default %s)', (text, country, expected) => {
    expect(find(text, country)).toEqual([expected]);
  });

  it('finds two numbers side by side', () => {
    expect(find('650-555-0100 650-555-0101')).toEqual(['+16505550100', '+16505550101']);
    expect(find('Mobile (650) 555-0100 / Office +44 20 7946 0018')).toEqual(['+16505550100', '+442079460018']);
  });

  it('reports offsets that cover the extension', () => {
    const text = 'Office: +1 650 555 0100 ext. 45, thanks';
    const [match] = findPhoneNumbers(text, { defaultCountry: 'US' });
    expect(text.slice(match!.start, match!.end)).toBe('+1 650 555 0100 ext. 45');
    expect(match!.text).toBe('+1 650 555 0100 ext. 45');
  });
});

describe('findPhoneNumbers: near-misses it must leave alone', () => {
  const misses: [text: string, country: CountryCode][] = [
    ['2024-03-15', 'DE'],
    ['15.03.2024', 'DE'],
    ['20240315', 'DE'],
    ['03/15/2024', 'US'],
    ['2024-03-15 14:05', 'US'],
    ['94043-1351', 'DE'],
    ['Mountain View, CA 94043-1351', 'FR'],
    ['INV-2024-000731', 'US'],
    ['Invoice 2024000731', 'US'],
    ['Order #6505550100', 'US'],
    ['Order ID: 6505550100', 'US'],
    ['ORD-100000', 'DE'],
    ['$12,345.67', 'US'],
    ['$ 6505550100', 'US'],
    ['6505550100 USD', 'US'],
    ['1.234.567,89 €', 'DE'],
    ['192.168.10.24', 'US'],
    ['10.0.12.201', 'DE'],
    ['4111 1111 1111 1111', 'US'],
    ['4111-1111-1111-1111', 'DE'],
    ['4111111111111111', 'US'],
    ['ISBN 978-3-16-148410-0', 'DE'],
    ['978-3-16-148410-0', 'DE'],
    ['ISBN 0-306-40615-2', 'US'],
    ['version 2.4.1', 'US'],
    ['v10.2.3.4567', 'DE'],
    ['build 2024.03.15.1234', 'DE'],
    ['8 (800) 555-35-35', 'US'],
    ['14:05', 'US'],
    ['sms:6505550100@gateway.example', 'US'],
    ['https://crm.example/contacts?id=6505550100', 'US'],
    ['SKU 6505550100', 'US'],
  ];
  it.each(misses)('%s (default %s)', (text, country) => {
    expect(find(text, country)).toEqual([]);
  });
});

describe('mayContainPhoneNumber', () => {
  it('skips text with too few digits for the default country', () => {
    expect(minNationalDigits('US')).toBe(10);
    expect(mayContainPhoneNumber('ORD-100003', 'US')).toBe(false);
    expect(mayContainPhoneNumber('2024-03-15', 'US')).toBe(false);
    expect(mayContainPhoneNumber('(650) 555-0100', 'US')).toBe(true);
  });

  it('always searches text with a plus sign', () => {
    expect(mayContainPhoneNumber('+44 20', 'US')).toBe(true);
  });

  it('never skips a number the matcher would find', () => {
    for (const country of ['US', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN', 'AU', 'ES'] as CountryCode[]) {
      const min = minNationalDigits(country);
      expect(min).toBeGreaterThan(0);
      // The shortest text that can be a national number passes the check.
      expect(mayContainPhoneNumber('1'.repeat(min), country)).toBe(true);
      expect(mayContainPhoneNumber('1'.repeat(min - 1), country)).toBe(false);
    }
  });
});

describe('PhoneSearch', () => {
  it('can be paused between matches and resumed', () => {
    const text = Array.from({ length: 5 }, (_, i) => `Row ${i}: (650) 555-010${i}`).join('\n');
    const search = new PhoneSearch(text, { defaultCountry: 'US' });
    let rounds = 0;
    while (!search.run(() => true)) rounds += 1;
    expect(rounds).toBe(5);
    expect(search.matches().map((m) => m.e164)).toEqual([0, 1, 2, 3, 4].map((i) => `+1650555010${i}`));
  });

  it('says why a near-miss was vetoed', () => {
    const search = new PhoneSearch('Due 2024-03-15, ref INV-2024-000731', { defaultCountry: 'DE' });
    search.run();
    const { accepted, rejected } = search.classify();
    expect(accepted).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual(['date', 'glued']);
  });
});

describe('parseTelHref', () => {
  it('reads E.164 and national tel: links', () => {
    expect(parseTelHref('tel:+14155552671', 'US')).toMatchObject({ e164: '+14155552671' });
    expect(parseTelHref('TEL:+1-415-555-2671', 'GB')).toMatchObject({ e164: '+14155552671' });
    expect(parseTelHref('tel:020%207946%200018', 'GB')).toMatchObject({ e164: '+442079460018' });
  });

  it('keeps the extension', () => {
    expect(parseTelHref('tel:+1-650-555-0100;ext=45', 'US')).toEqual({
      e164: '+16505550100',
      extension: '45',
      text: '+1-650-555-0100',
    });
  });

  it('applies a global phone-context', () => {
    expect(parseTelHref('tel:0142681234;phone-context=+33', 'US')?.e164).toBe('+33142681234');
  });

  it('rejects what is not a number', () => {
    expect(parseTelHref('tel:', 'US')).toBeUndefined();
    expect(parseTelHref('tel:12', 'US')).toBeUndefined();
    expect(parseTelHref('mailto:a@b.example', 'US')).toBeUndefined();
    expect(parseTelHref('tel:%E0%A4%A', 'US')).toBeUndefined();
  });
});

// Issue 12: the numbers missed on international pages, and the false positives to stop.
describe('findPhoneNumbers: issue 12', () => {
  const findIn = (text: string, options: Parameters<typeof findPhoneNumbers>[1]) =>
    findPhoneNumbers(text, options).map((m) => (m.extension ? `${m.e164};ext=${m.extension}` : m.e164));

  it('reads French numbers written with dots', () => {
    expect(find('06.12.34.56.78', 'FR')).toEqual(['+33612345678']);
    expect(find('Tél. 01.42.68.53.00', 'FR')).toEqual(['+33142685300']);
    // Versions and IP addresses stay near-misses.
    expect(find('version 10.2.3.45', 'FR')).toEqual([]);
    expect(find('192.168.10.24', 'FR')).toEqual([]);
  });

  it('reads the 00 international prefix whatever the default country', () => {
    expect(find('0049 30 90182345', 'US')).toEqual(['+493090182345']);
    expect(find('0033 1 42 68 53 00', 'AU')).toEqual(['+33142685300']);
    expect(find('(0044) 20 7946 0018', 'BR')).toEqual(['+442079460018']);
    expect(find('0091 98765 43210', 'US')).toEqual(['+919876543210']);
    // Amounts with zeros are not prefixes.
    expect(find('USD 1 000 000', 'US')).toEqual([]);
  });

  it('reads a national number in the format of a country the context names', () => {
    expect(findIn('UK mobile 07911 123456', { defaultCountry: 'US', contextCountries: ['GB'] })).toEqual(['+447911123456']);
    expect(findIn('Tel. (DE) 030 90182345', { defaultCountry: 'FR', contextCountries: ['DE'] })).toEqual(['+493090182345']);
    // The default country's reading wins where both read a number.
    expect(findIn('(650) 555-0100', { defaultCountry: 'US', contextCountries: ['DE'] })).toEqual(['+16505550100']);
  });

  it('reads plain US numbers in free-form text', () => {
    expect(find('Mar 15, 2024 415-555-0132 called back')).toEqual(['+14155550132']);
    expect(find('2024-03-15 10:15 415-555-0132')).toEqual(['+14155550132']);
    expect(find('Called at 10:15 AM 415-555-0132')).toEqual(['+14155550132']);
    expect(find('in case 415-555-0132 is busy try 650-555-0100')).toEqual(['+14155550132', '+16505550100']);
    expect(find('cell#415-555-0132, tel.650-555-0100')).toEqual(['+14155550132', '+16505550100']);
    expect(find('> On Mon, Mar 4, 2024 at 10:15 AM Ann wrote: reach me at (212) 555-0147')).toEqual(['+12125550147']);
    // A plain run after an ID keyword stays out.
    expect(find('customer 4155550132')).toEqual([]);
  });

  it('reads a German extension after a hyphen', () => {
    expect(find('069/123456-12', 'DE')).toEqual(['+4969123456;ext=12']);
    expect(find('+49 221 123456-17', 'US')).toEqual(['+49221123456;ext=17']);
    expect(find('0221 9876543-0', 'DE')).toEqual(['+492219876543;ext=0']);
    // A hyphen inside a number that is not valid without its tail stays part of the number.
    expect(find('0151 2345-6789', 'DE')).toEqual(['+4915123456789']);
  });

  it('reads a country code set apart by a separator', () => {
    expect(find('+44 | 131 496 0018', 'US')).toEqual(['+441314960018']);
    expect(find('+49 · 30 90182345', 'US')).toEqual(['+493090182345']);
  });

  it('leaves numbers alone where the context says they are not phone numbers', () => {
    expect(findIn('4155550132', { defaultCountry: 'US', notPhone: true })).toEqual([]);
    expect(find('12/345/67890', 'DE')).toEqual([]);
    expect(find('Steuernummer 12/345/67890', 'DE')).toEqual([]);
    expect(find('Tax no. 181/815/08155', 'DE')).toEqual([]);
  });
});
