/**
 * Where a number's button goes in the page, and how it leaves again without a trace: right
 * after the number (after a tel: link, after the inline elements the number ends with), splitting
 * a text node only when the number ends inside it, and joining it back when the button goes.
 */
import { toDataE164 } from '../phone/e164.ts';
import { HOST_TAG, isInlineTag } from './page-rules.ts';
import type { FoundNumber } from './scanner.ts';

/** The text node a split made for a host (the tail after it): joined back when the host goes. */
const splits = new WeakMap<Element, Text>();

export interface InsertionPoint {
  parent: Node;
  /** Insert before this node (null: append). */
  before: Node | null;
  /** Text node to split at `splitAt` first (the number ends inside it). */
  split?: { node: Text; offset: number };
}

export function isHost(node: Node | null): node is HTMLElement {
  return node !== null && node.nodeType === 1 && (node as Element).tagName === HOST_TAG.toUpperCase();
}

/** Whether the page still shows what the scanner read. */
export function isStillThere(found: FoundNumber): boolean {
  if (found.kind === 'tel') return found.link.isConnected;
  const { node, offset } = found.end;
  // A button placed for a later number in the same node splits it: what is left is a prefix of
  // what was read, still holding this number ("call 415.555.0103 in case 617-555-0121 is busy").
  const same = node.data === found.endData || (node.data.length >= offset && found.endData.startsWith(node.data));
  return node.isConnected && same && found.start.node.isConnected;
}

/** Climbs out of inline elements the number ends with: `<span class="num">…0100</span>|`. */
function afterInlineAncestors(node: Node, stopAt: Node | null): Node {
  let current = node;
  while (!current.nextSibling) {
    const parent = current.parentNode;
    if (!parent || parent === stopAt || parent.nodeType !== 1 || !isInlineTag(parent as Element)) break;
    current = parent;
  }
  return current;
}

export function insertionPointFor(found: FoundNumber): InsertionPoint | undefined {
  if (found.kind === 'tel') {
    const link = found.link;
    if (!link.parentNode) return undefined;
    const after = afterInlineAncestors(link, null);
    return { parent: after.parentNode!, before: after.nextSibling };
  }
  const { node, offset } = found.end;
  if (!node.parentNode) return undefined;
  if (offset < node.data.length) {
    return { parent: node.parentNode, before: node.nextSibling, split: { node, offset } };
  }
  const after = afterInlineAncestors(node, null);
  return { parent: after.parentNode!, before: after.nextSibling };
}

/** The host already sitting where this number's button goes, if it shows the same number. */
export function existingHostFor(found: FoundNumber, point: InsertionPoint): HTMLElement | undefined {
  if (point.split) return undefined;
  const candidate = point.before;
  return isHost(candidate) && candidate.dataset.e164 === toDataE164(found.ref) ? candidate : undefined;
}

/** Puts `host` at `point`, splitting the text node first when needed. */
export function insertHost(host: HTMLElement, point: InsertionPoint): void {
  if (point.split) {
    const second = point.split.node.splitText(point.split.offset);
    second.parentNode!.insertBefore(host, second);
    splits.set(host, second);
    return;
  }
  point.parent.insertBefore(host, point.before);
}

/**
 * Takes a host out and joins the text node it split, when both halves are still side by side.
 * The head is whatever text precedes the host now: a later split may have cut it again.
 */
export function removeHost(host: HTMLElement): void {
  const tail = splits.get(host);
  const head = host.previousSibling;
  host.remove();
  if (!tail) return;
  splits.delete(host);
  if (head?.nodeType === 3 && head.nextSibling === tail) {
    (head as Text).appendData(tail.data);
    tail.remove();
  }
}
