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
  /**
   * Countries the context names (a label such as "UK mobile", the record's address, another
   * number of the record with its country code), strongest first. Their national formats are
   * read too, where the default country reads no number (issue 12).
   */
  contextCountries?: readonly CountryCode[];
  /**
   * Countries the record names (its address, its other numbers): weaker, so only numbers
   * written from a trunk 0 ("0161 496 0000") are read in their format.
   */
  recordCountries?: readonly CountryCode[];
  /** The context says these digits are not phone numbers (an ID column, a tax-number label). */
  notPhone?: boolean;
}

interface RawMatch extends Span {
  number: PhoneNumber;
}

/**
 * The text libphonenumber searches: the page's text with a few characters swapped one for one,
 * so offsets stay those of the page (issue 12). "0049 30…" becomes " +49 30…": "00" is the
 * international prefix in most of the world, even where the default country dials another one
 * (011 in the US, 0011 in Australia); libphonenumber then still validates the number. A
 * separator between a country code and the rest ("+44 | 131 496 0018", where the code is its
 * own element) becomes a space.
 */
export function searchableText(text: string): string {
  return text
    .replace(/(?<![\p{L}\p{N}+＋])(?<!\d[\s\u00A0\-./()]*)00(?=[1-9])/gu, ' +')
    .replace(/([+＋]\d{1,3})([ \u00A0]*)[|·•/]([ \u00A0]*)(?=\d)/g, (_all, code: string, a: string, b: string) => `${code}${a} ${b}`);
}

// DIN 5008: in Germany, Austria and Switzerland a hyphen sets the extension apart
// ("069/123456-12", "+49 221 123456-17"). libphonenumber reads the digits after it as part of
// the number (a valid, longer one) or stops before them.
const HYPHEN_EXTENSION_CODES = new Set(['49', '43', '41']);
const HYPHEN_TAIL = /^(.*\d)[ \u00A0]?-[ \u00A0]?(\d{1,5})$/;
const HYPHEN_AFTER = /^-(\d{1,5})(?![\d\p{L}])/u;

const PLAIN_RUN_WITHOUT_TRUNK = /^[1-9]\d+$/;

/** The match read as a number and an extension after a hyphen, when that is what it is. */
function hyphenExtension(text: string, match: RawMatch): RawMatch | undefined {
  const { number } = match;
  if (number.ext || !HYPHEN_EXTENSION_CODES.has(number.countryCallingCode)) return undefined;
  const country = number.country ?? 'DE';
  const raw = text.slice(match.start, match.end);
  const tail = HYPHEN_TAIL.exec(raw);
  if (tail) {
    const head = parsePhoneNumberFromString(tail[1]!, { defaultCountry: country });
    if (head?.isValid() && head.nationalNumber.length >= 6 && head.countryCallingCode === number.countryCallingCode) {
      head.setExt(tail[2]!);
      return { ...match, number: head };
    }
    return undefined;
  }
  const after = HYPHEN_AFTER.exec(text.slice(match.end, match.end + 8));
  if (!after) return undefined;
  const withExt = parsePhoneNumberFromString(raw, { defaultCountry: country });
  if (!withExt) return undefined;
  withExt.setExt(after[1]!);
  return { ...match, end: match.end + after[0].length, number: withExt };
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
  /** One search a country: the default first, then those the context names. */
  private readonly searches: {
    iterator: Iterator<{ number: PhoneNumber; startsAt: number; endsAt: number }>;
    raw: RawMatch[];
    kind: 'default' | 'line' | 'record';
  }[];
  private current = 0;
  private readonly searched: string;

  constructor(
    readonly text: string,
    options: FindOptions,
  ) {
    this.searched = searchableText(text);
    const line = options.contextCountries ?? [];
    const countries = [options.defaultCountry, ...line, ...(options.recordCountries ?? [])].filter(
      (c, i, all) => all.indexOf(c) === i,
    );
    this.searches = countries.map((country, index) => {
      const searchOptions: SearchOptions = { defaultCountry: country, leniency: 'VALID' };
      return {
        iterator: searchPhoneNumbersInText(this.searched, searchOptions as { defaultCountry: CountryCode })[
          Symbol.iterator
        ](),
        raw: [],
        kind: index === 0 ? 'default' : line.includes(country) ? 'line' : 'record',
      };
    });
    if (options.notPhone) this.current = this.searches.length;
  }

  /** Searches on until the end or until `shouldYield()` says to stop; true when finished. */
  run(shouldYield: () => boolean = () => false): boolean {
    while (this.current < this.searches.length) {
      const search = this.searches[this.current]!;
      const next = search.iterator.next();
      if (next.done) {
        this.current += 1;
        continue;
      }
      search.raw.push({ start: next.value.startsAt, end: next.value.endsAt, number: next.value.number });
      if (shouldYield()) break;
    }
    return this.current >= this.searches.length;
  }

  /** The numbers found (near-misses removed); call once `run` returned true. */
  matches(): PhoneMatch[] {
    return this.classify().accepted;
  }

  /** Both the numbers and the vetoed near-misses, with the reason for each veto. */
  classify(): { accepted: PhoneMatch[]; rejected: RejectedMatch[] } {
    const rejected: RejectedMatch[] = [];
    const candidates: { phone: PhoneMatch; rank: number }[] = [];
    const several = this.searches.length > 1;
    for (const [index, search] of this.searches.entries()) {
      for (const found of search.raw) {
        const match = hyphenExtension(this.searched, found) ?? found;
        const written = this.text.slice(match.start, match.end);
        const phone: PhoneMatch = { start: match.start, end: match.end, e164: match.number.number, text: written };
        if (match.number.ext) phone.extension = match.number.ext;
        const reason = nearMissReason(this.searched, match, search.raw);
        if (reason) {
          if (index === 0) rejected.push({ ...phone, reason });
          continue;
        }
        // A country the context names is read only in numbers written as that country writes
        // them: grouped, or from the trunk 0; one the record names only from the trunk 0, a plus
        // or in that country's grouping ("(51) 3290-5187" is Brazilian, "(513) 290-5187" not).
        const grouped = several && groupedAs(written, match.number);
        if (index > 0 && PLAIN_RUN_WITHOUT_TRUNK.test(written)) continue;
        if (search.kind === 'record' && !grouped && !/^(?:\(?0[1-9]|[+＋])/.test(written)) continue;
        const local = phone.extension ? undefined : localExtensionAfter(this.text, match.end);
        if (local) {
          phone.extension = local.extension;
          phone.end = local.end;
          phone.text = this.text.slice(match.start, local.end);
        }
        // Where two countries read the same digits, the one whose grouping the page shows wins,
        // then a country the line names, then the default country, then the record's.
        const rank = (grouped ? 10 : 0) + (search.kind === 'line' ? 2 : search.kind === 'default' ? 1 : 0);
        candidates.push({ phone, rank });
      }
    }
    if (!several) return { accepted: candidates.map((c) => c.phone), rejected };
    const accepted: PhoneMatch[] = [];
    candidates.sort((a, b) => b.rank - a.rank || a.phone.start - b.phone.start);
    for (const { phone } of candidates) {
      if (accepted.some((b) => phone.start < b.end && b.start < phone.end)) continue;
      accepted.push(phone);
    }
    accepted.sort((a, b) => a.start - b.start);
    return { accepted, rejected };
  }
}

/** The lengths of the digit groups of a text. */
function digitGroups(text: string): number[] {
  return (text.match(/\d+/g) ?? []).map((g) => g.length);
}

/** Whether `written` groups its digits as the number's country formats it. */
function groupedAs(written: string, number: PhoneNumber): boolean {
  const formatted = digitGroups(/^[+＋]/.test(written.trim()) ? number.formatInternational() : number.formatNational());
  const groups = digitGroups(written);
  return formatted.length > 1 && formatted.every((length, i) => groups[i] === length);
}

/** All phone numbers in `text`, near-misses removed. */
export function findPhoneNumbers(text: string, options: FindOptions): PhoneMatch[] {
  const countries = [options.defaultCountry, ...(options.contextCountries ?? []), ...(options.recordCountries ?? [])];
  if (!countries.some((country) => mayContainPhoneNumber(text, country))) return [];
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
