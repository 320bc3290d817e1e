/**
 * The contact a campaign add carries (first and last name, company, email), from the details read
 * on the page around a number (lib/content/contact-details.ts, snake_case fields). Pure: the
 * background and the popup both use it.
 */
import type { ContactInput } from '../protocol/campaigns.ts';
import type { ContactDetails } from '../protocol/content.ts';

/**
 * The most each detail may hold, in characters (as campaignContactSchema in
 * lib/outbox/campaign-add.ts counts them). Page text can be longer: a detail is cut to fit, or one
 * long name on a page would make the whole add (or a whole bulk job) an invalid message.
 */
export const CONTACT_FIELD_MAX = { firstName: 100, lastName: 100, company: 200, email: 254 } as const;

/** Trimmed, and cut to `max` characters (code points, so no surrogate pair is split). */
export function clipDetail(value: string, max: number): string {
  const trimmed = value.trim();
  const chars = [...trimmed];
  return chars.length <= max ? trimmed : chars.slice(0, max).join('').trimEnd();
}

/** A full name is split into first and last when the page gave no separate fields. */
export function contactFromDetails(e164: string, extension: string | undefined, details: ContactDetails): ContactInput {
  const split = (details.full_name ?? '').trim().split(/\s+/);
  const first = details.first_name ?? (split.length > 1 ? split.slice(0, -1).join(' ') : split[0] || undefined);
  const last = details.last_name ?? (split.length > 1 ? split[split.length - 1] : undefined);
  const contact: ContactInput = { e164 };
  if (extension) contact.extension = extension;
  const set = (field: keyof typeof CONTACT_FIELD_MAX, value: string | undefined) => {
    const clipped = clipDetail(value ?? '', CONTACT_FIELD_MAX[field]);
    if (clipped) contact[field] = clipped;
  };
  set('firstName', first);
  set('lastName', last);
  set('company', details.company);
  set('email', details.email);
  return contact;
}
