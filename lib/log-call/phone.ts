/**
 * Reading a phone number typed into the Log a call form or selected on a page, with
 * libphonenumber-js (never a home-made pattern): numbers without a country code take the
 * user's default country from options.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface ParsedPhone {
  /** E.164 without the extension, e.g. "+16505550100". */
  e164: string;
  extension?: string;
  /** For people: "+1 650 555 0100 ext. 45". */
  display: string;
  /** What the CRM receives as `phone_number`: E.164, then " ext. 45" when there is one. */
  forCrm: string;
}

/** The number in `text`, if it is a valid one; undefined otherwise. */
export function parsePhone(text: string, defaultCountry: CountryCode): ParsedPhone | undefined {
  // A number from an in-page button comes as RFC 3966 writes extensions: "+16505550100;ext=45".
  const trimmed = text.trim().replace(/;ext=(\d+)$/, ' ext. $1');
  if (trimmed === '' || trimmed.length > 60) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry });
  if (!parsed?.isValid()) return undefined;
  const extension = parsed.ext || undefined;
  return {
    e164: parsed.number,
    extension,
    display: parsed.formatInternational(),
    forCrm: extension ? `${parsed.number} ext. ${extension}` : parsed.number,
  };
}

/** A stored number ("+16505550123 ext. 45") as people read it ("+1 650 555 0123 ext. 45"). */
export function displayPhone(stored: string): string {
  return parsePhoneNumberFromString(stored)?.formatInternational() ?? stored;
}
