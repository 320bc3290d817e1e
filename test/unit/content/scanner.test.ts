// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { Scanner, type FoundNumber } from '../../../lib/content/scanner.ts';
import { toDataE164 } from '../../../lib/phone/e164.ts';

function page(markup: string): HTMLElement {
  const main = document.createElement('main');
  main.innerHTML = markup;
  document.body.append(main);
  return main;
}

const numbers = (found: FoundNumber[]) => found.map((f) => toDataE164(f.ref));

beforeEach(() => document.body.replaceChildren());

describe('Scanner', () => {
  it('finds numbers across inline elements, with extensions, in tel: links and shadow roots', () => {
    const main = page(
      '<dl><dd><span>+1</span> <span>(650) 555-0100</span> <span>ext. 45</span></dd>' +
        '<dd><a href="tel:+1-212-555-0147;ext=12">Fax</a></dd><dd>2024-03-15</dd></dl><div id="w"></div>',
    );
    const shadow = main.querySelector('#w')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p>Support <b>(617) 555-0191</b></p>';
    const shadows: ShadowRoot[] = [];
    const scanner = new Scanner([main], {
      defaultCountry: 'US',
      ignored: new Set(),
      isVisible: () => true,
      onShadowRoot: (r) => shadows.push(r),
    });
    expect(scanner.run()).toBe(true);
    expect(numbers(scanner.found)).toEqual(['+16505550100;ext=45', '+12125550147;ext=12', '+16175550191']);
    expect(scanner.found.map((f) => f.label)).toEqual(['+1 (650) 555-0100 ext. 45', '+1-212-555-0147', '(617) 555-0191']);
    expect(shadows).toEqual([shadow]);
  });

  it('uses the default country for national numbers', () => {
    const main = page('<p>020 7946 0018</p>');
    const scanner = new Scanner([main], { defaultCountry: 'GB', ignored: new Set(), isVisible: () => true });
    scanner.run();
    expect(numbers(scanner.found)).toEqual(['+442079460018']);
  });

  it('skips ignored numbers and sets hidden ones aside', () => {
    const main = page('<p>650-555-0100</p><p class="h">650-555-0101</p><p>650-555-0102</p>');
    const scanner = new Scanner([main], {
      defaultCountry: 'US',
      ignored: new Set(['+16505550102']),
      isVisible: (el) => !el.classList.contains('h'),
    });
    scanner.run();
    expect(numbers(scanner.found)).toEqual(['+16505550100']);
    expect(numbers(scanner.hidden)).toEqual(['+16505550101']);
  });

  it('can stop after any step and resume where it was', () => {
    const main = page(Array.from({ length: 30 }, (_, i) => `<p>Row ${i}: 650-555-${String(100 + i).padStart(4, '0')}</p>`).join(''));
    const scanner = new Scanner([main], { defaultCountry: 'US', ignored: new Set(), isVisible: () => true });
    let slices = 1;
    while (!scanner.run(() => true)) slices += 1;
    expect(slices).toBeGreaterThan(30);
    expect(scanner.found).toHaveLength(30);
    expect(scanner.done).toBe(true);
  });
});
