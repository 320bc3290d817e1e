/**
 * A hostile CRM page (issue 7): 200 rows whose names, companies and notes are XSS payloads, each
 * row with a valid phone number. Every payload tries to call `window.__xssTrap(id)`, which the
 * page defines and which records each call, so a test reads `window.__xssHits` afterwards.
 *
 * The page renders every payload as TEXT itself (escaped here, in the server), so whatever runs
 * is the extension's doing. The payloads are generated deterministically: script tags, event
 * handlers, `javascript:` and `data:` URLs, SVG and MathML, attribute and script-block breakouts,
 * broken and nested markup, template syntax, RTL overrides and control characters, and strings of
 * 10,000 characters.
 */
import type { SimResponse } from '../types.ts';
import { escapeHtml } from './data.ts';

export const HOSTILE_ROWS = 200;
export const HOSTILE_PATH = '/demo/hostile';

const LONG = 10_000;

/** Each template makes one payload that calls the trap with `id`. */
const TEMPLATES: ((id: number) => string)[] = [
  (id) => `<script>__xssTrap(${id})</script>`,
  (id) => `<img src=x onerror=__xssTrap(${id})>`,
  (id) => `<svg onload=__xssTrap(${id})>`,
  (id) => `<svg><script>__xssTrap(${id})</script></svg>`,
  (id) => `javascript:__xssTrap(${id})`,
  (id) => `"><img src=x onerror=__xssTrap(${id})>`,
  (id) => `'><img src=x onerror=__xssTrap(${id})>`,
  (id) => `</script><script>__xssTrap(${id})</script>`,
  (id) => `</textarea><img src=x onerror=__xssTrap(${id})>`,
  (id) => `</title><img src=x onerror=__xssTrap(${id})>`,
  (id) => `<iframe srcdoc="<script>parent.__xssTrap(${id})</script>"></iframe>`,
  (id) => `<a href="javascript:__xssTrap(${id})">Ada Abbott</a>`,
  (id) => `<details open ontoggle=__xssTrap(${id})>`,
  (id) => `<body onload=__xssTrap(${id})>`,
  (id) => `<input autofocus onfocus=__xssTrap(${id})>`,
  (id) => `<math><mtext></p><img src=x onerror=__xssTrap(${id})></mtext></math>`,
  (id) => `<noscript><p title="</noscript><img src=x onerror=__xssTrap(${id})>">`,
  (id) => `<!--<img src="--><img src=x onerror=__xssTrap(${id})//">`,
  (id) => `<style>@import 'javascript:__xssTrap(${id})';</style><img src=x onerror=__xssTrap(${id})>`,
  (id) => `<object data="javascript:__xssTrap(${id})"></object>`,
  (id) => `<embed src="data:text/html,<script>parent.__xssTrap(${id})</script>">`,
  (id) => `data:text/html,<script>__xssTrap(${id})</script>`,
  (id) => `<marquee onstart=__xssTrap(${id})>Ada</marquee>`,
  (id) => `<video><source onerror=__xssTrap(${id})></video>`,
  (id) => `<audio src=x onerror=__xssTrap(${id})>`,
  (id) => `<form><button formaction=javascript:__xssTrap(${id})>x</button></form>`,
  (id) => `<img src=x:x onerror="window['__xss'+'Trap'](${id})">`,
  (id) => `<img src=x onerror=&#95;&#95;xssTrap(${id})>`,
  (id) => `<IMG SRC=x OnErRoR=__xssTrap(${id})>`,
  (id) => `<img/src=x/onerror=__xssTrap(${id})>`,
  (id) => `<img src=x onerror\t=\t__xssTrap(${id})>`,
  (id) => `<scr<script>ipt>__xssTrap(${id})</scr</script>ipt>`,
  (id) => `{{constructor.constructor('__xssTrap(${id})')()}}`,
  (id) => `\${__xssTrap(${id})}`,
  (id) => `'-__xssTrap(${id})-'`,
  (id) => `";__xssTrap(${id});//`,
  (id) => `\\u003cimg src=x onerror=__xssTrap(${id})\\u003e`,
  (id) => `\u202Egnp.exe <img src=x onerror=__xssTrap(${id})>\u202C`,
  (id) => `Ada\u200B Abbott\u0000<img src=x onerror=__xssTrap(${id})>`,
  (id) => `Ada Abbott ${'A'.repeat(LONG)} <img src=x onerror=__xssTrap(${id})>`,
];

/** Payload `id` (0-based): its template, with the id it reports. Deterministic. */
export function hostilePayload(id: number): string {
  return TEMPLATES[id % TEMPLATES.length]!(id);
}

export interface HostileRow {
  index: number;
  name: string;
  company: string;
  note: string;
  /** As the page shows it. */
  phoneDisplay: string;
  e164: string;
}

const AREAS = ['202', '303'];

/** Row `index`: every payload appears once as a name, once as a company and once as a note. */
export function hostileRow(index: number): HostileRow {
  const area = AREAS[Math.floor(index / 100) % AREAS.length]!;
  const line = String(100 + (index % 100)).padStart(4, '0');
  return {
    index,
    name: hostilePayload(index),
    company: hostilePayload((index + 67) % HOSTILE_ROWS),
    note: hostilePayload((index + 133) % HOSTILE_ROWS),
    phoneDisplay: `(${area}) 555-${line}`,
    e164: `+1${area}555${line}`,
  };
}

// The trap: any call records its id where a test (page.evaluate) can read it.
const TRAP = `
window.__xssHits = [];
window.__xssTrap = function (id) { window.__xssHits.push(String(id)); document.documentElement.setAttribute('data-xss-hits', window.__xssHits.join(',')); };
`;

export function handleHostile(path: string): SimResponse | undefined {
  if (path !== HOSTILE_PATH) return undefined;
  const e = escapeHtml;
  let rows = '';
  for (let i = 0; i < HOSTILE_ROWS; i += 1) {
    const row = hostileRow(i);
    // Every payload is escaped, in text and in attributes: the page itself never runs one.
    rows += `<tr data-row="${i}" title="${e(row.name)}"><td class="contact-name">${e(row.name)}</td><td class="company">${e(row.company)}</td><td class="note">${e(row.note)}</td><td class="phone">${e(row.phoneDisplay)}</td></tr>`;
  }
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(hostilePayload(0))} · Hostile CRM</title>
<script data-page-own>${TRAP}</script>
<style>td { max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 4px 8px; border-bottom: 1px solid #ddd; } body { font: 14px system-ui, sans-serif; }</style>
</head>
<body>
<h1>Contacts</h1>
<table id="contacts"><thead><tr><th>Name</th><th>Company</th><th>Note</th><th>Phone</th></tr></thead>
<tbody>${rows}</tbody></table>
</body></html>`;
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}
