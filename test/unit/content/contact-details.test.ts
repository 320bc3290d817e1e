// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { captureContactDetails, isNameLike, withNameParts } from '../../../lib/content/contact-details.ts';

function page(markup: string): HTMLElement {
  document.body.innerHTML = markup;
  return document.body;
}

const at = (selector: string) => document.querySelector(selector)!;

beforeEach(() => {
  document.body.replaceChildren();
});

describe('captureContactDetails', () => {
  it('reads the table row by its column headers', () => {
    page(`<table><thead><tr><th>Name</th><th>Company name</th><th>E-mail</th><th>Phone</th></tr></thead>
      <tbody><tr><td><a href="/c/1">Ada Abbott</a></td><td>Globex</td><td>ada@globex.example</td><td class="p">650-555-0100</td></tr></tbody></table>`);
    expect(captureContactDetails(at('.p'))).toEqual({
      full_name: 'Ada Abbott',
      first_name: 'Ada',
      last_name: 'Abbott',
      company: 'Globex',
      email: 'ada@globex.example',
    });
  });

  it('reads first and last name columns, and rows of ARIA grids', () => {
    page(`<div role="grid"><div role="row"><span role="columnheader">First name</span><span role="columnheader">Last name</span><span role="columnheader">Phone</span></div>
      <div role="row"><span role="gridcell">Grace</span><span role="gridcell">Hopper</span><span role="gridcell" class="p">212.555.0147</span></div></div>`);
    expect(captureContactDetails(at('.p'))).toEqual({ first_name: 'Grace', last_name: 'Hopper' });
  });

  it('guesses in a headerless row: a name-like cell and an email', () => {
    page('<table><tr><td>Marie Curie</td><td>marie@radium.example</td><td class="p">+33 6 12 34 56 78</td><td>2024-03-15</td></tr></table>');
    expect(captureContactDetails(at('.p'))).toMatchObject({ full_name: 'Marie Curie', email: 'marie@radium.example' });
  });

  it('reads a card: its name, company and email', () => {
    page(`<article class="card"><b class="fn">Camille Durand</b><div class="org">Durand &amp; Fils</div>
      <div class="tel">01 42 68 53 00</div><a href="mailto:camille@durand.example">Email</a></article>`);
    expect(captureContactDetails(at('.tel'))).toMatchObject({ full_name: 'Camille Durand', company: 'Durand & Fils', email: 'camille@durand.example' });
  });

  it('falls back to the record header, keeping the email of the details card', () => {
    page(`<div class="card"><h1 class="contact-name">Ada Abbott</h1><span class="contact-company">Northwind Traders</span></div>
      <section class="card"><h2>Contact details</h2><dl><dt>Mobile</dt><dd class="p">(650) 555-0100</dd>
      <dt>Email</dt><dd><a href="mailto:ada@northwind.example">ada@northwind.example</a></dd></dl></section>
      <section class="card"><h2>Assistant</h2><p>Ben Abbott<br><span class="a">415-555-0100</span></p></section>`);
    expect(captureContactDetails(at('.p'))).toEqual({
      full_name: 'Ada Abbott',
      first_name: 'Ada',
      last_name: 'Abbott',
      company: 'Northwind Traders',
      email: 'ada@northwind.example',
    });
    // The assistant's card names someone else: nothing of the record is mixed in.
    expect(captureContactDetails(at('.a'))).toEqual({ full_name: 'Ben Abbott', first_name: 'Ben', last_name: 'Abbott' });
  });

  it('starts from the button host when given one', () => {
    page('<table><thead><tr><th>Contact</th><th>Phone</th></tr></thead><tbody><tr><td>Alan Turing</td><td>650-555-0100<crm-companion-number></crm-companion-number></td></tr></tbody></table>');
    expect(captureContactDetails(at('crm-companion-number'))).toMatchObject({ full_name: 'Alan Turing' });
  });

  it('returns nothing it cannot read', () => {
    page('<p class="p">650-555-0100</p>');
    expect(captureContactDetails(at('.p'))).toEqual({});
  });
});

describe('names', () => {
  it('knows a name from a section title', () => {
    expect(['Ada Abbott', 'Rafael de la Cruz', "Liam O'Brien", 'Chloé Roux'].every(isNameLike)).toBe(true);
    expect(['Contact details', 'Assistant', 'ada', '650 555 0100', 'x'.repeat(70)].some(isNameLike)).toBe(false);
  });

  it('splits "Last, First" too', () => {
    expect(withNameParts({ full_name: 'Abbott, Ada' })).toEqual({ full_name: 'Ada Abbott', first_name: 'Ada', last_name: 'Abbott' });
  });
});
