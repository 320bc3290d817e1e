/**
 * What the content script treats as text, what it must never touch, and which elements are its
 * own. Tag names decide instead of computed styles: reading styles for every element of a
 * 10,000-row grid would cost more than the whole scan.
 */

/** The element that carries one number's button (`data-e164`), with the button in its shadow root. */
export const HOST_TAG = 'crm-companion-number';
/** Holds buttons positioned over the page while a huge page is still being scanned. */
export const LAYER_TAG = 'crm-companion-layer';
/** A visually hidden live region for announcements that outlive a button. */
export const ANNOUNCER_TAG = 'crm-companion-announcer';

const OWN_TAGS = new Set([HOST_TAG, LAYER_TAG, ANNOUNCER_TAG].map((t) => t.toUpperCase()));

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Elements that flow inside a line: a number may be split across them. */
const INLINE_TAGS = new Set([
  'A', 'ABBR', 'ACRONYM', 'B', 'BDI', 'BDO', 'BIG', 'CITE', 'DATA', 'DEL', 'DFN', 'EM', 'FONT', 'I',
  'INS', 'LABEL', 'MARK', 'NOBR', 'Q', 'S', 'SMALL', 'SPAN', 'STRIKE', 'STRONG', 'SUB', 'SUP', 'TIME',
  'TT', 'U', 'WBR',
]);

/**
 * Never decorated, never read: form fields, code, scripts and styles, embedded documents and
 * media. (SVG and MathML are caught by their namespace.)
 */
const EXCLUDED_TAGS = new Set([
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'OPTGROUP',
  'DATALIST', 'BUTTON', 'CODE', 'PRE', 'KBD', 'SAMP', 'VAR', 'XMP', 'LISTING', 'PLAINTEXT', 'IFRAME',
  'FRAME', 'OBJECT', 'EMBED', 'CANVAS', 'VIDEO', 'AUDIO', 'HEAD', 'TITLE', 'METER', 'PROGRESS', 'MATH',
]);

/** Widgets that are edited in place even without contenteditable. */
const EDITABLE_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);

export type ElementKind = 'inline' | 'block' | 'excluded' | 'own' | 'tel';

export function isOwnElement(element: Element): boolean {
  return OWN_TAGS.has(element.tagName);
}

function isEditable(element: Element): boolean {
  const editable = element.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  const role = element.getAttribute('role');
  return role !== null && EDITABLE_ROLES.has(role.toLowerCase());
}

/** How the walker treats an element (its subtree included). */
export function kindOf(element: Element): ElementKind {
  const tag = element.tagName;
  if (OWN_TAGS.has(tag)) return 'own';
  if (element.namespaceURI !== HTML_NS || EXCLUDED_TAGS.has(tag)) return 'excluded';
  if (element.hasAttribute('hidden') || isEditable(element)) return 'excluded';
  if (tag === 'A' && /^\s*tel:/i.test(element.getAttribute('href') ?? '')) return 'tel';
  return INLINE_TAGS.has(tag) ? 'inline' : 'block';
}

/**
 * Whether anything from `node` up to its document (across shadow boundaries) rules the node
 * out: a dirty subtree reported by the MutationObserver may sit inside an editor or a field.
 */
export function isInsideExcluded(node: Node): boolean {
  const doc = node.ownerDocument ?? (node as Document);
  if (doc.designMode === 'on') return true;
  let current: Node | null = node;
  while (current) {
    if (current.nodeType === 1) {
      const kind = kindOf(current as Element);
      if (kind === 'excluded' || kind === 'own') return true;
    }
    current = current.parentNode ?? shadowHostOf(current);
  }
  return false;
}

/** The host of a shadow root, else null. */
export function shadowHostOf(node: Node): Element | null {
  return node.nodeType === 11 ? ((node as ShadowRoot).host ?? null) : null;
}

/**
 * The nearest ancestor-or-self that is not inline (nor a tel: link, which lives in its line):
 * the node whose subtree holds whole blocks of text.
 */
export function blockContainerOf(node: Node): Node {
  let current: Node = node.nodeType === 1 ? node : (node.parentNode ?? node);
  while (current.nodeType === 1 && current.parentNode) {
    const kind = kindOf(current as Element);
    if (kind !== 'inline' && kind !== 'tel') break;
    current = current.parentNode;
  }
  return current;
}

export function isInlineTag(element: Element): boolean {
  return INLINE_TAGS.has(element.tagName);
}
