/**
 * The action menu view (WAI-ARIA menu pattern): role=menu named after the number, items with
 * role=menuitem, one tab stop; arrows, Home and End move, a letter jumps to the next item that
 * starts with it, Enter or Space chooses.
 */
import type { PanelView } from './panel.ts';
import { fromUser } from './user-event.ts';

export interface MenuEntry {
  id: string;
  label: string;
  /** Drawn apart and quieter (e.g. "Not a phone number"). */
  secondary?: boolean;
}

export interface MenuViewOptions<E extends MenuEntry> {
  /** The menu's accessible name, e.g. "Actions for (650) 555-0100". */
  label: string;
  /** Shown above the items. */
  title: string;
  entries: readonly E[];
  /** Runs inside the click handler, so actions keep the user's gesture (clipboard). */
  onChoose: (entry: E) => void;
}

export function createMenuView<E extends MenuEntry>(doc: Document, options: MenuViewOptions<E>): PanelView {
  const element = doc.createElement('div');
  const title = doc.createElement('p');
  title.className = 'title';
  title.textContent = options.title;
  title.setAttribute('aria-hidden', 'true');
  const menu = doc.createElement('div');
  menu.className = 'menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', options.label);
  menu.setAttribute('aria-orientation', 'vertical');

  const items: HTMLButtonElement[] = [];
  for (const entry of options.entries) {
    if (entry.secondary && items.length > 0) {
      const separator = doc.createElement('div');
      separator.className = 'separator';
      separator.setAttribute('role', 'separator');
      menu.append(separator);
    }
    const item = doc.createElement('button');
    item.type = 'button';
    item.className = entry.secondary ? 'item quiet' : 'item';
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.dataset.action = entry.id;
    item.textContent = entry.label;
    item.addEventListener('click', (event) => {
      event.preventDefault();
      if (!fromUser(event)) return;
      options.onChoose(entry);
    });
    items.push(item);
    menu.append(item);
  }

  const focusItem = (index: number) => {
    const count = items.length;
    const target = items[((index % count) + count) % count];
    if (!target) return;
    for (const item of items) item.tabIndex = item === target ? 0 : -1;
    target.focus();
  };
  const currentIndex = () => items.findIndex((item) => item === (element.getRootNode() as ShadowRoot).activeElement);

  menu.addEventListener('keydown', (event) => {
    const index = currentIndex();
    switch (event.key) {
      case 'ArrowDown':
        focusItem(index + 1);
        break;
      case 'ArrowUp':
        focusItem(index < 0 ? -1 : index - 1);
        break;
      case 'Home':
        focusItem(0);
        break;
      case 'End':
        focusItem(items.length - 1);
        break;
      default: {
        if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey || event.key === ' ') return;
        const letter = event.key.toLowerCase();
        for (let step = 1; step <= items.length; step += 1) {
          const candidate = (index + step) % items.length;
          if (items[candidate]!.textContent?.toLowerCase().startsWith(letter)) {
            focusItem(candidate);
            break;
          }
        }
      }
    }
    if (event.key !== 'Tab' && event.key !== 'Escape' && event.key !== 'Enter' && event.key !== ' ') event.preventDefault();
  });

  element.append(title, menu);
  return {
    element,
    focus: () => focusItem(Math.max(0, currentIndex())),
  };
}
