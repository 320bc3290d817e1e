// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMenuView } from '../../../lib/content/action-menu.ts';
import { Detector } from '../../../lib/content/detector.ts';
import type { IdleQueue } from '../../../lib/content/idle.ts';
import type { sendFromContent } from '../../../lib/content/messages.ts';
import { Panel, type PanelView } from '../../../lib/content/panel.ts';

const syncIdle: IdleQueue = { schedule: (slice) => slice(() => false), cancel: () => undefined, pending: 0 };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let sent: { type: string; payload: unknown }[];
let detector: Detector;

beforeEach(() => {
  document.body.innerHTML = `<table><thead><tr><th>Name</th><th>Company</th><th>Phone</th></tr></thead>
    <tbody><tr><td>Ada Abbott</td><td>Globex</td><td>+1 (650) 555-0100 ext. 45</td></tr></tbody></table>`;
  sent = [];
  const send = (async (type: string, payload: unknown) => {
    sent.push({ type, payload });
    return { ok: true, value: type === 'number/intent' ? { ok: true, message: 'Noted.' } : { ok: true } };
  }) as unknown as typeof sendFromContent;
  detector = new Detector({
    doc: document,
    config: { defaultCountry: 'US', ignored: [] },
    send,
    idle: syncIdle,
    isVisible: () => true,
    hugePageElements: 1e9,
  });
  detector.start();
});

afterEach(() => detector.stop());

function host(): HTMLElement {
  return document.querySelector('crm-companion-number')!;
}
function button(): HTMLButtonElement {
  return host().shadowRoot!.querySelector('button')!;
}
function menu(): HTMLElement | null {
  return host().shadowRoot!.querySelector('[role="menu"]');
}
function active(): Element | null {
  return host().shadowRoot!.activeElement;
}
function key(target: Element, key: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
}

describe('the number button', () => {
  it('is a labelled menu button in an open shadow root, with no text of its own', () => {
    expect(host().shadowRoot).not.toBeNull();
    expect(button().getAttribute('aria-label')).toBe('Call actions for +1 (650) 555-0100 ext. 45');
    expect(button().getAttribute('aria-haspopup')).toBe('menu');
    expect(button().textContent).toBe('');
  });

  it('opens a named menu of the five actions, focused on the first', () => {
    button().click();
    expect(button().getAttribute('aria-expanded')).toBe('true');
    expect(menu()!.getAttribute('aria-label')).toBe('Actions for +1 (650) 555-0100 ext. 45');
    const items = [...menu()!.querySelectorAll('[role="menuitem"]')].map((i) => i.textContent);
    expect(items).toEqual(['Add to campaign…', 'Click-to-call via Multisender', 'Log a call', 'Copy number', 'Not a phone number']);
    expect(active()?.textContent).toBe('Add to campaign…');
  });

  it('moves with the arrow keys, Home, End and letters; Escape closes and returns to the button', () => {
    button().click();
    key(active()!, 'ArrowDown');
    expect(active()?.textContent).toBe('Click-to-call via Multisender');
    key(active()!, 'ArrowUp');
    key(active()!, 'ArrowUp');
    expect(active()?.textContent).toBe('Not a phone number');
    key(active()!, 'Home');
    expect(active()?.textContent).toBe('Add to campaign…');
    key(active()!, 'End');
    expect(active()?.textContent).toBe('Not a phone number');
    key(active()!, 'l');
    expect(active()?.textContent).toBe('Log a call');
    key(active()!, 'Escape');
    expect(menu()).toBeNull();
    expect(active()).toBe(button());
    expect(button().getAttribute('aria-expanded')).toBe('false');
  });

  it('sends an intent with the number, its extension and the contact details, and shows the answer', async () => {
    button().click();
    (menu()!.querySelector('[data-action="log-call"]') as HTMLElement).click();
    await tick();
    expect(sent).toEqual([
      {
        type: 'number/intent',
        payload: {
          action: 'log-call',
          e164: '+16505550100',
          extension: '45',
          details: { full_name: 'Ada Abbott', first_name: 'Ada', last_name: 'Abbott', company: 'Globex' },
        },
      },
    ]);
    const status = host().shadowRoot!.querySelector('[role="status"]')!;
    expect(status.textContent).toBe('Noted.');
    // Escape goes back one view, to the menu.
    key(active()!, 'Escape');
    expect(menu()).not.toBeNull();
  });

  it('copies the E.164 number inside the click', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    button().click();
    (menu()!.querySelector('[data-action="copy"]') as HTMLElement).click();
    expect(writeText).toHaveBeenCalledWith('+16505550100 ext. 45');
    await tick();
    expect(host().shadowRoot!.querySelector('[role="status"]')!.textContent).toBe('Copied +16505550100 ext. 45.');
  });

  it('"Not a phone number" takes the button away', async () => {
    button().click();
    (menu()!.querySelector('[data-action="not-a-number"]') as HTMLElement).click();
    await tick();
    expect(sent).toEqual([{ type: 'number/ignore', payload: { e164: '+16505550100' } }]);
    expect(document.querySelector('crm-companion-number')).toBeNull();
  });

  it('keeps its clicks and keys from the page', () => {
    const pageClick = vi.fn();
    const pageKey = vi.fn();
    document.body.addEventListener('click', pageClick);
    document.body.addEventListener('keydown', pageKey);
    button().click();
    key(active()!, 'ArrowDown');
    expect(pageClick).not.toHaveBeenCalled();
    expect(pageKey).not.toHaveBeenCalled();
  });
});

describe('Panel', () => {
  it('stacks views: push shows the new one, pop goes back, the last pop closes', () => {
    const anchor = document.createElement('button');
    const hostElement = document.createElement('div');
    document.body.append(hostElement);
    const root = hostElement.attachShadow({ mode: 'open' });
    root.append(anchor);
    const view = (name: string): PanelView => {
      const element = document.createElement('div');
      const control = document.createElement('button');
      control.textContent = name;
      element.append(control);
      return { element, focus: () => control.focus() };
    };
    const closed = vi.fn();
    const panel = new Panel(root, anchor, closed);
    panel.show(view('menu'));
    panel.push(view('picker'));
    expect(panel.container.textContent).toBe('picker');
    expect(root.activeElement?.textContent).toBe('picker');
    panel.pop();
    expect(panel.container.textContent).toBe('menu');
    panel.pop();
    expect(panel.isOpen).toBe(false);
    expect(closed).toHaveBeenCalledOnce();
    expect(root.activeElement).toBe(anchor);
  });

  it('lets a view handle Escape itself (a filter box clears before the view goes)', () => {
    const anchor = document.createElement('button');
    const hostElement = document.createElement('div');
    document.body.append(hostElement);
    const root = hostElement.attachShadow({ mode: 'open' });
    root.append(anchor);
    const panel = new Panel(root, anchor);
    let filter = 'abc';
    const menuView = createMenuView(document, { label: 'Actions', title: 'x', entries: [{ id: 'a', label: 'A' }], onChoose: () => undefined });
    const picker: PanelView = {
      element: document.createElement('input'),
      focus: () => (picker.element as HTMLInputElement).focus(),
      onEscape: () => (filter ? ((filter = ''), true) : false),
    };
    panel.show(menuView);
    panel.push(picker);
    key(picker.element, 'Escape');
    expect(filter).toBe('');
    expect(panel.current).toBe(picker);
    key(picker.element, 'Escape');
    expect(panel.current).toBe(menuView);
  });
});
