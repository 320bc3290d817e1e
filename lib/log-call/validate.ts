/**
 * The Log a call form's values, checked the same way in the popup (messages next to the fields
 * as the user types) and in the background (the authority, before anything is queued).
 */
import type { CountryCode } from 'libphonenumber-js/min';
import { z } from 'zod';
import { CALL_RESULTS, localCallDate } from '../crm/client.ts';
import {
  CALLED_VIA,
  CONTACT_ID_PATTERN,
  crmCallRequestSchema,
  isWebUrl,
  LINK_MAX_CHARS,
  NOTE_MAX_CHARS,
  type CrmCallRequest,
} from '../outbox/crm-call.ts';
import { contactIdFromUrl } from './contact-page.ts';
import { parsePhone } from './phone.ts';

/** The form as typed: every value a string; `calledAt` is a datetime-local value. */
export const callDraftSchema = z
  .object({
    phoneNumber: z.string().max(100),
    contactId: z.string().max(2_000),
    callResult: z.enum(CALL_RESULTS),
    text: z.string().max(NOTE_MAX_CHARS + 1_000),
    recordingLink: z.string().max(LINK_MAX_CHARS + 1_000),
    calledVia: z.enum(CALLED_VIA),
    /** "2026-03-14T15:42" in the browser's time zone. */
    calledAt: z.string().max(40),
  })
  .strict();

export type CallDraft = z.output<typeof callDraftSchema>;
export type DraftField = keyof CallDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

export interface DraftContext {
  defaultCountry: CountryCode;
  /** settings.crm.contactPagePattern: a pasted contact page address gives its ID. */
  contactPagePattern: string;
  now: number;
}

/** A call time this far ahead of the clock is a typo, not a call. */
const FUTURE_SLACK_MS = 5 * 60_000;

export function validateCallDraft(
  draft: CallDraft,
  context: DraftContext,
): { ok: true; request: CrmCallRequest } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};

  const phone = parsePhone(draft.phoneNumber, context.defaultCountry);
  if (draft.phoneNumber.trim() === '') errors.phoneNumber = 'Enter the number you called.';
  else if (!phone) {
    errors.phoneNumber = `This is not a valid phone number. Numbers outside ${context.defaultCountry} need their country code, e.g. +44 20 7946 0958.`;
  }

  const contactId = readContactId(draft.contactId, context.contactPagePattern);
  if (draft.contactId.trim() === '') errors.contactId = "Enter the CRM contact ID (it is in the contact page's address).";
  else if (!contactId) errors.contactId = 'A contact ID has only letters, digits, - and _, e.g. 5f0c1a2b3c4d5e6f70818283.';

  const link = draft.recordingLink.trim();
  if (link !== '' && !isWebUrl(link)) errors.recordingLink = 'Enter a full http:// or https:// link, or leave it empty.';
  else if (link.length > LINK_MAX_CHARS) errors.recordingLink = `The link is longer than ${LINK_MAX_CHARS} characters.`;

  if (draft.text.length > NOTE_MAX_CHARS) {
    errors.text = `The note is ${draft.text.length.toLocaleString('en-US')} characters; the limit is ${NOTE_MAX_CHARS.toLocaleString('en-US')}.`;
  }

  const calledAt = parseLocalDateTime(draft.calledAt);
  if (calledAt === undefined) errors.calledAt = 'Enter the date and time of the call.';
  else if (calledAt > context.now + FUTURE_SLACK_MS) errors.calledAt = 'The call time is in the future.';

  if (Object.keys(errors).length > 0 || !phone || !contactId || calledAt === undefined) return { ok: false, errors };
  const request = crmCallRequestSchema.parse({
    contactId,
    phoneNumber: phone.forCrm,
    callResult: draft.callResult,
    text: draft.text.replace(/\r\n?/g, '\n').trimEnd(),
    recordingLink: link,
    calledVia: draft.calledVia,
    calledAt,
    date: localCallDate(new Date(calledAt)),
  });
  return { ok: true, request };
}

/** The ID itself, or the ID in a pasted contact page address. */
function readContactId(value: string, pattern: string): string | undefined {
  const trimmed = value.trim();
  if (CONTACT_ID_PATTERN.test(trimmed)) return trimmed;
  return contactIdFromUrl(trimmed, pattern);
}

/** "YYYY-MM-DDTHH:MM" (seconds optional) in the browser's time zone → epoch ms. */
export function parseLocalDateTime(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const date = new Date(year!, month! - 1, day!, hour!, minute!, second!);
  // Reject what Date would roll over (Feb 30 → Mar 2). The hour may move in a DST gap: fine.
  if (date.getMonth() !== month! - 1 || date.getDate() !== day! || hour! > 23 || minute! > 59) return undefined;
  return date.getTime();
}

/** The datetime-local value for an instant, to the minute, in the browser's time zone. */
export function toLocalDateTime(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
