/**
 * Reading the one phone number a person selected or typed (the right-click menu's selection, the
 * do-not-call field), with the same finder as the page's buttons (lib/phone/find-numbers.ts:
 * libphonenumber-js plus the near-miss vetoes), so "Invoice INV-2024-000731" is not read as a
 * number, and a selection with two numbers is not guessed at.
 */
import type { CountryCode } from 'libphonenumber-js/min';
import { findPhoneNumbers } from '../phone/find-numbers.ts';

export type ReadNumber =
  | { ok: true; e164: string; extension?: string }
  | { ok: false; reason: 'none' }
  | { ok: false; reason: 'several'; count: number };

export function readOneNumber(text: string, defaultCountry: string): ReadNumber {
  const found = findPhoneNumbers(text.slice(0, 500), { defaultCountry: defaultCountry as CountryCode });
  const distinct = new Map(found.map((match) => [`${match.e164};${match.extension ?? ''}`, match]));
  if (distinct.size === 0) return { ok: false, reason: 'none' };
  if (distinct.size > 1) return { ok: false, reason: 'several', count: distinct.size };
  const [match] = distinct.values();
  return match!.extension
    ? { ok: true, e164: match!.e164, extension: match!.extension }
    : { ok: true, e164: match!.e164 };
}
