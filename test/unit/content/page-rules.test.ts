// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { blockContainerOf, HOST_TAG, isInsideExcluded, kindOf } from '../../../lib/content/page-rules.ts';

describe('kindOf', () => {
  it('sorts elements by how the walker treats them', () => {
    const make = (tag: string, attrs: Record<string, string> = {}) => {
      const el = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      return el;
    };
    expect(kindOf(make('span'))).toBe('inline');
    expect(kindOf(make('a', { href: '/contacts/1' }))).toBe('inline');
    expect(kindOf(make('a', { href: ' TEL:+16505550100' }))).toBe('tel');
    expect(kindOf(make('td'))).toBe('block');
    expect(kindOf(make('my-widget'))).toBe('block');
    expect(kindOf(make('textarea'))).toBe('excluded');
    expect(kindOf(make('div', { contenteditable: '' }))).toBe('excluded');
    expect(kindOf(make('div', { contenteditable: 'false' }))).toBe('block');
    expect(kindOf(make('div', { role: 'Combobox' }))).toBe('excluded');
    expect(kindOf(make('p', { hidden: '' }))).toBe('excluded');
    expect(kindOf(document.createElementNS('http://www.w3.org/2000/svg', 'text'))).toBe('excluded');
    expect(kindOf(make(HOST_TAG))).toBe('own');
  });
});

describe('isInsideExcluded and blockContainerOf', () => {
  it('looks up through ancestors and shadow hosts', () => {
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.innerHTML = '<p><b>650</b></p>';
    document.body.append(editor);
    expect(isInsideExcluded(editor.querySelector('b')!.firstChild!)).toBe(true);

    const host = document.createElement('section');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p><span>x</span></p>';
    expect(isInsideExcluded(shadow.querySelector('span')!)).toBe(false);
    host.setAttribute('contenteditable', '');
    expect(isInsideExcluded(shadow.querySelector('span')!)).toBe(true);

    expect(blockContainerOf(shadow.querySelector('span')!.firstChild!)).toBe(shadow.querySelector('p'));
    const cell = document.createElement('td');
    cell.innerHTML = '<a href="tel:1"><b>1</b></a>';
    document.body.append(cell);
    expect(blockContainerOf(cell.querySelector('b')!)).toBe(cell);
  });
});
