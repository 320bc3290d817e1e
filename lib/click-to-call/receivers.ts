/**
 * The numbers of a click-to-call as typed or found on a page: the chosen number first, then the
 * further ones in the order Multisender should try them (it calls them in turn until one
 * accepts). Read with libphonenumber-js through lib/log-call/phone.ts.
 */
import type { CountryCode } from 'libphonenumber-js/min';
import { parsePhone } from '../log-call/phone.ts';
import { MAX_RECEIVERS } from './types.ts';

export interface ParsedReceiver {
  /** As typed. */
  input: string;
  e164?: string;
  /** "+1 650 555 0100". */
  display?: string;
  /** Why it cannot be called, in a sentence. */
  error?: string;
  /** Something the user should know (an extension Multisender cannot dial). */
  note?: string;
}

export function parseReceivers(inputs: readonly string[], defaultCountry: CountryCode): ParsedReceiver[] {
  const seen = new Set<string>();
  return inputs.map((input, index) => {
    const trimmed = input.trim();
    if (index >= MAX_RECEIVERS) {
      return { input, error: `A click-to-call takes at most ${MAX_RECEIVERS} numbers.` };
    }
    const phone = parsePhone(trimmed, defaultCountry);
    if (!phone) {
      return {
        input,
        error: trimmed
          ? `"${trimmed}" is not a phone number Multisender can call. Include the country code, e.g. +44 20 7946 0958.`
          : 'Enter a phone number.',
      };
    }
    if (seen.has(phone.e164))
      return { input, e164: phone.e164, display: phone.display, error: `${phone.display} is already in the list.` };
    seen.add(phone.e164);
    const display = phone.extension ? phone.display.replace(/\s*ext\..*$/, '') : phone.display;
    return {
      input,
      e164: phone.e164,
      display,
      note: phone.extension
        ? `Multisender dials ${display} only; the extension ${phone.extension} is not dialled.`
        : undefined,
    };
  });
}

/** "a, b\n c" → ["a", "b", "c"]: further numbers typed into one box. */
export function splitNumbers(text: string): string[] {
  return text
    .split(/[\n;,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}
