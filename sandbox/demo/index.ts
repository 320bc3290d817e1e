/**
 * Demo CRM pages served by the sandbox under /demo/: a contact record, a contact list of any
 * size, and a single-page app that adds rows and swaps whole views. They look and behave like a
 * web CRM so detection is exercised (and screenshotted) on something realistic.
 */
import type { SimResponse } from '../types.ts';
import { contactAt, escapeHtml, type DemoContact } from './data.ts';
import { handleCorpus } from './corpus.ts';
import { handleGrid } from './grid.ts';
import { handleHostile } from './hostile.ts';

export interface DemoContext {
  sandboxUrl: string;
}

const MAX_ROWS = 20_000;

export function handleDemo(path: string, query: URLSearchParams, context: DemoContext): SimResponse | undefined {
  if (path === '/' || path === '/demo' || path === '/demo/') return html(indexPage(context));
  if (path === '/demo/contacts') {
    const rows = clampRows(query.get('rows'), 1000);
    return html(listPage(rows));
  }
  const record = /^\/demo\/contacts\/(5f0c[0-9a-f]{20})$/.exec(path);
  if (record) {
    const index = parseInt(record[1]!.slice(4), 16);
    if (index >= MAX_ROWS) return undefined;
    return html(recordPage(contactAt(index)));
  }
  if (path === '/demo/dynamic') return html(dynamicPage());
  if (path === '/demo/grid') return handleGrid(path, query);
  if (path.startsWith('/demo/corpus/')) return handleCorpus(path);
  if (path === '/demo/hostile') return handleHostile(path);
  return undefined;
}

function clampRows(value: string | null, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_ROWS) : fallback;
}

function html(body: string): SimResponse {
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}

export const CRM_STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; background: #f4f6f8; }
  header.top { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #243b53; color: #fff; }
  header.top b { font-size: 16px; letter-spacing: .3px; }
  header.top nav a { color: #d9e2ec; margin-right: 14px; text-decoration: none; }
  main { max-width: 1180px; margin: 20px auto; padding: 0 20px; }
  .card { background: #fff; border: 1px solid #d9e2ec; border-radius: 8px; padding: 18px 20px; margin-bottom: 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0 0 12px; color: #486581; text-transform: uppercase; letter-spacing: .5px; }
  .muted { color: #627d98; }
  dl { display: grid; grid-template-columns: 140px 1fr; gap: 8px 16px; margin: 0; }
  dt { color: #627d98; } dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #e4e7eb; white-space: nowrap; }
  th { background: #f0f4f8; color: #486581; font-weight: 600; position: sticky; top: 0; }
  tr:hover td { background: #f8fafc; }
  a { color: #2680c2; }
  textarea, input { font: inherit; width: 100%; padding: 8px; border: 1px solid #bcccdc; border-radius: 6px; }
  .grid2 { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; }
  .timeline li { margin-bottom: 8px; }
  button.crm { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #829ab1; background: #fff; cursor: pointer; }
`;

export function layout(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Demo CRM</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CRM_STYLE}</style></head>
<body>
<header class="top"><b>Demo CRM</b><nav><a href="/demo/contacts">Contacts</a><a href="/demo/dynamic">Pipeline</a><a href="/demo/">Help</a></nav></header>
<main>${body}</main>
${script ? `<script>${script}</script>` : ''}
</body></html>`;
}

function indexPage(context: DemoContext): string {
  return layout(
    'Demo pages',
    `<div class="card"><h1>Demo CRM</h1><p class="muted">Pages served by the sandbox at ${escapeHtml(context.sandboxUrl)}.</p>
<ul>
<li><a href="/demo/contacts/${contactAt(0).id}">A contact record</a></li>
<li><a href="/demo/contacts">Contacts list (1,000 rows)</a> · <a href="/demo/contacts?rows=10000">10,000 rows</a></li>
<li><a href="/demo/dynamic">Pipeline (a single-page app that adds rows)</a></li>
</ul></div>`,
  );
}

function recordPage(contact: DemoContact): string {
  const e = escapeHtml;
  const colleague = contactAt(contact.index + 1);
  // The office line is written across inline elements, with an extension, as CRMs render it.
  const office = `<span class="cc">+1</span> <span class="num">(650) 555-0100</span> <span class="ext">ext. 45</span>`;
  return layout(
    `${contact.firstName} ${contact.lastName}`,
    `<div class="card"><h1 class="contact-name">${e(contact.firstName)} ${e(contact.lastName)}</h1>
<div class="muted"><span class="contact-title">Operations Manager</span> at <span class="contact-company">${e(contact.company)}</span></div></div>
<div class="grid2">
<div>
<section class="card"><h2>Contact details</h2><dl>
<dt>Mobile</dt><dd class="phone">${e(contact.phoneDisplay)}</dd>
<dt>Office</dt><dd class="phone">${office}</dd>
<dt>Direct</dt><dd><a href="tel:+14155552671">Call direct line</a></dd>
<dt>Email</dt><dd><a href="mailto:${e(contact.email)}">${e(contact.email)}</a></dd>
<dt>Address</dt><dd>1600 Amphitheatre Pkwy, Mountain View, CA 94043-1351</dd>
<dt>Customer since</dt><dd>${e(contact.created)}</dd>
<dt>Lifetime value</dt><dd>${e(contact.amount)}</dd>
<dt>Last order</dt><dd>${e(contact.orderId)} · Invoice INV-2024-000731</dd>
</dl></section>
<section class="card"><h2>Log a note</h2>
<label for="note">Note</label>
<textarea id="note" rows="3">Call back on 650-555-0199 after the demo.</textarea>
<p><label for="alt">Alternate number</label><input id="alt" value="+1 212 555 0147"></p>
</section>
</div>
<aside>
<section class="card"><h2>Assistant</h2><p>${e(colleague.firstName)} ${e(colleague.lastName)}<br><span class="phone">${e(colleague.phoneDisplay)}</span></p></section>
<section class="card"><h2>Activity</h2><ul class="timeline">
<li>2024-03-15 14:05 — Called, left a voicemail</li>
<li>15.03.2024 — Sent pricing (version 2.4.1)</li>
<li>Server 192.168.10.24 provisioned</li>
</ul></section>
</aside>
</div>`,
  );
}

function tableRows(from: number, to: number): string {
  const e = escapeHtml;
  let out = '';
  for (let i = from; i < to; i += 1) {
    const c = contactAt(i);
    out += `<tr><td><a href="/demo/contacts/${c.id}">${e(c.firstName)} ${e(c.lastName)}</a></td><td>${e(c.company)}</td><td>${e(c.email)}</td><td class="phone">${e(c.phoneDisplay)}</td><td>${c.created}</td><td>${e(c.amount)}</td><td>${c.orderId}</td></tr>`;
  }
  return out;
}

const TABLE_HEAD = '<thead><tr><th>Name</th><th>Company</th><th>Email</th><th>Phone</th><th>Created</th><th>Amount</th><th>ID</th></tr></thead>';

function listPage(rows: number): string {
  return layout(
    'Contacts',
    `<div class="card"><h1>Contacts</h1><span class="muted">${rows.toLocaleString('en-US')} contacts</span></div>
<table id="contacts">${TABLE_HEAD}<tbody>${tableRows(0, rows)}</tbody></table>`,
  );
}

/**
 * A single-page app: "Load more" appends rows, "Switch view" replaces the whole view (as a router
 * would), and `?auto=1` keeps appending rows on a timer. Rows are built in the page with the
 * same data, passed as JSON.
 */
function dynamicPage(): string {
  const data = Array.from({ length: 400 }, (_, i) => {
    const c = contactAt(5000 + i);
    return [c.firstName + ' ' + c.lastName, c.company, c.phoneDisplay, c.created, c.amount];
  });
  const script = `
const data = ${JSON.stringify(data).replace(/</g, '\\u003c')};
let next = 0;
const root = document.getElementById('app');
function row(r) {
  const tr = document.createElement('tr');
  for (const value of r) { const td = document.createElement('td'); td.textContent = value; tr.append(td); }
  return tr;
}
function pipelineView() {
  root.replaceChildren();
  const h = document.createElement('div'); h.className = 'card';
  h.innerHTML = '<h1>Pipeline</h1><button class="crm" id="more">Load more</button> <button class="crm" id="switch">Switch view</button>';
  const table = document.createElement('table'); table.id = 'deals';
  table.innerHTML = '<thead><tr><th>Name</th><th>Company</th><th>Phone</th><th>Created</th><th>Amount</th></tr></thead><tbody></tbody>';
  root.append(h, table);
  document.getElementById('more').onclick = () => addRows(20);
  document.getElementById('switch').onclick = () => cardsView();
  addRows(10);
}
function cardsView() {
  root.replaceChildren();
  const h = document.createElement('div'); h.className = 'card';
  h.innerHTML = '<h1>Cards</h1><button class="crm" id="back">Back to pipeline</button>';
  root.append(h);
  for (let i = 0; i < 6; i++) {
    const r = data[(next + i) % data.length];
    const card = document.createElement('div'); card.className = 'card deal-card';
    const name = document.createElement('b'); name.textContent = r[0];
    const phone = document.createElement('div'); phone.className = 'phone'; phone.textContent = r[2];
    card.append(name, phone); root.append(card);
  }
  document.getElementById('back').onclick = () => pipelineView();
}
function addRows(n) {
  const body = document.querySelector('#deals tbody');
  if (!body) return;
  const frag = document.createDocumentFragment();
  for (let i = 0; i < n && next < data.length; i++) frag.append(row(data[next++]));
  body.append(frag);
}
window.demo = { addRows, cardsView, pipelineView };
pipelineView();
if (new URLSearchParams(location.search).get('auto') === '1') setInterval(() => addRows(5), 1000);
`;
  return layout('Pipeline', '<div id="app"></div>', script);
}
