/**
 * The contact a campaign add carries (first and last name, company, email), from the details read
 * on the page around a number (lib/content/contact-details.ts, snake_case fields). Pure: the
 * background and the popup both use it.
 */
import type { ContactInput } from '../protocol/campaigns.ts';
import type { ContactDetails } from '../protocol/content.ts';

/** A full name is split into first and last when the page gave no separate fields. */
export function contactFromDetails(e164: string, extension: string | undefined, details: ContactDetails): ContactInput {
  const split = (details.full_name ?? '').trim().split(/\s+/);
  const first = details.first_name ?? (split.length > 1 ? split.slice(0, -1).join(' ') : split[0] || undefined);
  const last = details.last_name ?? (split.length > 1 ? split[split.length - 1] : undefined);
  const contact: ContactInput = { e164 };
  if (extension) contact.extension = extension;
  if (first) contact.firstName = first;
  if (last) contact.lastName = last;
  if (details.company) contact.company = details.company;
  if (details.email) contact.email = details.email;
  return contact;
}
