/** The Log a call form's checks: messages per field, and the request it queues. */
import { describe, expect, it } from 'vitest';
import { parseLocalDateTime, toLocalDateTime, validateCallDraft, type CallDraft } from '../../../lib/log-call/validate.ts';

const NOW = new Date(2026, 2, 14, 16, 0).getTime();
const context = { defaultCountry: 'US' as const, contactPagePattern: 'https://app.onepagecrm.com/contacts/{id}', now: NOW };

function draft(overrides: Partial<CallDraft> = {}): CallDraft {
  return {
    phoneNumber: '(650) 555-0123 ext. 45',
    contactId: '5f0c1a2b3c4d5e6f70818283',
    callResult: 'left_message',
    text: 'Left a message about the renewal.\r\nCall back Friday.  \n\n',
    recordingLink: ' https://recordings.example/42 ',
    calledVia: 'SIP Caller',
    calledAt: '2026-03-14T15:42',
    ...overrides,
  };
}

describe('validateCallDraft', () => {
  it('turns a valid form into the request that is queued', () => {
    const result = validateCallDraft(draft(), context);
    expect(result).toEqual({
      ok: true,
      request: {
        contactId: '5f0c1a2b3c4d5e6f70818283',
        phoneNumber: '+16505550123 ext. 45',
        callResult: 'left_message',
        text: 'Left a message about the renewal.\nCall back Friday.',
        recordingLink: 'https://recordings.example/42',
        calledVia: 'SIP Caller',
        calledAt: new Date(2026, 2, 14, 15, 42).getTime(),
        date: '2026-03-14',
      },
    });
  });

  it('says what is wrong next to each field', () => {
    const result = validateCallDraft(
      draft({ phoneNumber: '12345', contactId: '5f0c/../x', recordingLink: 'ftp://x', calledAt: '2026-03-14T18:00' }),
      context,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.phoneNumber).toMatch(/not a valid phone number.*US/);
    expect(result.errors.contactId).toMatch(/letters, digits/);
    expect(result.errors.recordingLink).toMatch(/https:\/\//);
    expect(result.errors.calledAt).toMatch(/future/);
  });

  it('asks for the number and the contact when they are empty', () => {
    const result = validateCallDraft(draft({ phoneNumber: ' ', contactId: '', calledAt: '' }), context);
    expect(result).toEqual({
      ok: false,
      errors: {
        phoneNumber: 'Enter the number you called.',
        contactId: "Enter the CRM contact ID (it is in the contact page's address).",
        calledAt: 'Enter the date and time of the call.',
      },
    });
  });

  it("accepts a pasted contact page address and keeps an empty link and note", () => {
    const result = validateCallDraft(
      draft({ contactId: 'https://app.onepagecrm.com/contacts/5f0c00000000000000000009/calls', recordingLink: '', text: '' }),
      context,
    );
    expect(result.ok && result.request).toMatchObject({ contactId: '5f0c00000000000000000009', recordingLink: '', text: '' });
  });

  it('takes numbers from abroad with their country code', () => {
    const result = validateCallDraft(draft({ phoneNumber: '+44 20 7946 0958' }), context);
    expect(result.ok && result.request.phoneNumber).toBe('+442079460958');
  });

  it('refuses a note over the limit', () => {
    const result = validateCallDraft(draft({ text: 'x'.repeat(10_001) }), context);
    expect(!result.ok && result.errors.text).toMatch(/10,001 characters; the limit is 10,000/);
  });
});

describe('local date-times', () => {
  it('round-trips the datetime-local value', () => {
    expect(toLocalDateTime(new Date(2026, 0, 5, 9, 7, 33).getTime())).toBe('2026-01-05T09:07');
    expect(parseLocalDateTime('2026-01-05T09:07')).toBe(new Date(2026, 0, 5, 9, 7).getTime());
    expect(parseLocalDateTime('2026-01-05T09:07:30')).toBe(new Date(2026, 0, 5, 9, 7, 30).getTime());
  });

  it('refuses what is not a real date', () => {
    expect(parseLocalDateTime('2026-02-30T10:00')).toBeUndefined();
    expect(parseLocalDateTime('2026-01-05T24:00')).toBeUndefined();
    expect(parseLocalDateTime('05/01/2026 10:00')).toBeUndefined();
  });
});
