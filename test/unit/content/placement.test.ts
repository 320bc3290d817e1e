// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../../../lib/content/number-host.ts';
import { existingHostFor, insertHost, insertionPointFor, isStillThere, removeHost } from '../../../lib/content/placement.ts';
import { Scanner, type FoundNumber } from '../../../lib/content/scanner.ts';

function scan(root: Node): FoundNumber[] {
  const scanner = new Scanner([root], { defaultCountry: 'US', ignored: new Set(), isVisible: () => true });
  scanner.run();
  return scanner.found;
}

function page(markup: string): HTMLElement {
  const main = document.createElement('main');
  main.innerHTML = markup;
  document.body.append(main);
  return main;
}

function decorate(root: HTMLElement): HTMLElement[] {
  const found = scan(root);
  return found.reverse().map((f) => {
    const host = createHost(document, { ref: f.ref, label: f.label });
    insertHost(host, insertionPointFor(f)!);
    return host;
  });
}

beforeEach(() => document.body.replaceChildren());

describe('placement', () => {
  it('puts the button right after a number that fills its text node', () => {
    const main = page('<p>(650) 555-0100</p>');
    decorate(main);
    expect(main.innerHTML).toBe('<p>(650) 555-0100<crm-companion-number data-e164="+16505550100"></crm-companion-number></p>');
  });

  it('climbs out of the inline elements the number ends with, links included', () => {
    const main = page('<dd><span>+1</span> <span class="n">(650) 555-0100</span> <span class="x">ext. 45</span></dd><p><a href="/c/1">650-555-0101</a> (home)</p>');
    decorate(main);
    expect(main.querySelector('dd')!.lastElementChild!.outerHTML).toBe('<crm-companion-number data-e164="+16505550100;ext=45"></crm-companion-number>');
    expect(main.querySelector('a')!.nextElementSibling!.tagName).toBe('CRM-COMPANION-NUMBER');
  });

  it('splits a text node only where a number ends inside it, and joins it back', () => {
    const main = page('<p>Call 650-555-0142 / 650-555-0143 today</p>');
    const before = main.innerHTML;
    const hosts = decorate(main);
    const p = main.querySelector('p')!;
    expect([...p.childNodes].map((n) => (n.nodeType === 3 ? n.textContent : (n as Element).getAttribute('data-e164')))).toEqual([
      'Call 650-555-0142',
      '+16505550142',
      ' / 650-555-0143',
      '+16505550143',
      ' today',
    ]);
    expect(p.textContent).toBe('Call 650-555-0142 / 650-555-0143 today');
    for (const host of hosts) removeHost(host);
    expect(main.innerHTML).toBe(before);
    expect(p.childNodes).toHaveLength(1);
  });

  it('puts the button after a tel: link, outside it', () => {
    const main = page('<p><a href="tel:+14155552671">Call direct line</a></p>');
    decorate(main);
    expect(main.querySelector('p')!.innerHTML).toBe('<a href="tel:+14155552671">Call direct line</a><crm-companion-number data-e164="+14155552671"></crm-companion-number>');
  });

  it('recognises a button already in place and a page that changed since the scan', () => {
    const main = page('<p>650-555-0100</p>');
    decorate(main);
    const [again] = scan(main);
    const point = insertionPointFor(again!)!;
    expect(existingHostFor(again!, point)).toBe(main.querySelector('crm-companion-number'));
    expect(isStillThere(again!)).toBe(true);
    (main.querySelector('p')!.firstChild as Text).data = '650-555-0199';
    expect(isStillThere(again!)).toBe(false);
  });
});
