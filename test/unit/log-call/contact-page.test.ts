/** The CRM contact page pattern, both ways: an ID from a tab's address, a link from an ID. */
import { describe, expect, it } from 'vitest';
import { contactIdFromUrl, contactPageUrl } from '../../../lib/log-call/contact-page.ts';
import { DEFAULT_SETTINGS } from '../../../lib/settings.ts';

const ID = '5f0c1a2b3c4d5e6f70818283';

describe('contactIdFromUrl', () => {
  const pattern = DEFAULT_SETTINGS.crm.contactPagePattern;

  it('reads the ID with the default pattern, also from deeper pages, queries and fragments', () => {
    expect(pattern).toBe('https://app.onepagecrm.com/contacts/{id}');
    expect(contactIdFromUrl(`https://app.onepagecrm.com/contacts/${ID}`, pattern)).toBe(ID);
    expect(contactIdFromUrl(`https://app.onepagecrm.com/contacts/${ID}/calls?page=2`, pattern)).toBe(ID);
    expect(contactIdFromUrl(`https://app.onepagecrm.com/contacts/${ID}#notes`, pattern)).toBe(ID);
    expect(contactIdFromUrl(`https://APP.onepagecrm.com/contacts/${ID}`, pattern)).toBe(ID);
  });

  it('does not read other pages, other hosts, or look-alike hosts', () => {
    expect(contactIdFromUrl('https://app.onepagecrm.com/contacts', pattern)).toBeUndefined();
    expect(contactIdFromUrl('https://app.onepagecrm.com/deals/123', pattern)).toBeUndefined();
    expect(contactIdFromUrl(`https://evil.example/https://app.onepagecrm.com/contacts/${ID}`, pattern)).toBeUndefined();
    expect(contactIdFromUrl(`https://app.onepagecrm.com.evil.example/contacts/${ID}`, pattern)).toBeUndefined();
    expect(contactIdFromUrl(`https://appxonepagecrm.com/contacts/${ID}`, pattern)).toBeUndefined();
    // An ID with characters that could change a request path is no ID.
    expect(contactIdFromUrl('https://app.onepagecrm.com/contacts/a%2F..', pattern)).toBeUndefined();
  });

  it('takes * as anything and {id} anywhere', () => {
    const star = 'https://*.crm.example/app#/contact/{id}/view';
    expect(contactIdFromUrl(`https://eu.crm.example/app#/contact/${ID}/view`, star)).toBe(ID);
    expect(contactIdFromUrl(`https://eu.crm.example/app#/contact/${ID}/edit`, star)).toBeUndefined();
    const query = 'https://crm.example/record?type=contact&id={id}';
    expect(contactIdFromUrl(`https://crm.example/record?type=contact&id=${ID}&tab=2`, query)).toBe(ID);
    expect(contactIdFromUrl(`https://crm.example/record?type=company&id=${ID}`, query)).toBeUndefined();
    expect(contactIdFromUrl(`http://127.0.0.1:5173/demo/contacts/${ID}`, 'http://127.0.0.1:5173/demo/contacts/{id}')).toBe(ID);
  });

  it('reads nothing without a pattern or without {id}', () => {
    expect(contactIdFromUrl(`https://app.onepagecrm.com/contacts/${ID}`, '')).toBeUndefined();
    expect(contactIdFromUrl(`https://app.onepagecrm.com/contacts/${ID}`, 'https://app.onepagecrm.com/contacts/')).toBeUndefined();
  });
});

describe('contactPageUrl', () => {
  it('puts the ID in the pattern', () => {
    expect(contactPageUrl('https://app.onepagecrm.com/contacts/{id}', ID, 'https://app.onepagecrm.com/api/v3')).toBe(
      `https://app.onepagecrm.com/contacts/${ID}`,
    );
  });

  it("falls back to the CRM's address when the pattern is not one page", () => {
    expect(contactPageUrl('https://*.crm.example/contacts/{id}', ID, 'https://api.crm.example/v3')).toBe('https://api.crm.example');
    expect(contactPageUrl('', ID, 'https://app.onepagecrm.com/api/v3')).toBe('https://app.onepagecrm.com');
    expect(contactPageUrl('', ID, 'not a url')).toBeUndefined();
  });
});
