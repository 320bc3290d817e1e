/**
 * What is on screen: where in the document the visible content starts, and where a number is
 * drawn. Only reads layout, which is clean after the page's own load, so it costs no relayout.
 */
import { isInsideExcluded, isOwnElement } from './page-rules.ts';
import type { FoundNumber } from './scanner.ts';

const SAMPLE_COLUMNS = [0.15, 0.4, 0.65, 0.9];
const SAMPLE_ROWS = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9];

function isPinned(element: Element, win: Window): boolean {
  // Sticky table headers and fixed bars show at the top whatever the scroll position; starting
  // the walk there would read everything above the screen first.
  let current: Element | null = element;
  for (let depth = 0; current && depth < 6; depth += 1, current = current.parentElement) {
    const position = win.getComputedStyle(current).position;
    if (position === 'fixed' || position === 'sticky') return true;
  }
  return false;
}

/** The earliest element (in document order) seen on screen, ignoring pinned bars; or none. */
export function firstVisibleElement(doc: Document): Element | undefined {
  const win = doc.defaultView;
  if (!win || typeof doc.elementFromPoint !== 'function') return undefined;
  let first: Element | undefined;
  for (const fy of SAMPLE_ROWS) {
    for (const fx of SAMPLE_COLUMNS) {
      const element = doc.elementFromPoint(win.innerWidth * fx, win.innerHeight * fy);
      if (!element || element === doc.documentElement || element === doc.body || isOwnElement(element)) continue;
      if (isPinned(element, win) || isInsideExcluded(element)) continue;
      if (!first || element.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) first = element;
    }
  }
  return first && earliestVisibleFrom(first, doc.body);
}

function isAboveScreen(element: Element): boolean {
  const rect = element.getBoundingClientRect();
  return rect.bottom <= 0 && (rect.width > 0 || rect.height > 0);
}

/**
 * Sample points can miss the rows between them and the top of the screen: step back over
 * earlier siblings still on screen, and up to the parent when the whole of it starts on screen
 * (cell, row, table…), to the earliest element on screen.
 */
function earliestVisibleFrom(element: Element, body: Element | null): Element {
  let current = element;
  for (let depth = 0; depth < 16; depth += 1) {
    let previous = current.previousElementSibling;
    for (let steps = 0; previous && steps < 500; steps += 1) {
      if (isAboveScreen(previous)) return current;
      current = previous;
      previous = previous.previousElementSibling;
    }
    const parent = current.parentElement;
    if (!parent || parent === body || current === body || parent.getBoundingClientRect().top < 0) return current;
    current = parent;
  }
  return current;
}

/** The boxes a number is drawn in (one per line it wraps over). */
export function rectsOf(found: FoundNumber): DOMRect[] {
  if (found.kind === 'tel') return [...found.link.getClientRects()];
  const range = found.end.node.ownerDocument.createRange();
  range.setStart(found.start.node, found.start.offset);
  range.setEnd(found.end.node, found.end.offset);
  return [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
}

export type ScreenPlace = 'above' | 'on' | 'below';

export function placeOnScreen(rects: DOMRect[], win: Window): ScreenPlace {
  const last = rects[rects.length - 1];
  if (!last) return 'above';
  if (last.top >= win.innerHeight) return 'below';
  if (last.bottom <= 0) return 'above';
  return 'on';
}
