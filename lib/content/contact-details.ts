/**
 * "Who is this number?": the name, company and email around a number, read from the same table
 * row, else the card it sits in, else the record's header. It only reads the DOM, and the
 * intents carry its result (issue 3); later issues send it to the services (SIP Caller's
 * campaign variables use the same field names, see CONTACT_DETAIL_FIELDS in lib/settings.ts).
 */
import type { ContactDetails } from '../protocol/content.ts';
import { HOST_TAG } from './page-rules.ts';

const MAX_DETAIL = 200;
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
// Two to five words, the first and last capitalised ("Ada Abbott", "Rafael de la Cruz",
// "Liam O'Brien"); section titles like "Contact details" and "Assistant" fail on purpose.
const NAME_LIKE = /^\p{Lu}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,3}\s+\p{Lu}[\p{L}'’.-]*$/u;
const CARD_SELECTOR = [
  'article', 'li', 'section', 'aside', '[role="article"]', '[role="listitem"]', '[role="region"]', '[itemscope]',
  '.vcard', '[class*="card" i]', '[class*="contact" i]', '[class*="person" i]', '[class*="profile" i]', 'dl',
].join(',');
const MAX_CARD_TEXT = 2000;
const NAME_SELECTORS = [
  '[itemprop="name"]', '.fn', '[class*="contact-name" i]', '[class*="full-name" i]', '[class*="fullname" i]',
  '[class*="person-name" i]', '[class*="name" i]:not([class*="company" i]):not([class*="user" i]):not([class*="file" i])',
];
const HEADING_SELECTOR = 'h1, h2, h3, h4, h5, h6, strong, b, [role="heading"]';
const COMPANY_SELECTOR =
  '[itemprop="worksFor"], .org, [class*="company" i], [class*="organization" i], [class*="organisation" i], [class*="employer" i]';

type Field = keyof ContactDetails;

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_DETAIL);
}

function textOf(element: Element): string {
  return clean(element.textContent);
}

export function isNameLike(text: string): boolean {
  return text.length <= 60 && NAME_LIKE.test(text);
}

function emailIn(element: Element): string | undefined {
  const mailto = element.querySelector('a[href^="mailto:" i]');
  const fromLink = mailto ? EMAIL.exec(decodeURIComponentSafe(mailto.getAttribute('href') ?? '')) : null;
  if (fromLink) return fromLink[0];
  return EMAIL.exec(element.textContent ?? '')?.[0];
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** "Ada Abbott" → first and last; "Abbott, Ada" too. */
export function withNameParts(details: ContactDetails): ContactDetails {
  const full = details.full_name;
  if (!full || (details.first_name && details.last_name)) return details;
  const comma = /^([^,]+),\s*(.+)$/.exec(full);
  const words = comma ? [comma[2]!, comma[1]!] : full.split(' ');
  if (words.length < 2) return details;
  return {
    ...details,
    first_name: details.first_name ?? words[0]!,
    last_name: details.last_name ?? words.slice(1).join(' '),
    ...(comma ? { full_name: `${comma[2]} ${comma[1]}` } : {}),
  };
}

function fieldForHeader(header: string): Field | undefined {
  const h = header.toLowerCase();
  if (/e-?mail/.test(h)) return 'email';
  if (/first\s*name|given\s*name|forename/.test(h)) return 'first_name';
  if (/last\s*name|surname|family\s*name/.test(h)) return 'last_name';
  if (/company|organi[sz]ation|account|business|employer|firm/.test(h)) return 'company';
  if (/name|contact|person|lead|customer|client/.test(h)) return 'full_name';
  return undefined;
}

function cellsOf(row: Element): Element[] {
  return [...row.children].filter((c) => /^(TD|TH)$/.test(c.tagName) || /^(cell|gridcell|rowheader)$/.test(c.getAttribute('role') ?? ''));
}

function headersFor(row: Element): string[] {
  const table = row.closest('table');
  if (table) {
    // The head row, else the first row of header cells only.
    const rows = [...table.querySelectorAll('tr')].filter((r) => r.closest('table') === table && r !== row);
    const headRow =
      rows.find((r) => r.parentElement?.tagName === 'THEAD') ??
      rows.find((r) => cellsOf(r).length > 0 && cellsOf(r).every((c) => c.tagName === 'TH'));
    return headRow ? cellsOf(headRow).map((c) => textOf(c)) : [];
  }
  const grid = row.closest('[role="grid"], [role="table"], [role="treegrid"]');
  const headRow = [...(grid?.querySelectorAll('[role="row"]') ?? [])].find((r) => r.querySelector('[role="columnheader"]'));
  return headRow ? [...headRow.querySelectorAll('[role="columnheader"]')].map((c) => textOf(c)) : [];
}

function fromRow(row: Element, anchor: Element): ContactDetails {
  const details: ContactDetails = {};
  const cells = cellsOf(row);
  const headers = headersFor(row);
  cells.forEach((cell, index) => {
    if (cell.contains(anchor)) return;
    const field = headers[index] ? fieldForHeader(headers[index]) : undefined;
    if (!field || details[field]) return;
    const value = field === 'email' ? emailIn(cell) : textOf(cell);
    if (value) details[field] = value;
  });
  // Headerless rows: an email anywhere, a name-like first cell.
  details.email ??= cells.filter((c) => !c.contains(anchor)).map(emailIn).find(Boolean);
  if (!details.full_name && !details.first_name) {
    const name = cells.filter((c) => !c.contains(anchor)).map(textOf).find(isNameLike);
    if (name) details.full_name = name;
  }
  return details;
}

function firstNameLike(container: ParentNode, selectors: string[]): string | undefined {
  for (const selector of selectors) {
    for (const element of container.querySelectorAll(selector)) {
      const text = textOf(element);
      if (isNameLike(text)) return text;
    }
  }
  return undefined;
}

/** The line of text right before the number's line inside `container` ("Ben Abbott<br>650…"). */
function lineBefore(container: Element, anchor: Element): string | undefined {
  const lines: string[] = [];
  let current = '';
  let anchorLine = -1;
  const walker = container.ownerDocument.createTreeWalker(container, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node === anchor) {
      anchorLine = lines.length;
      break;
    }
    if (node.nodeType === 3) current += (node as Text).data;
    else if (/^(BR|P|DIV|LI|DD|DT|TD|H[1-6])$/.test((node as Element).tagName)) {
      lines.push(clean(current));
      current = '';
    }
  }
  if (anchorLine < 0) return undefined;
  lines.push(clean(current));
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i]!;
    if (!line) continue;
    return isNameLike(line) ? line : undefined;
  }
  return undefined;
}

function fromCard(card: Element, anchor: Element): ContactDetails {
  const details: ContactDetails = {};
  const name = firstNameLike(card, NAME_SELECTORS) ?? firstNameLike(card, [HEADING_SELECTOR]) ?? lineBefore(card, anchor);
  if (name) details.full_name = name;
  const company = card.querySelector(COMPANY_SELECTOR);
  if (company && textOf(company)) details.company = textOf(company);
  const email = emailIn(card);
  if (email) details.email = email;
  return details;
}

function fromPage(root: Document | ShadowRoot): ContactDetails {
  const details: ContactDetails = {};
  const name = firstNameLike(root, [...NAME_SELECTORS, 'h1']);
  if (name) details.full_name = name;
  const company = root.querySelector(COMPANY_SELECTOR);
  if (company && textOf(company)) details.company = textOf(company);
  // A record page links its contact's address; several different addresses say nothing.
  const emails = new Set([...root.querySelectorAll('a[href^="mailto:" i]')].map((a) => EMAIL.exec(a.getAttribute('href') ?? '')?.[0]));
  emails.delete(undefined);
  if (emails.size === 1) details.email = [...emails][0];
  return details;
}

function merge(inner: ContactDetails, outer: ContactDetails): ContactDetails {
  const merged: ContactDetails = { ...outer };
  for (const [key, value] of Object.entries(inner) as [Field, string | undefined][]) {
    if (value) merged[key] = value;
  }
  return merged;
}

function hasName(details: ContactDetails): boolean {
  return Boolean(details.full_name || details.first_name || details.last_name);
}

/**
 * The contact details around `anchor` (the number's button or its element). Closer context
 * wins; once a row or card names someone, nothing further out is mixed in (an assistant's card
 * must not borrow the record's company).
 */
export function captureContactDetails(anchor: Element): ContactDetails {
  const start = anchor.tagName === HOST_TAG.toUpperCase() ? (anchor.parentElement ?? anchor) : anchor;
  let details: ContactDetails = {};

  const row = start.closest('tr, [role="row"]');
  if (row) {
    details = fromRow(row, start);
    if (hasName(details)) return withNameParts(details);
  }

  for (let card = start.closest(CARD_SELECTOR); card; card = card.parentElement?.closest(CARD_SELECTOR) ?? null) {
    if ((card.textContent ?? '').length > MAX_CARD_TEXT) break;
    details = merge(details, fromCard(card, start));
    if (hasName(details)) return withNameParts(details);
  }

  const root = start.getRootNode() as Document | ShadowRoot;
  return withNameParts(merge(details, fromPage(root)));
}
