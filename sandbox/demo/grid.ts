/**
 * The bench grids: /demo/grid?rows=N, a CRM data grid with name, email, phone, date, amount and
 * ID per row (exactly one phone number per row, near-misses in every other column), and
 * `window.grid.appendRows(n)` to add rows as an infinite-scroll CRM does. Used by
 * `npm run bench` (bench/detection.ts) and the dynamic-page e2e test.
 */
import type { SimResponse } from '../types.ts';
import { contactAt, escapeHtml, type DemoContact } from './data.ts';

const MAX_ROWS = 20_000;
/** Rows the page can append after load (their data travels with the page as JSON). */
const APPENDABLE = 1_000;

/** The six cells of row `index`, as shown. */
export function gridCells(index: number): string[] {
  const c = contactAt(index);
  return [`${c.firstName} ${c.lastName}`, c.email, c.phoneDisplay, dateOf(c), c.amount, idOf(c)];
}

/** The number detection must find in row `index` (E.164). */
export function gridNumber(index: number): string {
  return contactAt(index).e164;
}

// Dates alternate ISO and European dotted forms; IDs alternate order numbers and invoice
// numbers whose digits would be a valid US number (INV-2024-000731 reads as 202-400-0731).
function dateOf(c: DemoContact): string {
  if (c.index % 2 === 0) return c.created;
  const [y, m, d] = c.created.split('-');
  return `${d}.${m}.${y}`;
}

function idOf(c: DemoContact): string {
  return c.index % 3 === 0 ? `INV-2024-${String(c.index).padStart(6, '0')}` : c.orderId;
}

export function handleGrid(path: string, query: URLSearchParams): SimResponse | undefined {
  if (path !== '/demo/grid') return undefined;
  const n = Number(query.get('rows') ?? 1000);
  const rows = Number.isInteger(n) && n > 0 ? Math.min(n, MAX_ROWS) : 1000;
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: gridPage(rows) };
}

function row(index: number): string {
  return `<tr>${gridCells(index)
    .map((cell, column) => `<td${column === 2 ? ' class="phone"' : ''}>${escapeHtml(cell)}</td>`)
    .join('')}</tr>`;
}

function gridPage(rows: number): string {
  let body = '';
  for (let i = 0; i < rows; i += 1) body += row(i);
  const more = Array.from({ length: APPENDABLE }, (_, i) => gridCells(rows + i));
  const script = `
const more = ${JSON.stringify(more).replace(/</g, '\\u003c')};
let next = 0;
const tbody = document.querySelector('#grid tbody');
function appendRows(n) {
  const frag = document.createDocumentFragment();
  for (let i = 0; i < n && next < more.length; i++, next++) {
    const tr = document.createElement('tr');
    more[next].forEach((value, column) => {
      const td = document.createElement('td');
      if (column === 2) td.className = 'phone';
      td.textContent = value;
      tr.append(td);
    });
    frag.append(tr);
  }
  tbody.append(frag);
  return tbody.rows.length;
}
window.grid = { appendRows };
`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contacts grid (${rows}) · Demo CRM</title>
<style>
  body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2933; background: #f4f6f8; }
  header { padding: 10px 20px; background: #243b53; color: #fff; font-weight: 600; }
  table { border-collapse: collapse; background: #fff; margin: 12px 20px; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e4e7eb; white-space: nowrap; }
  th { background: #f0f4f8; color: #486581; position: sticky; top: 0; }
</style></head>
<body>
<header>Demo CRM · Contacts (${rows.toLocaleString('en-US')})</header>
<table id="grid"><thead><tr><th>Name</th><th>Email</th><th>Phone</th><th>Date</th><th>Amount</th><th>ID</th></tr></thead>
<tbody>${body}</tbody></table>
<script>${script}</script>
</body></html>`;
}
