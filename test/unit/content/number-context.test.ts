// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CountryCode } from 'libphonenumber-js/max';
import { countriesNamedIn, labelVerdict } from '../../../lib/content/number-context.ts';
import { Scanner } from '../../../lib/content/scanner.ts';
import { toDataE164 } from '../../../lib/phone/e164.ts';

function scan(markup: string, defaultCountry: CountryCode = 'US'): string[] {
  const main = document.createElement('main');
  main.innerHTML = markup;
  document.body.append(main);
  const scanner = new Scanner([main], { defaultCountry, ignored: new Set(), isVisible: () => true });
  scanner.run();
  return scanner.found.map((f) => toDataE164(f.ref));
}

beforeEach(() => document.body.replaceChildren());

describe('labels and country names', () => {
  it('tells phone labels from ID, tax and account labels', () => {
    for (const label of ['Phone', 'Mobile', 'Tel.', 'Téléphone', 'Telefon', 'Celular', 'Fax', 'Phone number']) {
      expect(labelVerdict(label), label).toBe('phone');
    }
    for (const label of ['Id', 'Customer ID', 'Steuernummer', 'Tax no.', 'Account number', 'CPF', 'GSTIN', 'ABN', 'Kundennr.']) {
      expect(labelVerdict(label), label).toBe('not-phone');
    }
    expect(labelVerdict('Name')).toBeUndefined();
  });

  it('reads countries from labels and addresses, not from US state codes', () => {
    expect(countriesNamedIn('UK mobile', false)).toEqual(['GB']);
    expect(countriesNamedIn('Tel. (DE)', false)).toEqual(['DE']);
    expect(countriesNamedIn('12 Rue de Rivoli, 75001 Paris, France', false)).toEqual(['FR']);
    expect(countriesNamedIn('10 Downing St, London SW1A 2AA', true)).toEqual(['GB']);
    expect(countriesNamedIn('Wilmington, DE 19801 · Indianapolis, IN 46204', true)).toEqual([]);
  });
});

describe('context decides (issue 12)', () => {
  it('reads a national number of the country a label names', () => {
    expect(scan('<dl><dt>UK mobile</dt><dd>07911 123456</dd><dt>Tel. (DE)</dt><dd>030 90182345</dd></dl>')).toEqual([
      '+447911123456',
      '+493090182345',
    ]);
    expect(scan('<p>UK mobile 07911 123456</p>')).toEqual(['+447911123456']);
  });

  it("reads a national number of the record's country: its address or another number", () => {
    expect(
      scan(
        '<table><thead><tr><th>Name</th><th>Phone</th><th>Address</th></tr></thead><tbody>' +
          '<tr><td>Anna</td><td>030 90182345</td><td>Berlin, Germany</td></tr>' +
          '<tr><td>Ben</td><td>+44 20 7946 0018 / 0161 496 0000</td><td></td></tr>' +
          '<tr><td>Cy</td><td>030 90182345</td><td>Austin, TX</td></tr></tbody></table>',
      ),
    ).toEqual(['+493090182345', '+442079460018', '+441614960000']);
    expect(scan('<div class="card"><p>Mobile +44 7911 123456</p><p>Office 0131 496 0018</p></div>')).toEqual([
      '+447911123456',
      '+441314960018',
    ]);
  });

  it("reads the record's country in numbers from a trunk 0 or in its grouping, never under an ID label", () => {
    // The record has a US number; the NHS number is not read as a US one.
    expect(scan('<dl><dt>US office</dt><dd>+1 415 555 0132</dd><dt>NHS number</dt><dd>943 476 5919</dd></dl>', 'GB')).toEqual([
      '+14155550132',
    ]);
    // A Brazilian record on a US page: "(51) 3290-5187" is grouped as Brazil groups it.
    expect(scan('<div class="card"><p>Phone +55 11 91234-5678</p><p>Office (51) 3290-5187</p><p>São Paulo, Brasil</p></div>')).toEqual([
      '+5511912345678',
      '+555132905187',
    ]);
    // A French record on a German page: dotted pairs are French.
    expect(scan('<div class="card"><p>Paris, France</p><p>Büro 03 38 23 42 05</p></div>', 'DE')).toEqual(['+33338234205']);
  });

  it('leaves IDs, tax numbers and account numbers alone', () => {
    expect(
      scan(
        '<table><thead><tr><th>Id</th><th>Phone</th></tr></thead><tbody>' +
          '<tr><td>4155550132</td><td>(650) 555-0100</td></tr><tr><td>2125550147</td><td>650.555.0101</td></tr></tbody></table>',
      ),
    ).toEqual(['+16505550100', '+16505550101']);
    expect(scan('<dl><dt>Customer ID</dt><dd>12345678901</dd><dt>Phone</dt><dd>12125550147</dd></dl>')).toEqual(['+12125550147']);
    expect(scan('<dl><dt>Steuernummer</dt><dd>12/345/67890</dd><dt>Tax no.</dt><dd>030 90182345</dd></dl>', 'DE')).toEqual([]);
    expect(scan('<div class="field"><span class="label">Account number</span></div><div>Id</div><div>6505550100</div>')).toEqual([]);
  });

  it('reads plain US numbers in notes, timelines and e-mail threads', () => {
    expect(
      scan(
        '<ul><li>Order 12345 shipped</li><li>Mar 15, 2024 — called 415-555-0132, in case 650-555-0100 is busy</li></ul>' +
          '<blockquote>On Mon, Mar 4, 2024 at 10:15 AM Ann wrote:<br>reach me at (212) 555-0147</blockquote>',
      ),
    ).toEqual(['+14155550132', '+16505550100', '+12125550147']);
  });

  it('reads a country code in its own element behind a separator', () => {
    expect(scan('<p><span class="cc">+44</span> | <span>131 496 0018</span></p>')).toEqual(['+441314960018']);
  });
});
