/**
 * The contact an add carries, from page text of any length (issue 7): whatever the page shows
 * around a number, the contact fits the protocol's limits, so one long name cannot make an add,
 * or a whole bulk job, an invalid message that the background drops.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipDetail, CONTACT_FIELD_MAX, contactFromDetails } from '../../../lib/campaigns/contact.ts';
import { campaignContactSchema } from '../../../lib/outbox/campaign-add.ts';
import { contactDetailsSchema, type ContactDetails } from '../../../lib/protocol/content.ts';

// Details as a content script may send them: each up to 200 characters, any characters.
const detail = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200, size: 'max' }),
    // Names of several words, up to the 200 a detail may hold.
    fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120, size: 'max' }), { minLength: 2, maxLength: 4 }).map((w) => w.join(' ').slice(0, 200)),
  )
  .filter((s) => s.trim() !== '');
const details: fc.Arbitrary<ContactDetails> = fc
  .record({ full_name: detail, first_name: detail, last_name: detail, company: detail, email: detail }, { requiredKeys: [] })
  .filter((d) => contactDetailsSchema.safeParse(d).success);

describe('contactFromDetails', () => {
  it('always fits the limits of an add, whatever the page said (500 generated pages)', () => {
    fc.assert(
      fc.property(details, (d) => {
        const contact = contactFromDetails('+16505550100', undefined, d);
        expect(campaignContactSchema.safeParse(contact).success).toBe(true);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('keeps a long last name as far as it fits', () => {
    const contact = contactFromDetails('+16505550100', '45', { full_name: `Ada ${'B'.repeat(150)}`, company: 'C'.repeat(200) });
    expect(contact).toEqual({ e164: '+16505550100', extension: '45', firstName: 'Ada', lastName: 'B'.repeat(100), company: 'C'.repeat(200) });
  });
});

describe('clipDetail', () => {
  it('cuts by characters, never inside a surrogate pair, and trims', () => {
    expect(clipDetail('  𝕏𝕏𝕏  ', 2)).toBe('𝕏𝕏');
    expect(clipDetail(' ab ', 5)).toBe('ab');
    expect(clipDetail('ab cd', 3)).toBe('ab');
    expect(Object.values(CONTACT_FIELD_MAX)).toEqual([100, 100, 200, 254]);
  });
});
