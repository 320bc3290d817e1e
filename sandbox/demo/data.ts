/**
 * Deterministic demo contacts for the sandbox's CRM pages: names, companies, numbers in several
 * formats and countries, and the near-misses a CRM page is full of (dates, amounts, IDs, ZIP+4).
 */
const FIRST = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kara', 'Luis', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rafael', 'Sofia', 'Tariq', 'Uma', 'Victor', 'Wen', 'Yara', 'Zoe'];
const LAST = ['Abbott', 'Becker', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hughes', 'Ito', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Nakamura', 'O\'Brien', 'Patel', 'Quiroga', 'Rossi', 'Schmidt', 'Tanaka', 'Ueda', 'Vargas', 'Walsh', 'Young', 'Zimmer'];
const COMPANIES = ['Northwind Traders', 'Contoso Ltd', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Acme Tools', 'Hooli', 'Vandelay Imports', 'Soylent Co', 'Tyrell Systems'];
const US_AREAS = ['650', '415', '212', '312', '214', '512', '617', '206', '303', '305', '404', '702'];

export interface DemoContact {
  index: number;
  id: string;
  firstName: string;
  lastName: string;
  company: string;
  email: string;
  /** As shown on the page. */
  phoneDisplay: string;
  /** What detection should find (E.164). */
  e164: string;
  created: string;
  amount: string;
  orderId: string;
}

/** Contact ids look like the CRM's 24-hex-digit ids. */
export function contactId(index: number): string {
  return `5f0c${index.toString(16).padStart(20, '0')}`;
}

export function contactAt(index: number): DemoContact {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const company = COMPANIES[(index * 7) % COMPANIES.length]!;
  const { display, e164 } = phoneAt(index);
  const day = 1 + (index % 28);
  const month = 1 + (index % 12);
  return {
    index,
    id: contactId(index),
    firstName: first,
    lastName: last,
    company,
    email: `${ascii(first)}.${ascii(last)}${index}@${ascii(company).replace(/\s+/g, '')}.example`.toLowerCase(),
    phoneDisplay: display,
    e164,
    created: `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    amount: `$${((index * 7919) % 90_000 + 1000).toLocaleString('en-US')}.${String(index % 100).padStart(2, '0')}`,
    orderId: `ORD-${(100000 + index).toString()}`,
  };
}

/**
 * Mostly US numbers in 555-01xx..555-99xx blocks written four ways; every 10th is abroad. Each
 * index gives a distinct number.
 */
export function phoneAt(index: number): { display: string; e164: string } {
  if (index % 10 === 9) {
    const n = Math.floor(index / 10);
    const line = String(1000 + (n % 9000)).padStart(4, '0');
    switch (n % 4) {
      case 0: {
        const uk = String(n % 1000).padStart(3, '0');
        return { display: `+44 20 7946 0${uk}`, e164: `+442079460${uk}` };
      }
      case 1:
        return { display: `+49 30 9018${line}`, e164: `+49309018${line}` };
      case 2:
        return { display: `+33 1 42 68 ${line.slice(0, 2)} ${line.slice(2)}`, e164: `+3314268${line}` };
      default:
        return { display: `+61 2 9374 ${line}`, e164: `+6129374${line}` };
    }
  }
  const area = US_AREAS[index % US_AREAS.length]!;
  const line = String(100 + Math.floor(index / US_AREAS.length)).padStart(4, '0');
  const e164 = `+1${area}555${line}`;
  switch (index % 4) {
    case 0:
      return { display: `(${area}) 555-${line}`, e164 };
    case 1:
      return { display: `${area}-555-${line}`, e164 };
    case 2:
      return { display: `+1 ${area} 555 ${line}`, e164 };
    default:
      return { display: `${area}.555.${line}`, e164 };
  }
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^\w\s]/g, '');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
