/**
 * Reading a page as blocks of text without touching it. A block is the text of one line of
 * flow: inline elements are joined (so `<span>+1</span> <span>(650) 555-0100</span>` reads as
 * one number), anything else ends the block (table cells, list items, cards never run into each
 * other). The walk is a generator so the scanner can pause it between any two nodes.
 */
import { kindOf } from './page-rules.ts';

export interface TextBlock {
  /** The joined text; may contain virtual spaces that belong to no node. */
  text: string;
  nodes: Text[];
  /** Where each node's data starts in `text`. */
  starts: number[];
}

export type WalkItem =
  | { kind: 'block'; block: TextBlock }
  | { kind: 'tel'; link: HTMLAnchorElement }
  /** An open shadow root met on the way; its text is walked separately. */
  | { kind: 'shadow'; root: ShadowRoot }
  /** Nothing found yet; a chance for the caller to pause (and see how far the walk got). */
  | { kind: 'tick'; node: Node };

export interface WalkOptions {
  /** Cheap filter: blocks it refuses are never yielded (most blocks of a CRM page). */
  accept?: (text: string) => boolean;
  /** How many nodes to visit between ticks. */
  tickEvery?: number;
  /** Start at this node (inside `root`) instead of at the beginning, and walk on to the end. */
  from?: Node;
}

const LETTER = /\p{L}/u;

function isDigitChar(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/**
 * Where two inline elements meet with no space ("Mobile</b><span>6505550100"), a word and a
 * number would be glued and libphonenumber would refuse the number; a virtual space keeps them
 * apart without changing the page.
 */
function needsVirtualSpace(before: string, after: string): boolean {
  return (LETTER.test(before) && (isDigitChar(after) || after === '+' || after === '(')) || (isDigitChar(before) && LETTER.test(after));
}

class BlockBuilder {
  text = '';
  nodes: Text[] = [];
  starts: number[] = [];
  private boundary = false;

  add(node: Text): void {
    const data = node.data;
    if (data.length === 0) return;
    if (this.boundary && this.text.length > 0 && needsVirtualSpace(this.text[this.text.length - 1]!, data[0]!)) {
      this.text += ' ';
    }
    this.boundary = false;
    this.starts.push(this.text.length);
    this.nodes.push(node);
    this.text += data;
  }

  markElementBoundary(): void {
    this.boundary = true;
  }

  take(accept: ((text: string) => boolean) | undefined): TextBlock | undefined {
    if (this.nodes.length === 0) return undefined;
    const block = { text: this.text, nodes: this.nodes, starts: this.starts };
    this.text = '';
    this.nodes = [];
    this.starts = [];
    this.boundary = false;
    return !accept || accept(block.text) ? block : undefined;
  }
}

/**
 * Walks `root`'s subtree in document order (not `root` itself: callers make sure it is not
 * excluded), yielding its text blocks, its tel: links and the open shadow roots inside it.
 */
export function* walkText(root: Node, options: WalkOptions = {}): Generator<WalkItem, void, undefined> {
  const { accept, tickEvery = 400 } = options;
  const builder = new BlockBuilder();
  let sinceTick = 0;
  let node: Node | null = options.from ?? root.firstChild;

  outer: while (node) {
    sinceTick += 1;
    if (sinceTick >= tickEvery) {
      sinceTick = 0;
      yield { kind: 'tick', node };
    }
    let descend = false;
    if (node.nodeType === 3) {
      builder.add(node as Text);
    } else if (node.nodeType === 1) {
      const element = node as Element;
      const kind = kindOf(element);
      if (kind === 'inline') {
        builder.markElementBoundary();
        descend = true;
      } else {
        const block = builder.take(accept);
        if (block) yield { kind: 'block', block };
        if (kind === 'block') descend = true;
        else if (kind === 'tel') yield { kind: 'tel', link: element as HTMLAnchorElement };
      }
      if (kind !== 'own' && kind !== 'excluded' && element.shadowRoot) yield { kind: 'shadow', root: element.shadowRoot };
    }

    if (descend && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    // Leave every element whose last child we just finished.
    while (!node.nextSibling) {
      node = node.parentNode;
      if (!node || node === root) break outer;
      if (kindOf(node as Element) === 'inline') builder.markElementBoundary();
      else {
        const block = builder.take(accept);
        if (block) yield { kind: 'block', block };
      }
    }
    node = node.nextSibling;
  }
  const last = builder.take(accept);
  if (last) yield { kind: 'block', block: last };
}

/** The node and offset of a text position (end positions resolve to the end of a node). */
export function positionAt(block: TextBlock, index: number, isEnd: boolean): { node: Text; offset: number } {
  // Binary search for the last node starting at or before the position.
  let lo = 0;
  let hi = block.starts.length - 1;
  const target = isEnd ? index - 1 : index;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.starts[mid]! <= target) lo = mid;
    else hi = mid - 1;
  }
  const node = block.nodes[lo]!;
  const offset = Math.max(0, Math.min(node.data.length, index - block.starts[lo]!));
  return { node, offset };
}
