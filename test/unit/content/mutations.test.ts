// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { emptySummary, outermost, summarize } from '../../../lib/content/mutations.ts';
import { HOST_TAG } from '../../../lib/content/page-rules.ts';

async function recordsOf(root: Node, change: () => void): Promise<MutationRecord[]> {
  const observer = new MutationObserver(() => undefined);
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  change();
  const records = observer.takeRecords();
  observer.disconnect();
  return records;
}

describe('summarize', () => {
  it('rescans added rows themselves and the block around changed text', async () => {
    const table = document.createElement('table');
    table.innerHTML = '<tbody><tr><td><span>650</span></td></tr></tbody>';
    document.body.append(table);
    const tbody = table.tBodies[0]!;
    const row = document.createElement('tr');
    const span = table.querySelector('span')!;
    const records = await recordsOf(table, () => {
      tbody.append(row);
      (span.firstChild as Text).data = '651';
      span.append(document.createElement('b'));
    });
    const summary = summarize(records, emptySummary());
    const cell = table.querySelector('td');
    expect([...summary.roots]).toEqual(expect.arrayContaining([row, cell]));
    expect(summary.roots.size).toBe(2);
  });

  it('ignores its own buttons and notes removals and visibility changes', async () => {
    const div = document.createElement('div');
    div.innerHTML = '<p>x</p>';
    document.body.append(div);
    const host = document.createElement(HOST_TAG);
    const records = await recordsOf(div, () => {
      div.querySelector('p')!.append(host);
      host.remove();
      div.className = 'open';
    });
    const summary = summarize(records, emptySummary());
    expect(summary.roots.size).toBe(0);
    expect(summary.removed).toBe(true);
    expect(summary.visibilityChanged).toBe(true);
  });
});

describe('outermost', () => {
  it('keeps only connected roots not inside another', () => {
    const outer = document.createElement('section');
    outer.innerHTML = '<div><p></p></div>';
    document.body.append(outer);
    const detached = document.createElement('div');
    expect(outermost([outer.querySelector('p')!, outer, detached, outer.querySelector('div')!])).toEqual([outer]);
  });
});
