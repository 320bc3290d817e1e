// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { positionAt, walkText, type WalkItem } from '../../../lib/content/text-blocks.ts';

function items(root: Node, options: Parameters<typeof walkText>[1] = {}): WalkItem[] {
  return [...walkText(root, options)].filter((i) => i.kind !== 'tick');
}

function blocks(root: Node): string[] {
  return items(root).flatMap((i) => (i.kind === 'block' ? [i.block.text] : []));
}

function html(markup: string): HTMLElement {
  const div = document.createElement('div');
  // Test markup is a constant written here, not page text.
  div.innerHTML = markup;
  document.body.append(div);
  return div;
}

beforeEach(() => {
  document.body.replaceChildren();
});

describe('walkText', () => {
  it('joins inline elements into one block and splits at block boundaries', () => {
    const root = html('<p><span>+1</span> <span>(650) 555-0100</span></p><table><tr><td>Ada</td><td>650-555-0101</td></tr></table><div>a<br>b</div>');
    expect(blocks(root)).toEqual(['+1 (650) 555-0100', 'Ada', '650-555-0101', 'a', 'b']);
  });

  it('keeps a word and a number apart where two inline elements meet', () => {
    const root = html('<p><b>Mobile</b><span>6505550100</span> <i>call</i><b>2</b><i>x</i></p>');
    expect(blocks(root)).toEqual(['Mobile 6505550100 call 2 x']);
  });

  it('never reads fields, editors, code, scripts, SVG or hidden elements', () => {
    const root = html(
      '<p>a</p><textarea>b</textarea><input value="c"><select><option>d</option></select><div contenteditable>e</div>' +
        '<div contenteditable="false">f</div><div role="textbox">g</div><pre>h</pre><code>i</code><script>j</script><style>k{}</style>' +
        '<noscript>l</noscript><template>m</template><svg><text>n</text></svg><div hidden>o</div><button>p</button><p>q</p>',
    );
    expect(blocks(root)).toEqual(['a', 'f', 'q']);
  });

  it('yields tel: links apart and does not read their text', () => {
    const root = html('<p>Call <a href="tel:+16505550100">(650) 555-0100</a> now <a href="/x">link</a></p>');
    const found = items(root);
    expect(found.map((i) => (i.kind === 'block' ? i.block.text : i.kind))).toEqual(['Call ', 'tel', ' now link']);
  });

  it('yields open shadow roots for a separate walk', () => {
    const root = html('<div id="w"></div><p>after</p>');
    const shadow = root.querySelector('#w')!.attachShadow({ mode: 'open' });
    shadow.append('inside');
    const found = items(root);
    expect(found[0]).toEqual({ kind: 'shadow', root: shadow });
    expect(blocks(shadow)).toEqual(['inside']);
  });

  it('applies the cheap filter to whole blocks', () => {
    const root = html('<p>no digits</p><p>650-555-0100</p>');
    const found = items(root, { accept: (t) => /\d/.test(t) });
    expect(found.map((i) => (i.kind === 'block' ? i.block.text : i.kind))).toEqual(['650-555-0100']);
  });

  it('can start in the middle and walk on to the end', () => {
    const root = html('<p>one</p><div><p id="start">two</p><p>three</p></div><p>four</p>');
    expect(items(root, { from: root.querySelector('#start')! }).map((i) => (i.kind === 'block' ? i.block.text : ''))).toEqual([
      'two',
      'three',
      'four',
    ]);
  });

  it('ticks so a caller can pause on long stretches without numbers', () => {
    const root = html('<p>x</p>'.repeat(50));
    const ticks = [...walkText(root, { accept: () => false, tickEvery: 10 })].filter((i) => i.kind === 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(9);
  });
});

describe('positionAt', () => {
  it('maps offsets of the joined text back to nodes, virtual spaces included', () => {
    const root = html('<p><b>Mobile</b><span>650</span>-555-0100</p>');
    const [item] = items(root);
    if (item?.kind !== 'block') throw new Error('no block');
    const { block } = item;
    expect(block.text).toBe('Mobile 650-555-0100');
    const start = positionAt(block, 7, false);
    expect([start.node.data, start.offset]).toEqual(['650', 0]);
    const end = positionAt(block, block.text.length, true);
    expect([end.node.data, end.offset]).toEqual(['-555-0100', 9]);
    const endOfFirst = positionAt(block, 10, true);
    expect([endOfFirst.node.data, endOfFirst.offset]).toEqual(['650', 3]);
  });
});
