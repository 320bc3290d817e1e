/**
 * What the page says around a text block, as a person reads it (issue 12): the column header of
 * its cell, the label of its field, the record it belongs to (a table row, a list item, a card).
 * It decides whether digits there can be a phone number at all (not in an "Id" column, not next
 * to "Steuernummer") and which countries' national formats to read besides the default one (a
 * label "UK mobile", an address in Germany, another number of the record written +44).
 *
 * Everything is read once per table, row or record and cached, so a 10,000-row grid costs one
 * pass over its text, not one DOM walk per candidate.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { kindOf } from './page-rules.ts';

export interface BlockContext {
  /** Countries named by the line: its label, its column header, its own text. */
  countries: CountryCode[];
  /** Countries named by the record: its address, its other numbers' country codes. */
  recordCountries: CountryCode[];
  /** The header or label says these are not phone numbers. */
  notPhone: boolean;
}

const NO_CONTEXT: BlockContext = { countries: [], recordCountries: [], notPhone: false };

// A label that says phone wins over one that says ID ("Phone ID" is rare, "Phone number" common).
const PHONE_LABEL =
  /(?:^|[^\p{L}])(?:phone|tel|tél|téléphone|telefon|telefone|telefono|teléfono|mobile|mobil|mob|cell|celular|handy|portable|fax|whatsapp|landline|dial|direct|office|switchboard|contact no)(?:[^\p{L}]|$)/iu;
const NOT_PHONE_LABEL =
  /(?:^|[^\p{L}])(?:id|ids|ident|identifier|uuid|guid|account|acct|konto|kontonummer|conta|compte|tax|steuer\p{L}*|st\.?-?nr|ust\p{L}*|vat|tva|gst|gstin|pan|aadhaar|abn|acn|tfn|bsb|cpf|cnpj|siret|siren|iban|bic|swift|sort code|routing|order|orders|invoice|rechnung\p{L}*|bestell\p{L}*|auftrag\p{L}*|commande|facture|pedido|nota fiscal|ticket|case|ref|reference|référence|referenz|sku|serial|tracking|kunden\p{L}*|customer no|client no|n° client|postcode|post code|zip|plz|cep|pin ?code|pincode|nhs|national insurance|ni number|sort code|amount|betrag|montant|valor|total|date|datum|created|erstellt|policy|contract|vertrag)(?:[^\p{L}]|$)/iu;

const COUNTRY_WORDS: [RegExp, CountryCode][] = [
  [/(?<!\p{L})(?:UK|U\.K\.|United Kingdom|Great Britain|England|Scotland|Wales|Northern Ireland|Royaume-Uni|Reino Unido|Vereinigtes Königreich|Großbritannien)(?!\p{Ll})|\((?:GB|UK)\)/u, 'GB'],
  [/(?<!\p{L})(?:Germany|Deutschland|Allemagne|Alemanha|Alemania)(?!\p{Ll})|\(DE\)/u, 'DE'],
  [/(?<!\p{L})(?:France|Frankreich|França|Francia)(?!\p{Ll})|\(FR\)/u, 'FR'],
  [/(?<!\p{L})(?:India|Indien|Inde|Índia)(?!\p{Ll})|\(IN\)/u, 'IN'],
  [/(?<!\p{L})(?:Australia|Australien|Australie|Austrália)(?!\p{Ll})|\(AU\)/u, 'AU'],
  [/(?<!\p{L})(?:Brazil|Brasil|Brasilien|Brésil)(?!\p{Ll})|\(BR\)/u, 'BR'],
  [/(?<!\p{L})(?:USA|U\.S\.A?\.|United States|Vereinigte Staaten|États-Unis|Estados Unidos)(?!\p{Ll})|\(US\)/u, 'US'],
];
// Record text is read with textContent, where blocks meet without a space ("FranceBüro"): a
// name ends where a lowercase letter does not follow.
// A two-letter code right before a phone word ("UK mobile", "DE Tel."): in an address "DE" is
// Delaware and "IN" Indiana, so codes alone are not read there.
const CODE_BEFORE_PHONE = /\b(UK|GB|DE|FR|IN|AU|BR|US)[\s:-]+(?:mobile|mob|phone|tel|cell|office|fax|landline|number|no\.?)/giu;
const CODE_TO_COUNTRY: Record<string, CountryCode> = { UK: 'GB', GB: 'GB', DE: 'DE', FR: 'FR', IN: 'IN', AU: 'AU', BR: 'BR', US: 'US' };
// A UK postcode ("EC1A 1BB", "SW1A 2AA") says the address is British.
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b/;
const INTERNATIONAL_NUMBER = /(?:[+＋]|\b00)[1-9][\d \u00A0().-]{6,16}\d/g;

/** The countries a piece of text names, in the order of the list above. */
export function countriesNamedIn(text: string, withPostcodes: boolean): CountryCode[] {
  const found = new Set<CountryCode>();
  for (const match of text.matchAll(CODE_BEFORE_PHONE)) found.add(CODE_TO_COUNTRY[match[1]!.toUpperCase()]!);
  for (const [pattern, country] of COUNTRY_WORDS) if (pattern.test(text)) found.add(country);
  if (withPostcodes && UK_POSTCODE.test(text)) found.add('GB');
  return [...found];
}

/** The countries of the numbers written with a country code in `text`. */
function countriesOfNumbersIn(text: string): CountryCode[] {
  if (!text.includes('+') && !text.includes('00') && !text.includes('＋')) return [];
  const found = new Set<CountryCode>();
  for (const match of text.matchAll(INTERNATIONAL_NUMBER)) {
    const written = match[0].replace(/^00/, '+');
    const number = parsePhoneNumberFromString(written);
    if (number?.country && number.isValid()) found.add(number.country);
    if (found.size >= 3) break;
  }
  return [...found];
}

/** The label of a field: what a person reads as its name. */
export function labelVerdict(label: string): 'phone' | 'not-phone' | undefined {
  if (PHONE_LABEL.test(label)) return 'phone';
  if (NOT_PHONE_LABEL.test(label)) return 'not-phone';
  return undefined;
}

const RECORD_SELECTOR =
  'tr, [role="row"], li, article, section, [class~="card"], [class~="record"], [class*="record"], [class*="contact"], form, fieldset';
const CELL_SELECTOR = 'td, th, [role="gridcell"], [role="cell"]';
const MAX_LABEL = 60;
const LABEL_TAGS = new Set(['DT', 'TH', 'LABEL']);
const PROSE_TAGS = new Set(['TD', 'LI', 'P', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TR']);
const MAX_RECORD_TEXT = 20_000;

function shortText(element: Element | null): string | undefined {
  const text = element?.textContent?.replace(/\s+/g, ' ').trim();
  return text && text.length <= MAX_LABEL ? text : undefined;
}

export class ContextReader {
  private readonly headers = new WeakMap<Element, (string | undefined)[]>();
  private readonly records = new WeakMap<Element, CountryCode[]>();

  constructor(private readonly defaultCountry: CountryCode) {}

  /** The context of a block whose first text node is `node` and whose text is `text`. */
  contextOf(node: Text, text: string): BlockContext {
    const container = containerOf(node);
    if (!container) return NO_CONTEXT;
    const cell = container.closest(CELL_SELECTOR);
    const header = cell ? this.headerOf(cell) : undefined;
    const label = this.fieldLabelOf(cell ?? container);
    const labels = [header, label].filter((l): l is string => l !== undefined);

    let notPhone = false;
    for (const l of labels) {
      const verdict = labelVerdict(l);
      if (verdict === 'phone') {
        notPhone = false;
        break;
      }
      if (verdict === 'not-phone') notPhone = true;
    }
    const others = (c: CountryCode, i: number, all: CountryCode[]) => c !== this.defaultCountry && all.indexOf(c) === i;
    const countries = countriesNamedIn([...labels, text].join(' \n '), false).filter(others);
    const recordCountries = this.recordCountries(container).filter(others);
    if (!notPhone && countries.length === 0 && recordCountries.length === 0) return NO_CONTEXT;
    return { countries, recordCountries, notPhone };
  }

  /** The header of a cell's column, read once per table. */
  private headerOf(cell: Element): string | undefined {
    const row = cell.parentElement;
    const table = cell.closest('table, [role="grid"], [role="table"], [role="treegrid"]');
    if (!row || !table) return undefined;
    let headers = this.headers.get(table);
    if (!headers) {
      const headerRow = headerRowOf(table);
      headers = headerRow ? [...headerRow.children].map((c) => shortText(c)) : [];
      this.headers.set(table, headers);
    }
    // A vertical table ("<tr><th>Phone</th><td>…</td></tr>") has its label beside the cell.
    if (row.parentElement?.tagName === 'THEAD') return undefined;
    const index = Array.prototype.indexOf.call(row.children, cell) as number;
    return headers[index];
  }

  /**
   * A field's label: the element just before it when that is a label (a `dt`, a `th`, a
   * `label`, a short text without digits), not another value, paragraph or timeline entry.
   */
  private fieldLabelOf(element: Element): string | undefined {
    const previous = element.previousElementSibling;
    if (!previous) return undefined;
    if (LABEL_TAGS.has(previous.tagName)) return shortText(previous);
    if (PROSE_TAGS.has(previous.tagName) || PROSE_TAGS.has(element.tagName)) return undefined;
    const text = shortText(previous);
    return text && text.length <= 30 && !/\d/.test(text) ? text : undefined;
  }

  /** The countries a record names: in its address or with its other numbers' country codes. */
  private recordCountries(container: Element): CountryCode[] {
    const record = container.closest(RECORD_SELECTOR);
    if (!record) return [];
    let countries = this.records.get(record);
    if (!countries) {
      const text = (record.textContent ?? '').slice(0, MAX_RECORD_TEXT);
      countries = [...countriesNamedIn(text, true), ...countriesOfNumbersIn(text)];
      // A timeline entry or a list item also belongs to the card or row around it.
      if (record.tagName === 'LI' && record.parentElement) countries.push(...this.recordCountries(record.parentElement));
      this.records.set(record, countries);
    }
    return countries;
  }
}

/** The row of column headers: the `thead`'s last row, a row of `columnheader`s or of `th`s. */
function headerRowOf(table: Element): Element | undefined {
  const head = table.querySelector('thead');
  if (head?.lastElementChild) return head.lastElementChild;
  const columnHeader = table.querySelector('[role="columnheader"]');
  if (columnHeader?.parentElement) return columnHeader.parentElement;
  const first = table.querySelector('tr');
  if (first && first.children.length > 1 && [...first.children].every((c) => c.tagName === 'TH')) return first;
  return undefined;
}

/** The nearest element around `node` that is not inline (its cell, its field, its paragraph). */
function containerOf(node: Node): Element | undefined {
  let element = node.parentElement;
  while (element && kindOf(element) === 'inline') element = element.parentElement;
  return element ?? undefined;
}
