/* global console */
// Writes the generated pages of the detection corpus (issue 12) into test/fixtures/detection/ and
// their entries into expected.json (entries with "generated": true are replaced, the hand-written
// ones kept). Seeded, so the pages are the same on every run: `node scripts/detection-corpus.mjs`.
// Expected numbers come from libphonenumber reading each number as written with the country it
// belongs to, never from the detector.
import { readFileSync, writeFileSync } from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const DIR = new URL('../test/fixtures/detection/', import.meta.url);

let seed = 12;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const digits = (n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const COUNTRIES = {
  US: {
    cc: '1', lang: 'en', prefixes: ['212555', '312555', '415555', '617555', '650555', '702555', '206555', '303555', '512555', '404555'], rest: 4, mobile: ['415555', '650555'],
    label: 'US office', city: 'Austin, TX 78701, USA', other: 'GB',
    head: ['Id', 'Name', 'Phone', 'Mobile', 'Created', 'Amount', 'Order', 'ZIP'],
    date: () => `${1 + Math.floor(random() * 12)}/${10 + Math.floor(random() * 18)}/2024`,
    amount: () => `$${1 + Math.floor(random() * 9)},${digits(3)}.${digits(2)}`,
    postcode: () => `${digits(5)}-${digits(4)}`,
    tax: () => `EIN 12-${digits(7)}`, taxLabel: 'Tax ID',
    names: ['Ada Abbott', 'Ben Carter', 'Cara Diaz', 'Dan Evans', 'Eve Foster', 'Finn Gray', 'Gina Hall', 'Hank Irwin', 'Iris Jones', 'Jack King', 'Kim Lee', 'Leo Moore'],
  },
  GB: {
    cc: '44', lang: 'en-GB', prefixes: ['7911', '7700', '7400', '7520', '20794', '1314960', '1614960', '1174960', '2890180'], rest: 6, mobile: ['7911', '7400', '7520'],
    label: 'UK mobile', city: 'London SW1A 2AA, United Kingdom', other: 'US',
    head: ['Id', 'Name', 'Phone', 'Mobile', 'Created', 'Amount', 'Order', 'Postcode'],
    date: () => `${10 + Math.floor(random() * 18)}/0${1 + Math.floor(random() * 9)}/2024`,
    amount: () => `£${digits(1).replace('0', '3')},${digits(3)}.${digits(2)}`,
    postcode: () => pick(['EC1A 1BB', 'W1A 0AX', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'EH1 1YZ']),
    tax: () => `QQ ${digits(2)} ${digits(2)} ${digits(2)} C`, taxLabel: 'National Insurance',
    names: ['Alice Brown', 'Oliver Smith', 'Amelia Jones', 'Harry Taylor', 'Isla Wilson', 'Jack Davies', 'Poppy Evans', 'George Thomas', 'Ava Roberts', 'Noah Walker', 'Mia Wright', 'Leo Green'],
  },
  DE: {
    cc: '49', lang: 'de', prefixes: ['30', '89', '40', '221', '69', '711', '151', '160', '170', '176'], rest: 7, mobile: ['151', '160', '170', '176'],
    label: 'Tel. (DE)', city: '10115 Berlin, Deutschland', other: 'FR',
    head: ['Id', 'Name', 'Telefon', 'Mobil', 'Erstellt', 'Betrag', 'Bestellnr.', 'PLZ'],
    date: () => `${10 + Math.floor(random() * 18)}.0${1 + Math.floor(random() * 9)}.2024`,
    amount: () => `${1 + Math.floor(random() * 9)}.${digits(3)},${digits(2)} €`,
    postcode: () => `${1 + Math.floor(random() * 9)}${digits(4)}`,
    tax: () => `${digits(2)}/${digits(3)}/${digits(5)}`, taxLabel: 'Steuernummer',
    names: ['Anna Schmidt', 'Bernd Müller', 'Clara Fischer', 'Dieter Weber', 'Eva Wagner', 'Frank Becker', 'Greta Hoffmann', 'Hans Schulz', 'Ilse Koch', 'Jürgen Richter', 'Karin Wolf', 'Lutz Braun'],
  },
  FR: {
    cc: '33', lang: 'fr', prefixes: ['6', '7', '1', '4', '5', '2', '3'], rest: 8, mobile: ['6', '7'],
    label: 'Téléphone (FR)', city: '12 rue de Rivoli, 75001 Paris, France', other: 'DE',
    head: ['Id', 'Nom', 'Téléphone', 'Portable', 'Créé le', 'Montant', 'N° commande', 'Code postal'],
    date: () => `${10 + Math.floor(random() * 18)}/0${1 + Math.floor(random() * 9)}/2024`,
    amount: () => `${1 + Math.floor(random() * 9)} ${digits(3)},${digits(2)} €`,
    postcode: () => `${7 + Math.floor(random() * 2)}${digits(1)}0${digits(2)}`,
    tax: () => `SIRET ${digits(3)} ${digits(3)} ${digits(3)} ${digits(5)}`, taxLabel: 'SIRET',
    names: ['Camille Martin', 'Lucas Bernard', 'Léa Dubois', 'Hugo Thomas', 'Chloé Robert', 'Louis Richard', 'Manon Petit', 'Jules Durand', 'Emma Leroy', 'Nathan Moreau', 'Inès Simon', 'Théo Laurent'],
  },
  IN: {
    cc: '91', lang: 'en-IN', prefixes: ['98', '97', '99', '88', '70', '2226', '1123', '8041'], rest: 8, mobile: ['98', '97', '99'],
    label: 'Mobile (IN)', city: 'Nariman Point, Mumbai 400021, India', other: 'GB',
    head: ['Id', 'Name', 'Phone', 'Mobile', 'Created', 'Amount', 'Order', 'PIN code'],
    date: () => `${10 + Math.floor(random() * 18)}-0${1 + Math.floor(random() * 9)}-2024`,
    amount: () => `₹${1 + Math.floor(random() * 9)},${digits(2)},${digits(3)}.00`,
    postcode: () => `${1 + Math.floor(random() * 8)}${digits(5)}`,
    tax: () => `GSTIN 27AAPFU${digits(4)}R1Z${digits(1)}`, taxLabel: 'GSTIN',
    names: ['Aarav Sharma', 'Diya Patel', 'Vihaan Gupta', 'Ananya Rao', 'Arjun Iyer', 'Isha Nair', 'Kabir Singh', 'Meera Das', 'Rohan Mehta', 'Sara Khan', 'Tara Joshi', 'Vivaan Reddy'],
  },
  AU: {
    cc: '61', lang: 'en-AU', prefixes: ['412', '423', '438', '401', '29374', '39123', '73012', '86110'], rest: 6, mobile: ['412', '423', '438', '401'],
    label: 'Mobile (AU)', city: '1 Macquarie St, Sydney NSW 2000, Australia', other: 'GB',
    head: ['Id', 'Name', 'Phone', 'Mobile', 'Created', 'Amount', 'Order', 'Postcode'],
    date: () => `${10 + Math.floor(random() * 18)}/0${1 + Math.floor(random() * 9)}/2024`,
    amount: () => `A$${1 + Math.floor(random() * 9)},${digits(3)}.${digits(2)}`,
    postcode: () => `${2 + Math.floor(random() * 6)}${digits(3)}`,
    tax: () => `ABN ${digits(2)} ${digits(3)} ${digits(3)} ${digits(3)}`, taxLabel: 'ABN',
    names: ['Charlotte Kelly', 'Jack Murphy', 'Olivia Ryan', 'William Byrne', 'Amelia Walsh', 'Thomas Quinn', 'Ruby Hughes', 'Lachlan Ward', 'Zoe Price', 'Cooper Bell', 'Matilda Fox', 'Hamish Reid'],
  },
  BR: {
    cc: '55', lang: 'pt-BR', prefixes: ['119', '219', '319', '1133', '2125', '4133', '5132'], rest: 7, mobile: ['119', '219', '319'],
    label: 'Celular (BR)', city: 'Av. Paulista, 1000, São Paulo - SP, Brasil', other: 'US',
    head: ['Id', 'Nome', 'Telefone', 'Celular', 'Criado em', 'Valor', 'Pedido', 'CEP'],
    date: () => `${10 + Math.floor(random() * 18)}/0${1 + Math.floor(random() * 9)}/2024`,
    amount: () => `R$ ${1 + Math.floor(random() * 9)}.${digits(3)},${digits(2)}`,
    postcode: () => `0${1 + Math.floor(random() * 8)}${digits(3)}-${digits(3)}`,
    tax: () => `CPF ${digits(3)}.${digits(3)}.${digits(3)}-${digits(2)}`, taxLabel: 'CPF',
    names: ['Ana Souza', 'Bruno Lima', 'Carla Alves', 'Diego Costa', 'Elisa Rocha', 'Felipe Dias', 'Gabriela Melo', 'Heitor Nunes', 'Isabela Pinto', 'João Ramos', 'Larissa Teixeira', 'Marcos Vieira'],
  },
};

const used = new Set();
/** A valid number of `country`, not used before. */
function numberOf(country, mobile = false) {
  const c = COUNTRIES[country];
  for (let tries = 0; tries < 500; tries += 1) {
    const prefix = pick(mobile ? c.mobile : c.prefixes);
    let nsn = prefix + digits(Math.max(c.rest, 0));
    if (country === 'US') nsn = prefix + '01' + digits(2);
    if (country === 'GB') nsn = (prefix + digits(10)).slice(0, 10);
    if (country === 'IN') nsn = (prefix + digits(10)).slice(0, 10);
    if (country === 'AU' || country === 'FR') nsn = (prefix + digits(9)).slice(0, 9);
    if (country === 'BR') nsn = (prefix + digits(11)).slice(0, prefix.length === 3 ? 11 : 10);
    const number = parsePhoneNumberFromString(`+${c.cc}${nsn}`);
    if (!number?.isValid() || number.country !== country || used.has(number.number)) continue;
    used.add(number.number);
    return number;
  }
  throw new Error(`no number for ${country}`);
}

/** The ways a country writes its own numbers. */
function national(number, country, variant) {
  const n = number.formatNational();
  if (country === 'US') return [n, n.replace(/[()]/g, '').replace(' ', '-'), n.replace(/[()]/g, '').replace(/[ -]/g, '.'), `1-${n.replace(/[()]/g, '').replace(' ', '-')}`][variant % 4];
  if (country === 'FR') return [n, n.replace(/ /g, '.'), n.replace(/ /g, '.')][variant % 3];
  if (country === 'DE') return [n, n.replace(' ', '/'), n][variant % 3];
  if (country === 'IN') return [n, n.replace(/^0/, '')][variant % 2];
  return n;
}
const zeroZero = (number) => `00${number.formatInternational().slice(1)}`;

const expectRef = (number, ext) => (ext ? `${number.number};ext=${ext}` : number.number);

function idDigits(n) {
  return String(1 + Math.floor(random() * 8)) + digits(n - 1);
}
function orderOf() {
  return pick([`ORD-2024-${digits(6)}`, `SO-${digits(5)}`, `#A${digits(7)}`, `INV-${digits(4)}-${digits(3)}`]);
}

function page(title, lang, body) {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)} · Demo CRM</title><link rel="stylesheet" href="crm.css"></head>
<body>
<header class="top"><b>Demo CRM</b><span>${esc(title)}</span></header>
<main>
${body}
</main>
</body></html>
`;
}

const pages = [];

// A grid: an Id column of 10-digit IDs, two number columns, dates, amounts, orders, postcodes.
function grid(country) {
  const c = COUNTRIES[country];
  const numbers = [];
  const misses = [];
  const rows = c.names.map((name, i) => {
    const id = idDigits(10);
    const phone = numberOf(country);
    const phoneText = national(phone, country, i);
    numbers.push(expectRef(phone));
    let second;
    let secondText;
    const kind = i % 4;
    if (kind === 0) {
      second = numberOf(country, true);
      secondText = second.formatInternational();
    } else if (kind === 1) {
      second = numberOf(c.other);
      secondText = zeroZero(second);
    } else if (kind === 2) {
      second = numberOf(country, true);
      secondText = national(second, country, i + 1);
    } else {
      second = numberOf(c.other);
      secondText = second.formatInternational();
    }
    numbers.push(expectRef(second));
    const date = c.date();
    const amount = c.amount();
    const order = orderOf();
    const postcode = c.postcode();
    misses.push(id, date, amount, order, postcode);
    return `<tr><td>${id}</td><td>${esc(name)}</td><td>${esc(phoneText)}</td><td>${esc(secondText)}</td><td>${esc(date)}</td><td>${esc(amount)}</td><td>${esc(order)}</td><td>${esc(postcode)}</td></tr>`;
  });
  const head = `<tr>${c.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const file = `gen-${country.toLowerCase()}-grid.html`;
  writeFileSync(new URL(file, DIR), page(`Contacts ${country}`, c.lang, `<div class="card"><h1>Contacts</h1></div>\n<table id="records"><thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`));
  pages.push({ file, kind: 'list', defaultCountry: country, generated: true, description: `${country} grid: an Id column of 10-digit IDs, national, international and 00 numbers, dates, amounts, orders and postcodes in their own columns.`, numbers, nearMisses: misses });
}

// A record of `country` on a page whose default country is another one.
function record(country) {
  const c = COUNTRIES[country];
  const pageCountry = c.other;
  const numbers = [];
  const misses = [];
  const intl = numberOf(country, true);
  const byLabel = numberOf(country);
  const byRecord = numberOf(country);
  const fax = numberOf(country);
  const split = numberOf(country);
  const customerId = idDigits(11);
  const tax = c.tax();
  const account = `${digits(8)}`;
  const order = orderOf();
  const date = c.date();
  numbers.push(expectRef(intl), expectRef(byLabel), expectRef(fax), expectRef(split));
  const trunk = national(byRecord, country, 0).startsWith('0') || national(byRecord, country, 0).startsWith('(0');
  if (trunk) numbers.push(expectRef(byRecord));
  misses.push(customerId, tax, account, order, date);
  const splitIntl = split.formatInternational();
  const splitRest = splitIntl.slice(c.cc.length + 2);
  let extLine = '';
  if (country === 'DE') {
    const ext = String(10 + Math.floor(random() * 89));
    const base = numberOf('DE');
    const written = `${base.formatNational().replace(' ', '/')}-${ext}`;
    const ext2 = String(1 + Math.floor(random() * 9));
    const base2 = numberOf('DE');
    numbers.push(expectRef(base, ext), expectRef(base2, ext2));
    extLine = `<dt>Zentrale</dt><dd>${esc(written)}</dd>\n<dt>Büro Köln</dt><dd>${esc(base2.formatInternational())}-${ext2}</dd>\n`;
  }
  const body = `<div class="card"><h1 class="contact-name">${esc(c.names[0])}</h1><div class="muted">${esc(c.city)}</div></div>
<div class="card"><h2>Contact details</h2><dl>
<dt>Phone</dt><dd>${esc(intl.formatInternational())}</dd>
<dt>${esc(c.label)}</dt><dd>${esc(national(byLabel, country, 1))}</dd>
<dt>Office</dt><dd>${esc(trunk ? national(byRecord, country, 0) : 'n/a')}</dd>
<dt>Fax</dt><dd>${esc(zeroZero(fax))}</dd>
<dt>Switchboard</dt><dd><span class="cc">+${c.cc}</span> | <span>${esc(splitRest)}</span></dd>
${extLine}<dt>Address</dt><dd>${esc(c.city)}</dd>
<dt>Customer ID</dt><dd>${customerId}</dd>
<dt>${esc(c.taxLabel)}</dt><dd>${esc(tax)}</dd>
<dt>Account</dt><dd>${account}</dd>
<dt>Last order</dt><dd>${esc(order)} · ${esc(date)}</dd>
</dl></div>`;
  const file = `gen-${country.toLowerCase()}-record.html`;
  writeFileSync(new URL(file, DIR), page(`${c.names[0]} · Contact`, c.lang, body));
  pages.push({ file, kind: 'record', defaultCountry: pageCountry, generated: true, description: `A ${country} contact on a page whose default country is ${pageCountry}: an international number, one under a label naming the country, one the record's address and numbers place, a 00 fax, a country code in its own span behind a separator${country === 'DE' ? ', hyphen extensions' : ''}; a customer ID, tax and account numbers.`, numbers, nearMisses: misses });
}

// Free-form text: notes, a timeline and an e-mail thread, numbers among dates, amounts and IDs.
function notes(country) {
  const c = COUNTRIES[country];
  const numbers = [];
  const misses = [];
  const n = () => {
    const number = numberOf(country, random() < 0.3);
    numbers.push(expectRef(number));
    return national(number, country, Math.floor(random() * 4));
  };
  const amount = () => {
    const a = c.amount();
    misses.push(a);
    return a;
  };
  const date = () => {
    const d = c.date();
    misses.push(d);
    return d;
  };
  const order = () => {
    const o = `order ${orderOf()}`;
    misses.push(o);
    return o;
  };
  const invoice = () => {
    const o = `invoice ${digits(2)}${digits(6)}`;
    misses.push(o);
    return o;
  };
  const timeline = [
    `${date()} 10:15 — called ${n()}, no answer; left a voicemail about ${order()}.`,
    `${date()} — ${c.names[1]} asked us to use ${n()} in case ${n()} is busy.`,
    `Mar 15, 2024 ${n()} called back about ${invoice()} (${amount()}).`,
    `${date()} 14:30 Meeting moved; dial ${n()} then press 2.`,
  ];
  const mail = `<blockquote class="mail"><p>On Mon, Mar 4, 2024 at 10:15 AM ${esc(c.names[2])} wrote:</p>
<p>&gt; Thanks for the quote of ${esc(amount())}. Please reach me at ${esc(n())} or my assistant on ${esc(n())}.</p>
<p>&gt; Our ${esc(order())} should ship by ${esc(date())}.</p>
<p>&gt; Best regards,<br>&gt; ${esc(c.names[2])}<br>&gt; Mobile: ${esc(n())}</p></blockquote>`;
  const note = `<p>Spoke to ${esc(c.names[3])} (cell#${esc(n())}). Renewal ${esc(amount())} due ${esc(date())}; ${esc(invoice())} attached.</p>`;
  const body = `<div class="card"><h1>Activity</h1></div>
<div class="card"><h2>Timeline</h2><ul>
${timeline.map((t) => `<li>${esc(t)}</li>`).join('\n')}
</ul></div>
<div class="card"><h2>E-mail</h2>${mail}</div>
<div class="card"><h2>Notes</h2>${note}</div>`;
  const file = `gen-${country.toLowerCase()}-notes.html`;
  writeFileSync(new URL(file, DIR), page(`Activity ${country}`, c.lang, body));
  pages.push({ file, kind: 'notes', defaultCountry: country, generated: true, description: `${country} free-form text: a timeline, an e-mail thread and a note, numbers among dates, times, amounts, orders and invoices.`, numbers, nearMisses: misses });
}

for (const country of Object.keys(COUNTRIES)) {
  grid(country);
  record(country);
  notes(country);
}

const expectedUrl = new URL('expected.json', DIR);
const expected = JSON.parse(readFileSync(expectedUrl, 'utf8'));
expected.pages = [...expected.pages.filter((p) => !p.generated), ...pages];
writeFileSync(expectedUrl, `${JSON.stringify(expected, null, 2)}\n`);
const total = (key) => expected.pages.reduce((sum, p) => sum + p[key].length, 0);
console.log(`${expected.pages.length} pages, ${total('numbers')} numbers, ${total('nearMisses')} near-misses`);
