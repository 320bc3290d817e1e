// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Detector, type DetectorOptions } from '../../../lib/content/detector.ts';
import type { IdleQueue, Slice } from '../../../lib/content/idle.ts';
import type { sendFromContent } from '../../../lib/content/messages.ts';

/** Idle slices run when the test says so. */
function manualIdle(): IdleQueue & { flush(): void } {
  let queue: Slice[] = [];
  return {
    schedule: (slice) => void queue.push(slice),
    cancel: () => void (queue = []),
    get pending() {
      return queue.length;
    },
    flush() {
      for (let i = 0; i < 1000 && queue.length > 0; i += 1) queue.shift()!(() => false);
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

let idle: ReturnType<typeof manualIdle>;
let sent: { type: string; payload: unknown }[];
let detector: Detector;

function start(options: Partial<DetectorOptions> = {}): Detector {
  const send = (async (type: string, payload: unknown) => {
    sent.push({ type, payload });
    return { ok: true, value: { ok: true } };
  }) as unknown as typeof sendFromContent;
  detector = new Detector({
    doc: document,
    config: { defaultCountry: 'US', ignored: [] },
    send,
    idle,
    isVisible: (el) => !el.closest('.hidden'),
    hugePageElements: 1e9,
    ...options,
  });
  detector.start();
  idle.flush();
  return detector;
}

const decorated = () => [...document.querySelectorAll('crm-companion-number')].map((h) => h.getAttribute('data-e164'));

beforeEach(() => {
  document.body.innerHTML = `<main><h1 class="contact-name">Ada Abbott</h1>
    <table><thead><tr><th>Name</th><th>Phone</th></tr></thead>
    <tbody><tr><td>Ada Abbott</td><td id="a">(650) 555-0100</td></tr><tr><td>Ben Abbott</td><td id="b">Mobile 415-555-0100 x12</td></tr></tbody></table>
    <p class="hidden" id="h">(212) 555-0147</p><textarea>650-555-0199</textarea></main>`;
  idle = manualIdle();
  sent = [];
});

afterEach(() => {
  detector?.stop();
});

describe('Detector', () => {
  it('decorates every visible number in one batch and leaves the text as it was', () => {
    const text = document.body.textContent;
    start();
    expect(decorated()).toEqual(['+16505550100', '+14155550100;ext=12']);
    expect(document.body.textContent).toBe(text);
    expect(detector.isSettled()).toBe(true);
  });

  it('decorates appended rows in the same task, and ignores its own insertions', async () => {
    start();
    const row = document.createElement('tr');
    row.innerHTML = '<td>Cy Abbott</td><td>(312) 555-0110</td>';
    document.querySelector('tbody')!.append(row);
    await tick();
    expect(decorated()).toEqual(['+16505550100', '+14155550100;ext=12', '+13125550110']);
    expect(idle.pending).toBe(0);
    expect(detector.isSettled()).toBe(true);
  });

  it('follows edited text: the old button goes, the new number gets one', async () => {
    start();
    document.querySelector('#a')!.firstChild!.textContent = '(650) 555-0111';
    await tick();
    expect(decorated()).toEqual(['+16505550111', '+14155550100;ext=12']);
    document.querySelector('#b')!.textContent = 'no phone';
    await tick();
    expect(decorated()).toEqual(['+16505550111']);
  });

  it('survives a single-page app replacing the whole view', async () => {
    start();
    const main = document.querySelector('main')!;
    main.replaceChildren();
    await tick();
    expect(decorated()).toEqual([]);
    const card = document.createElement('div');
    card.className = 'card';
    card.innerHTML = '<b>Cy Abbott</b><div>+44 20 7946 0018</div>';
    main.append(card);
    await tick();
    expect(decorated()).toEqual(['+442079460018']);
  });

  it('decorates a hidden number once it is shown', async () => {
    start();
    document.querySelector('#h')!.classList.remove('hidden');
    await tick();
    idle.flush();
    expect(decorated()).toContain('+12125550147');
  });

  it('never decorates inside an editor, even when the page types into it', async () => {
    start();
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    document.querySelector('main')!.append(editor);
    await tick();
    editor.textContent = 'Call (650) 555-0177';
    await tick();
    idle.flush();
    expect(decorated()).not.toContain('+16505550177');
  });

  it('stops and puts the page back exactly as it was', async () => {
    const before = document.body.innerHTML;
    start();
    document.querySelector('#b')!.firstChild!.textContent = 'Mobile 415-555-0100 x12 (after 2pm)';
    await tick();
    const during = document.body.innerHTML;
    expect(during).not.toBe(before);
    detector.stop();
    expect(decorated()).toEqual([]);
    expect(document.body.innerHTML).toBe(before.replace('x12</td>', 'x12 (after 2pm)</td>'));
    // No more reactions once stopped.
    document.querySelector('#a')!.textContent = '(650) 555-0122';
    await tick();
    idle.flush();
    expect(decorated()).toEqual([]);
  });

  it('"Not a phone number" removes it everywhere on the page and remembers it for the site', async () => {
    document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p id="again">Again: 650.555.0100</p>');
    start();
    expect(decorated().filter((n) => n === '+16505550100')).toHaveLength(2);
    await detector.ignore({ e164: '+16505550100' }, '(650) 555-0100');
    expect(sent).toEqual([{ type: 'number/ignore', payload: { e164: '+16505550100' } }]);
    expect(decorated()).toEqual(['+14155550100;ext=12']);
    const row = document.createElement('p');
    row.textContent = '+1 650 555 0100';
    document.body.append(row);
    await tick();
    expect(decorated()).toEqual(['+14155550100;ext=12']);
  });

  it('starts with the site’s ignored numbers left alone', () => {
    start({ config: { defaultCountry: 'US', ignored: ['+16505550100'] } });
    expect(decorated()).toEqual(['+14155550100;ext=12']);
  });

  it('lists the numbers it decorated, in page order', () => {
    start();
    expect(detector.numbers()).toEqual([
      { e164: '+16505550100', label: '(650) 555-0100' },
      { e164: '+14155550100', extension: '12', label: '415-555-0100 x12' },
    ]);
  });

  it('keeps scanning a big change in idle slices when it does not fit the task', async () => {
    let clock = 0;
    start({ now: () => (clock += 5), syncBudgetMs: 10 });
    const body = document.querySelector('tbody')!;
    for (let i = 0; i < 20; i += 1) {
      const row = document.createElement('tr');
      row.innerHTML = `<td>Row ${i}</td><td>(650) 555-${String(200 + i).padStart(4, '0')}</td>`;
      body.append(row);
    }
    await tick();
    expect(detector.isSettled()).toBe(false);
    expect(idle.pending).toBeGreaterThan(0);
    idle.flush();
    expect(decorated()).toHaveLength(22);
    expect(detector.isSettled()).toBe(true);
  });

  it('reports its phases as User Timing marks when asked to', () => {
    const mark = vi.fn();
    start({ mark });
    expect(mark.mock.calls.map((c) => c[0])).toEqual(['crm-companion:scanned', 'crm-companion:committed']);
  });
});

describe('free-form text (issue 12)', () => {
  it('decorates two numbers in one text node with text after both', () => {
    document.body.innerHTML = '<ul><li id="n">Asked us to use 415.555.0103 in case 1-617-555-0121 is busy.</li></ul>';
    start();
    expect(decorated()).toEqual(['+14155550103', '+16175550121']);
    expect(document.querySelector('#n')!.textContent).toBe('Asked us to use 415.555.0103 in case 1-617-555-0121 is busy.');
  });
});
