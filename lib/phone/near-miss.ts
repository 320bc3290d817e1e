/**
 * Near-misses: text that libphonenumber-js accepts as a valid number but that a CRM page means
 * as something else (a date, a ZIP+4 code, an order or invoice ID, a price, an IP address, a
 * card number, an ISBN, a version). libphonenumber finds the candidates; this only vetoes them
 * by looking at the matched text and its immediate surroundings. Issue 3 lists the cases.
 */

/** Why a match was vetoed, for tests and debugging; undefined when it stands. */
export type NearMissReason =
  | 'date'
  | 'time'
  | 'zip'
  | 'ip-or-version'
  | 'glued'
  | 'adjacent-digits'
  | 'keyword'
  | 'price'
  | 'card'
  | 'isbn'
  | 'url-or-email';

export interface Span {
  start: number;
  end: number;
}

const ISO_DATE = /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})$/;
const DMY_DATE = /^(\d{1,2})([-./])(\d{1,2})\2(\d{2}|\d{4})$|^(\d{1,2})( )(\d{1,2}) (\d{4})$/;
const COMPACT_DATE = /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;
const ZIP_PLUS_4 = /^\d{5}-\d{4}$/;
const DOTTED = /^\d{1,3}(?:\.\d{1,4}){3,}$/;
// Versions ("8.16.176", "16.4.12.18912"): a short first group without the trunk 0 that dotted
// national numbers start with ("01.42.68.12.34"); US "650.555.0100" has three digits first.
const VERSION = /^(?:0|[1-9]\d?)(?:\.\d+){2,}$/;
// Long plain digit runs are card or account numbers, unless they start with an international
// call prefix ("0044…", "011 44…").
// French national numbers in dots ("06.12.34.56.78"): five pairs, the first the trunk 0.
const FRENCH_DOTTED = /^0[1-9](?:\.\d{2}){4}$/;
const LONG_RUN = /^(?!00|011)\d{13,19}$/;
const GROUPED_AMOUNT = /^\d{1,3}(?:[.,]\d{3})+[.,]\d{1,2}$/;
const CARD_GROUPS = /^\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?$/;
const CURRENCY_SYMBOL = /[$€£¥₹₽₩¢₺₪₫฿]/;
const CURRENCY_CODE = /^(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|NZD|SEK|NOK|DKK|PLN|CZK|INR|CNY|BRL|MXN|ZAR)$/i;
// A label right before the digits that says what they are. "no." alone is left out on purpose:
// "Phone no. 020 7946 0018" is common.
const KEYWORD_BEFORE =
  /(?:^|[^\p{L}])(?:order|invoice|inv|ref|reference|id|ticket|case|account|acct|sku|isbn|issn|po|tracking|serial|s\/n|version|ver|build|release|zip|postal ?code|postcode|iban|vat|ssn|tax|customer|client|transaction|txn|receipt|batch|lot|model|part)\s*(?:no\.?|nr\.?|num(?:ber)?\.?|#|id)?\s*[:#.=]?\s*$/iu;
const WEAK_KEYWORD = /^[^\p{L}]?(?:case|customer|client|release|model|part)\s*$/iu;
// A phone label glued to the number ("cell#415-555-0132", "tel.650-555-0100").
const PHONE_LABEL_GLUED = /(?:^|[^\p{L}])(?:tel|ph|phone|cell|mobile|mob|fax|tél|telefon|celular)[.#:]$/iu;
const SEPARATOR_BEFORE_GLUE = new Set(['-', '_', '#', '/', '.', '\\', '|']);
const SOFT_GAP = /[\s\-./()\u00A0]/;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}

function isDate(raw: string): boolean {
  const iso = ISO_DATE.exec(raw);
  if (iso) {
    const month = Number(iso[3]);
    const day = Number(iso[4]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  const dmy = DMY_DATE.exec(raw);
  if (dmy) {
    // Spaces only with a four-digit year: "21 12 34" is a Faroese number.
    const a = Number(dmy[1] ?? dmy[5]);
    const b = Number(dmy[3] ?? dmy[7]);
    // Day-month or month-day: one of them must be a month.
    return a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12);
  }
  return COMPACT_DATE.test(raw);
}

/** The nearest digit reached from `from` going `step` (±1) over at most 3 soft separators. */
function digitAcrossGap(text: string, from: number, step: 1 | -1): number | undefined {
  let i = from;
  for (let skipped = 0; i >= 0 && i < text.length; skipped += 1) {
    const ch = text[i]!;
    if (isDigit(ch)) return i;
    if (skipped >= 3 || !SOFT_GAP.test(ch)) return undefined;
    i += step;
  }
  return undefined;
}

/** The token of digits and date or time separators around `index`. */
function tokenAround(text: string, index: number): string {
  let a = index;
  while (a > 0 && /[\d:./-]/.test(text[a - 1]!)) a -= 1;
  let b = index + 1;
  while (b < text.length && /[\d:./-]/.test(text[b]!)) b += 1;
  return text.slice(a, b).replace(/[.:/-]+$/, '');
}

const YEAR = /^(?:19|20)\d{2}$/;
const CLOCK = /^\d{1,2}[:h.]\d{2}(?::\d{2})?$/;

/**
 * Whether the digits left of a match end a date, a time or a year ("Mar 15, 2024 415-555-0132",
 * "2024-03-15 10:15 415-555-0132"): a person reads them apart from the number.
 */
function endsDateOrTime(text: string, index: number): boolean {
  const token = tokenAround(text, index);
  if (CLOCK.test(token) || isDate(token)) return true;
  return YEAR.test(token) && /(?:,|\p{L}{3,}\.?)\s+$|\d{1,2},?\s+$/u.test(text.slice(Math.max(0, index - 18), index - 3));
}

function startsDateOrTime(text: string, index: number): boolean {
  const token = tokenAround(text, index);
  return CLOCK.test(token) || isDate(token);
}

function wordAround(text: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && !/\s/.test(text[a - 1]!)) a -= 1;
  let b = end;
  while (b < text.length && !/\s/.test(text[b]!)) b += 1;
  return text.slice(a, b);
}

/**
 * Whether the number libphonenumber found at `span` in `text` is really something else.
 * `others` are all spans libphonenumber found in the same text: digits next to a match are fine
 * when they belong to another number ("650-555-0100 650-555-0101").
 */
export function nearMissReason(text: string, span: Span, others: readonly Span[] = []): NearMissReason | undefined {
  const raw = text.slice(span.start, span.end).trim();
  const international = /^[+＋]/.test(raw);
  const digits = digitsOf(raw);
  const before = text.slice(Math.max(0, span.start - 40), span.start);
  const after = text.slice(span.end, span.end + 12);

  if (!international) {
    if (isDate(raw)) return 'date';
    if (ZIP_PLUS_4.test(raw)) return 'zip';
    if ((DOTTED.test(raw) || VERSION.test(raw)) && !FRENCH_DOTTED.test(raw)) return 'ip-or-version';
    if (GROUPED_AMOUNT.test(raw)) return 'price';
    if (LONG_RUN.test(raw) || (digits.length >= 13 && CARD_GROUPS.test(raw))) {
      return 'card';
    }
    if (digits.length === 13 && /^97[89]/.test(digits)) return 'isbn';
  }

  // Cut out of a time stamp ("15 03 2024 14:05", "14:05 15 03 2024").
  if (/^\s?[:h]\d{2}/.test(after) || /\d:$/.test(before)) return 'time';

  // Part of a dotted run: IP addresses and versions cut by libphonenumber ("10.0.0.1.5").
  if (/^\.\d/.test(after) || (/\d\.$/.test(before) && !/(?:^|[^\p{L}])(?:tel|ph|tél|fax|mob|cell|no|nr)\.$/iu.test(before)))
    return 'ip-or-version';

  // Glued to a word: "INV-2024-000731", "#6505550100", "6505550100-B".
  const prev = text[span.start - 1];
  const labelled = PHONE_LABEL_GLUED.test(before);
  if (isAlnum(prev)) return 'glued';
  if (!labelled && prev !== undefined && SEPARATOR_BEFORE_GLUE.has(prev) && isAlnum(text[span.start - 2])) return 'glued';
  if (!labelled && prev === '#' && !international) return 'glued';
  if (/^[-_][\p{L}\p{N}]/u.test(after)) return 'glued';

  // Digits just beside the match that belong to no other number: the match is a slice of a
  // longer run ("8 (800) 555-35-35" read as a US number, a card number cut in two).
  const inOther = (index: number) => others.some((o) => o !== span && index >= o.start && index < o.end);
  const left = digitAcrossGap(text, span.start - 1, -1);
  if (left !== undefined && !inOther(left) && !endsDateOrTime(text, left)) return 'adjacent-digits';
  const right = digitAcrossGap(text, span.end, 1);
  if (right !== undefined && !inOther(right) && !startsDateOrTime(text, right)) return 'adjacent-digits';

  const keyword = KEYWORD_BEFORE.exec(before);
  // Weak keywords ("in case", "customer") veto only a plain digit run: a number grouped as
  // phone numbers are ("415-555-0132") is read as one in a sentence (issue 12).
  if (keyword && !(WEAK_KEYWORD.test(keyword[0]) && /\D/.test(raw.replace(/^[+＋]/, '')))) return 'keyword';

  // Prices: a currency right before or after.
  const beforeTrim = before.trimEnd();
  const lastBefore = beforeTrim[beforeTrim.length - 1];
  if (lastBefore !== undefined && CURRENCY_SYMBOL.test(lastBefore)) return 'price';
  if (CURRENCY_CODE.test(beforeTrim.split(/\s+/).pop() ?? '')) return 'price';
  const afterTrim = after.trimStart();
  if (afterTrim[0] !== undefined && CURRENCY_SYMBOL.test(afterTrim[0])) return 'price';
  if (CURRENCY_CODE.test(afterTrim.split(/[^\p{L}]/u)[0] ?? '')) return 'price';

  // Inside an address or identifier: "sms:6505550100@gw.example", "?id=6505550100".
  const word = wordAround(text, span.start, span.end);
  if (word.includes('@') || word.includes('://') || /[?&=]/.test(word)) return 'url-or-email';

  return undefined;
}
