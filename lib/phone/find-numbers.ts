/**
 * Finding phone numbers in text: libphonenumber-js does the finding (its port of Google's
 * PhoneNumberMatcher, leniency "VALID", full metadata so digits are really validated), with the
 * user's default country for numbers written without a country code. lib/phone/near-miss.ts then
 * vetoes the dates, IDs, prices… that happen to be valid numbers. No home-made regex finds
 * numbers here (issue 3).
 */
import {
  Metadata,
  parsePhoneNumberFromString,
  searchPhoneNumbersInText,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { nearMissReason, type NearMissReason, type Span } from './near-miss.ts';

export interface PhoneMatch {
  /** Offsets in the searched text (end exclusive), extension included. */
  start: number;
  end: number;
  /** E.164, without the extension. */
  e164: string;
  extension?: string;
  /** The text as the page shows it. */
  text: string;
}

export interface RejectedMatch extends PhoneMatch {
  reason: NearMissReason;
}

export interface FindOptions {
  defaultCountry: CountryCode;
}

interface RawMatch extends Span {
  number: PhoneNumber;
}

// The matcher's options type in libphonenumber-js omits `leniency`, which it does accept.
type SearchOptions = { defaultCountry: CountryCode; leniency: 'VALID' };

// libphonenumber knows "ext", "x", "#", "anexo", "доб", "int". CRMs abroad also write these
// labels before an extension; they are read only right after a number libphonenumber found.
const LOCAL_EXTENSION =
  /^[ \u00A0\t,]*(?:poste|ramal|durchwahl|dw|interno|wewn\.?|toestel|tst\.?|anknytning|ankn\.?|dahili|内線|内线|分机|內線)\s*[.:：#-]?\s*(\d{1,7})(?!\d)/iu;

/** The extension written after a number with a label libphonenumber does not know. */
export function localExtensionAfter(text: string, end: number): { extension: string; end: number } | undefined {
  const match = LOCAL_EXTENSION.exec(text.slice(end, end + 40));
  return match ? { extension: match[1]!, end: end + match[0].length } : undefined;
}

const minDigitsCache = new Map<string, number>();

/** The fewest digits a national number of `country` can have (from the metadata). */
export function minNationalDigits(country: CountryCode): number {
  let cached = minDigitsCache.get(country);
  if (cached === undefined) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(country);
    const lengths = metadata.numberingPlan?.possibleLengths() ?? [];
    cached = lengths.length > 0 ? Math.min(...lengths) : 4;
    minDigitsCache.set(country, cached);
  }
  return cached;
}

function isDigitCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 0xff10 && code <= 0xff19) ||
    (code >= 0x0660 && code <= 0x0669) ||
    (code >= 0x06f0 && code <= 0x06f9)
  );
}

/**
 * A cheap pre-check that lets most of a CRM page skip the matcher: text without a plus sign can
 * only hold a number of the default country, which needs at least that country's shortest
 * national length in digits.
 */
export function mayContainPhoneNumber(text: string, country: CountryCode): boolean {
  const needed = minNationalDigits(country);
  let digits = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 43 || code === 0xff0b) return true; // "+" and the full-width plus
    if (isDigitCode(code) && ++digits >= needed) return true;
  }
  return false;
}

/**
 * A search that can be paused between matches (issue 3: scan in idle chunks), so one huge text
 * block never becomes one long task.
 */
export class PhoneSearch {
  private readonly iterator: Iterator<{ number: PhoneNumber; startsAt: number; endsAt: number }>;
  private readonly raw: RawMatch[] = [];
  private finished = false;

  constructor(
    readonly text: string,
    options: FindOptions,
  ) {
    const searchOptions: SearchOptions = { defaultCountry: options.defaultCountry, leniency: 'VALID' };
    this.iterator = searchPhoneNumbersInText(text, searchOptions as { defaultCountry: CountryCode })[
      Symbol.iterator
    ]();
  }

  /** Searches on until the end or until `shouldYield()` says to stop; true when finished. */
  run(shouldYield: () => boolean = () => false): boolean {
    while (!this.finished) {
      const next = this.iterator.next();
      if (next.done) {
        this.finished = true;
        break;
      }
      this.raw.push({ start: next.value.startsAt, end: next.value.endsAt, number: next.value.number });
      if (shouldYield()) break;
    }
    return this.finished;
  }

  /** The numbers found (near-misses removed); call once `run` returned true. */
  matches(): PhoneMatch[] {
    return this.classify().accepted;
  }

  /** Both the numbers and the vetoed near-misses, with the reason for each veto. */
  classify(): { accepted: PhoneMatch[]; rejected: RejectedMatch[] } {
    const accepted: PhoneMatch[] = [];
    const rejected: RejectedMatch[] = [];
    for (const match of this.raw) {
      const found: PhoneMatch = {
        start: match.start,
        end: match.end,
        e164: match.number.number,
        text: this.text.slice(match.start, match.end),
      };
      if (match.number.ext) found.extension = match.number.ext;
      const reason = nearMissReason(this.text, match, this.raw);
      if (reason) {
        rejected.push({ ...found, reason });
        continue;
      }
      const local = found.extension ? undefined : localExtensionAfter(this.text, match.end);
      if (local) {
        found.extension = local.extension;
        found.end = local.end;
        found.text = this.text.slice(match.start, local.end);
      }
      accepted.push(found);
    }
    return { accepted, rejected };
  }
}

/** All phone numbers in `text`, near-misses removed. */
export function findPhoneNumbers(text: string, options: FindOptions): PhoneMatch[] {
  if (!mayContainPhoneNumber(text, options.defaultCountry)) return [];
  const search = new PhoneSearch(text, options);
  search.run();
  return search.matches();
}

/**
 * The number of a `tel:` link (RFC 3966: `tel:+1-650-555-0100;ext=45`). The page's author said
 * it is a phone number, so a possible number is enough; undefined when it is not even that.
 */
export function parseTelHref(href: string, defaultCountry: CountryCode): Omit<PhoneMatch, 'start' | 'end'> | undefined {
  if (!/^tel:/i.test(href)) return undefined;
  let value: string;
  try {
    value = decodeURIComponent(href.slice(4));
  } catch {
    return undefined;
  }
  const [main = '', ...params] = value.split(';');
  let extension: string | undefined;
  let context: string | undefined;
  for (const param of params) {
    const [key = '', v = ''] = param.split('=');
    if (key.trim().toLowerCase() === 'ext') extension = v.replace(/\D/g, '') || undefined;
    if (key.trim().toLowerCase() === 'phone-context') context = v.trim();
  }
  // A local number with a global context ("tel:7042;phone-context=+33") is the context + it.
  const candidate = !main.trim().startsWith('+') && context?.startsWith('+') ? `${context}${main}` : main;
  const number = parsePhoneNumberFromString(candidate, { defaultCountry });
  if (!number?.isPossible()) return undefined;
  const found: Omit<PhoneMatch, 'start' | 'end'> = { e164: number.number, text: main.trim() };
  const ext = extension ?? number.ext;
  if (ext) found.extension = ext;
  return found;
}
