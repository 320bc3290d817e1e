/**
 * From a batch of MutationRecords to the few subtrees worth scanning again: added rows and
 * cards themselves, the block around changed text, nothing for our own buttons. Nested changes
 * collapse into their outermost dirty subtree.
 */
import { blockContainerOf, isOwnElement, kindOf, shadowHostOf } from './page-rules.ts';

export const OBSERVED_ATTRIBUTES = ['class', 'style', 'hidden', 'open', 'href', 'contenteditable'];

export const OBSERVE_OPTIONS: MutationObserverInit = {
  childList: true,
  subtree: true,
  characterData: true,
  attributes: true,
  attributeFilter: OBSERVED_ATTRIBUTES,
};

export interface MutationSummary {
  /** Subtrees to scan again (block containers). */
  roots: Set<Node>;
  /** Some visibility may have changed (class, style, hidden, open). */
  visibilityChanged: boolean;
  /** Nodes were removed: hosts may have left with them. */
  removed: boolean;
}

function isOwn(node: Node): boolean {
  return node.nodeType === 1 && isOwnElement(node as Element);
}

/** Adds the dirty subtrees of `records` to `summary`. */
export function summarize(records: readonly MutationRecord[], summary: MutationSummary): MutationSummary {
  for (const record of records) {
    const target = record.target;
    if (isOwn(target)) continue;
    if (record.type === 'characterData') {
      summary.roots.add(blockContainerOf(target));
    } else if (record.type === 'attributes') {
      if (record.attributeName === 'href' || record.attributeName === 'contenteditable') {
        summary.roots.add(blockContainerOf(target));
      } else {
        summary.visibilityChanged = true;
        if (record.attributeName === 'hidden') summary.roots.add(blockContainerOf(target));
      }
    } else {
      for (const node of record.addedNodes) {
        if (isOwn(node)) continue;
        const standsAlone = node.nodeType === 1 && kindOf(node as Element) === 'block';
        summary.roots.add(standsAlone ? node : blockContainerOf(target));
      }
      for (const node of record.removedNodes) {
        summary.removed = true;
        if (isOwn(node)) continue;
        // A removed block takes its text with it; removed inline content changes its block.
        const wasBlock = node.nodeType === 1 && kindOf(node as Element) === 'block';
        if (!wasBlock) summary.roots.add(blockContainerOf(target));
      }
    }
  }
  return summary;
}

export function emptySummary(): MutationSummary {
  return { roots: new Set(), visibilityChanged: false, removed: false };
}

/** The connected roots not inside another root of the set. */
export function outermost(roots: Iterable<Node>): Node[] {
  const set = new Set(roots);
  const result: Node[] = [];
  for (const root of set) {
    if (!root.isConnected) continue;
    let inside = false;
    for (let up = root.parentNode ?? shadowHostOf(root); up; up = up.parentNode ?? shadowHostOf(up)) {
      if (set.has(up)) {
        inside = true;
        break;
      }
    }
    if (!inside) result.push(root);
  }
  return result;
}
