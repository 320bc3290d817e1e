/**
 * The 'crm-call' kind: a call note for the CRM calls resource (../shared/api/NOTES.md, "CRM calls
 * resource"). What it carries, how it reads in Activity, and the history record it leaves. Its
 * network side is ./crm-call-executor.ts (background only).
 */
import { z } from 'zod';
import { CALL_RESULTS, type CallResult } from '../crm/client.ts';
import { displayPhone } from '../log-call/phone.ts';
import type { Delivered, HistoryRecord, OutboxEntry } from './types.ts';

/** The "Called via" choices of the Log a call form, sent as the call's `called_via`. */
export const CALLED_VIA = ['Upcall', 'SIP Caller', 'Multisender', 'Call-Em-All', 'Other'] as const;
export type CalledVia = (typeof CALLED_VIA)[number];

export const CALL_RESULT_LABELS: Record<CallResult, string> = {
  conversation: 'Conversation',
  no_answer: 'No answer',
  left_message: 'Left message',
};

/**
 * A plain path segment, as lib/crm/client.ts accepts for ids (the CRM's own are 24 hex digits);
 * anything else could change the request's path.
 */
export const CONTACT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const NOTE_MAX_CHARS = 10_000;
export const LINK_MAX_CHARS = 2_000;

export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export const crmCallRequestSchema = z
  .object({
    contactId: z.string().regex(CONTACT_ID_PATTERN),
    /** E.164, with " ext. 123" when the number has an extension. */
    phoneNumber: z.string().min(3).max(40),
    callResult: z.enum(CALL_RESULTS),
    /** The note as the user wrote it; the reference marker is added when it is sent. */
    text: z.string().max(NOTE_MAX_CHARS),
    recordingLink: z
      .string()
      .max(LINK_MAX_CHARS)
      .refine((value) => value === '' || isWebUrl(value)),
    calledVia: z.enum(CALLED_VIA),
    /** When the call was made (epoch ms), as the user set it. */
    calledAt: z.number().int().nonnegative(),
    /** The calendar day of `calledAt` where the user is (the call's `date`, YYYY-MM-DD). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();

export type CrmCallRequest = z.output<typeof crmCallRequestSchema>;

/** For Activity: "+1 650 555 0100 · Conversation", and the note (or the contact) under it. */
export function summariseCrmCall(request: CrmCallRequest): { title: string; detail: string } {
  const text = request.text.trim().replace(/\s+/g, ' ');
  return {
    title: `${displayPhone(request.phoneNumber)} · ${CALL_RESULT_LABELS[request.callResult]}`,
    detail: text === '' ? `Contact ${request.contactId}` : text.length > 140 ? `${text.slice(0, 139)}…` : text,
  };
}

export function crmCallHistory(entry: OutboxEntry<'crm-call'>, delivered: Delivered, loggedAt: number): HistoryRecord {
  const { request } = entry;
  return {
    id: entry.id,
    loggedAt,
    calledAt: request.calledAt,
    contactId: request.contactId,
    phoneNumber: request.phoneNumber,
    callResult: request.callResult,
    calledVia: request.calledVia,
    text: request.text,
    recordingLink: request.recordingLink,
    remoteId: delivered.remoteId,
    via: delivered.via,
  };
}
