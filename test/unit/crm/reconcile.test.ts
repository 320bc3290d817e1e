/** The pure helpers the outbox uses to recognise a call that already reached the CRM. */
import { describe, expect, it } from 'vitest';
import {
  crmErrorMessage,
  entryRef,
  findMatchingCall,
  localCallDate,
  reconcileSince,
  RECONCILE_MARGIN_SECONDS,
  withEntryMarker,
  type CrmCall,
  type SentNote,
} from '../../../lib/crm/client.ts';

const CONTACT = '5f0c00000000000000000007';

function serverCall(overrides: Partial<CrmCall> = {}): CrmCall {
  return {
    id: 'ca1100000000000000000001',
    contactId: CONTACT,
    callResult: 'conversation',
    text: 'Talked about the renewal',
    date: '2025-03-14',
    phoneNumber: '+16505550100',
    calledVia: 'Upcall',
    recordingLink: '',
    author: 'peter a.',
    modifiedAt: '2025-03-14T15:00:00.000Z',
    ...overrides,
  };
}

const plainNote: SentNote = {
  contactId: CONTACT,
  callResult: 'conversation',
  text: 'Talked about the renewal',
  date: '2025-03-14',
  phoneNumber: '+16505550100',
};

describe('entryRef', () => {
  it('is FNV-1a 32-bit over UTF-8, as 8 hex digits', () => {
    // Published FNV-1a test vectors.
    expect(entryRef('')).toBe('811c9dc5');
    expect(entryRef('a')).toBe('e40c292c');
    expect(entryRef('foobar')).toBe('bf9cf968');
  });

  it('gives different refs to different entries and the same ref to the same entry', () => {
    const a = entryRef('0190f3c2-7d5e-7a3b-9c1d-2e4f6a8b0c1d');
    expect(a).toMatch(/^[0-9a-f]{8}$/);
    expect(entryRef('0190f3c2-7d5e-7a3b-9c1d-2e4f6a8b0c1d')).toBe(a);
    expect(entryRef('0190f3c2-7d5e-7a3b-9c1d-2e4f6a8b0c1e')).not.toBe(a);
    expect(entryRef('entrée-№1')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('withEntryMarker', () => {
  it('adds a short human-readable line after a blank line', () => {
    const ref = entryRef('entry-1');
    expect(withEntryMarker('Left a message about pricing.', 'entry-1')).toBe(
      `Left a message about pricing.\n\n— logged via CRM Call Companion [ref ${ref}]`,
    );
  });

  it('drops trailing whitespace before the marker and stands alone on an empty note', () => {
    const ref = entryRef('entry-2');
    expect(withEntryMarker('No answer.  \n\n', 'entry-2')).toBe(
      `No answer.\n\n— logged via CRM Call Companion [ref ${ref}]`,
    );
    expect(withEntryMarker('', 'entry-2')).toBe(`— logged via CRM Call Companion [ref ${ref}]`);
  });

  it('does not add the same marker twice (a retry reuses the stored text)', () => {
    const once = withEntryMarker('Call back Monday', 'entry-3');
    expect(withEntryMarker(once, 'entry-3')).toBe(once);
  });

  it("adds its own marker after another entry's pasted marker", () => {
    const earlier = withEntryMarker('First call', 'entry-4');
    const pasted = withEntryMarker(earlier, 'entry-5');
    expect(pasted.startsWith(earlier)).toBe(true);
    expect(pasted.endsWith(`[ref ${entryRef('entry-5')}]`)).toBe(true);
  });
});

describe('findMatchingCall with a marker', () => {
  const marked = withEntryMarker('Talked about the renewal', 'entry-9');
  const note: SentNote = { ...plainNote, text: marked };

  it('finds the call carrying the same ref', () => {
    const calls = [serverCall({ id: 'a', text: 'Other' }), serverCall({ id: 'b', text: marked })];
    expect(findMatchingCall(calls, note)?.id).toBe('b');
  });

  it('still finds it after the user edited the note and the result on the CRM', () => {
    const edited = serverCall({
      id: 'c',
      text: `Talked about the renewal, they want a quote.\r\n[ref ${entryRef('entry-9')}]`,
      callResult: 'left_message',
      phoneNumber: '',
    });
    expect(findMatchingCall([edited], note)?.id).toBe('c');
  });

  it('does not take an identical text with another ref, nor one without a ref', () => {
    const other = serverCall({ id: 'd', text: withEntryMarker('Talked about the renewal', 'entry-10') });
    const unmarked = serverCall({ id: 'e', text: 'Talked about the renewal' });
    expect(findMatchingCall([other, unmarked], note)).toBeUndefined();
  });

  it("matches on the note's own (last) ref, not an earlier one pasted into it", () => {
    const earlierText = withEntryMarker('First call', 'entry-11');
    const earlierCall = serverCall({ id: 'f', text: earlierText });
    const newNote: SentNote = { ...plainNote, text: withEntryMarker(earlierText, 'entry-12') };
    expect(findMatchingCall([earlierCall], newNote)).toBeUndefined();
    expect(findMatchingCall([earlierCall, serverCall({ id: 'g', text: newNote.text })], newNote)?.id).toBe('g');
  });

  it("ignores another contact's call", () => {
    const elsewhere = serverCall({ id: 'h', text: marked, contactId: '5f0c00000000000000000008' });
    expect(findMatchingCall([elsewhere], note)).toBeUndefined();
  });
});

describe('findMatchingCall without a marker', () => {
  it('matches on number, result, date and text', () => {
    expect(findMatchingCall([serverCall({ id: 'x' })], plainNote)?.id).toBe('x');
  });

  it('compares numbers by digits, whatever the CRM did to their format', () => {
    expect(findMatchingCall([serverCall({ phoneNumber: '+1 (650) 555-0100' })], plainNote)).toBeDefined();
  });

  it('does not match the same text on another number', () => {
    expect(findMatchingCall([serverCall({ phoneNumber: '+16505550101' })], plainNote)).toBeUndefined();
  });

  it('does not match another result or another day', () => {
    expect(findMatchingCall([serverCall({ callResult: 'no_answer' })], plainNote)).toBeUndefined();
    expect(findMatchingCall([serverCall({ date: '2025-03-15' })], plainNote)).toBeUndefined();
  });

  it('requires the exact text, apart from line endings and surrounding whitespace', () => {
    const note: SentNote = { ...plainNote, text: 'Line one\nLine two' };
    expect(findMatchingCall([serverCall({ text: ' Line one\r\nLine two\n' })], note)).toBeDefined();
    expect(findMatchingCall([serverCall({ text: 'Line one\nline two' })], note)).toBeUndefined();
    expect(findMatchingCall([serverCall({ text: 'Line one\nLine two.' })], note)).toBeUndefined();
  });

  it('treats a number left out (partial=1 default "") as no number', () => {
    const note: SentNote = { callResult: 'no_answer', text: 'No answer', date: '2025-03-14' };
    expect(
      findMatchingCall([serverCall({ phoneNumber: '', callResult: 'no_answer', text: 'No answer' })], note),
    ).toBeDefined();
    expect(findMatchingCall([serverCall({ callResult: 'no_answer', text: 'No answer' })], note)).toBeUndefined();
  });

  it('finds nothing in an empty list', () => {
    expect(findMatchingCall([], plainNote)).toBeUndefined();
  });
});

describe('call times', () => {
  it("gives the local calendar day, the call's `date`", () => {
    expect(localCallDate(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05');
    expect(localCallDate(new Date(2025, 11, 31, 0, 0))).toBe('2025-12-31');
  });

  it('looks back a margin before the first attempt, in whole seconds, never before 1970', () => {
    expect(reconcileSince(1_700_000_000_999)).toBe(1_700_000_000 - RECONCILE_MARGIN_SECONDS);
    expect(reconcileSince(1000)).toBe(0);
  });
});

describe('crmErrorMessage', () => {
  it('joins the error message and the fields at fault', () => {
    expect(
      crmErrorMessage({
        status: 400,
        message: 'Bad Request',
        error_name: 'invalid_request_data',
        error_message: 'Some fields are invalid',
        errors: { call_result: 'must be one of conversation, no_answer, left_message', date: ['is required'] },
      }),
    ).toBe(
      'Some fields are invalid (call_result: must be one of conversation, no_answer, left_message; date: is required)',
    );
  });

  it('falls back to `message`, and reads nothing from a non-envelope', () => {
    expect(crmErrorMessage({ status: 404, message: 'Not Found', errors: {} })).toBe('Not Found');
    expect(crmErrorMessage({ errors: ['text is too long'] })).toBe('text is too long');
    expect(crmErrorMessage('<html>')).toBeUndefined();
    expect(crmErrorMessage({ status: 500 })).toBeUndefined();
  });
});
