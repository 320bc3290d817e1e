/**
 * The CRM's contact page, as set in options (`settings.crm.contactPagePattern`): `{id}` marks the
 * contact ID and `*` stands for anything, e.g. "https://app.onepagecrm.com/contacts/{id}". Read
 * one way it prefills the contact ID from the open tab; the other way it links a logged call to
 * its contact.
 */
import { CONTACT_ID_PATTERN, isWebUrl } from '../outbox/crm-call.ts';

const ID_MARK = '{id}';

function patternRegex(pattern: string): RegExp | undefined {
  const at = pattern.indexOf(ID_MARK);
  if (at < 0) return undefined;
  const literal = (part: string) =>
    part
      .split('*')
      .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*?');
  const before = literal(pattern.slice(0, at));
  const after = literal(pattern.slice(at + ID_MARK.length));
  // The ID is a plain path segment; after the pattern comes the end, or a new path, query or
  // fragment part ("/contacts/{id}" also matches ".../contacts/{id}/edit?tab=calls").
  return new RegExp(`^${before}([A-Za-z0-9_-]{1,64})${after}(?=$|[/?#&])`, 'i');
}

/** The contact ID in `url` when it is a contact page of the CRM, else undefined. */
export function contactIdFromUrl(url: string, pattern: string): string | undefined {
  if (!url || !pattern) return undefined;
  const match = patternRegex(pattern)?.exec(url);
  const id = match?.[1];
  return id !== undefined && CONTACT_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * A link to the contact's page: the pattern with the ID in place when it names one page (no
 * `*`), else the CRM's web address (the API base URL's origin); undefined when neither works.
 */
export function contactPageUrl(pattern: string, contactId: string, apiBaseUrl: string): string | undefined {
  if (pattern.includes(ID_MARK) && !pattern.includes('*')) {
    const candidate = pattern.replace(ID_MARK, encodeURIComponent(contactId));
    if (isWebUrl(candidate)) return candidate;
  }
  try {
    const origin = new URL(apiBaseUrl).origin;
    return origin.startsWith('http') ? origin : undefined;
  } catch {
    return undefined;
  }
}
