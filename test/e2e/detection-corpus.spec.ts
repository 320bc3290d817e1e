/**
 * The labelled corpus (test/fixtures/detection/expected.json) loaded in Chromium through the
 * built extension, page by page with its default country: precision and recall of the buttons
 * against the expected numbers must each be at least 0.99, and no button may ever sit in an
 * editable field, code, a script, SVG text or a hidden element. Also: the page's text, layout and
 * selection are what they were without the extension.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from '../../sandbox/demo/corpus.ts';
import { decorationsOf, setDefaultCountry, waitUntilSettled } from './detection-support.ts';
import { expect, test } from './fixtures.ts';

interface CorpusPage {
  file: string;
  kind: string;
  defaultCountry: string;
  numbers: string[];
  nearMisses: string[];
}

const corpus = JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as { pages: CorpusPage[] };

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

test('the corpus is found with precision and recall of at least 0.99, never in editable fields', async ({
  context,
  extension,
  sandbox,
}) => {
  test.setTimeout(240_000);
  const page = await context.newPage();
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const lines: string[] = [];
  const mistakes: string[] = [];
  const inExcluded: string[] = [];

  for (const entry of corpus.pages) {
    await setDefaultCountry(extension, entry.defaultCountry);
    await page.goto(`${sandbox.url}/demo/corpus/${entry.file}`);
    await waitUntilSettled(extension, page, sandbox.url);
    const decorations = await decorationsOf(page);

    // The near-misses are really on the page (the labels match the corpus).
    const text = (await Promise.all(page.frames().map((f) => f.evaluate(() => document.body?.textContent ?? '').catch(() => '')))).join('\n');
    for (const miss of entry.nearMisses) expect(text, `${entry.file} should show "${miss}"`).toContain(miss);

    const expectedCounts = countBy(entry.numbers);
    const foundCounts = countBy(decorations.map((d) => d.e164));
    let tp = 0;
    for (const [number, count] of foundCounts) {
      const hit = Math.min(count, expectedCounts.get(number) ?? 0);
      tp += hit;
      if (count > hit) {
        const where = decorations.filter((d) => d.e164 === number).map((d) => d.context);
        mistakes.push(`${entry.file}: unexpected ${number} ×${count - hit} (${where.join(' | ')})`);
      }
    }
    for (const [number, count] of expectedCounts) {
      const missing = count - Math.min(count, foundCounts.get(number) ?? 0);
      if (missing > 0) mistakes.push(`${entry.file}: missed ${number}${missing > 1 ? ` ×${missing}` : ''}`);
    }
    const fp = decorations.length - tp;
    const fn = entry.numbers.length - tp;
    truePositives += tp;
    falsePositives += fp;
    falseNegatives += fn;
    lines.push(`${entry.file.padEnd(26)} ${entry.defaultCountry}  expected ${String(entry.numbers.length).padStart(3)}  found ${String(decorations.length).padStart(3)}  tp ${tp}  fp ${fp}  fn ${fn}`);
    for (const d of decorations) if (d.insideExcluded) inExcluded.push(`${entry.file}: ${d.e164} inside ${d.insideExcluded}`);
  }

  const precision = truePositives / (truePositives + falsePositives);
  const recall = truePositives / (truePositives + falseNegatives);
  console.log(
    [
      ...lines,
      `precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  (tp ${truePositives}, fp ${falsePositives}, fn ${falseNegatives})`,
      ...mistakes,
    ].join('\n'),
  );
  expect(inExcluded, 'buttons inside editable fields, code, scripts, SVG or hidden elements').toEqual([]);
  expect(precision, mistakes.join('\n')).toBeGreaterThanOrEqual(0.99);
  expect(recall, mistakes.join('\n')).toBeGreaterThanOrEqual(0.99);
});

test('the editable-fields page gets exactly its one displayed number', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/corpus/editable.html`);
  await waitUntilSettled(extension, page, sandbox.url);
  expect((await decorationsOf(page)).map((d) => d.e164)).toEqual(['+14155550177']);

  // Typing a number into a field or an editor never decorates it, even after the page changes.
  await page.getByLabel('Subject').fill('Call 415-555-0150 now');
  await page.locator('.notes').first().click();
  await page.keyboard.type(' or (415) 555-0151');
  await waitUntilSettled(extension, page, sandbox.url);
  expect((await decorationsOf(page)).map((d) => d.e164)).toEqual(['+14155550177']);

  // Opening the <details> shows its number, which then gets its button.
  await page.getByText('More').click();
  await expect.poll(async () => (await decorationsOf(page)).map((d) => d.e164)).toEqual(['+14155550177', '+14155550100']);
});

test('text, layout, selection and copy are what they were without the extension', async ({
  context,
  extension,
  sandbox,
}) => {
  await setDefaultCountry(extension, 'US');
  const url = `${sandbox.url}/demo/corpus/us-record.html`;

  // The same page without the extension: served from a host where detection is not enabled
  // (answered by the test itself from the sandbox's files).
  const bare = await context.newPage();
  await bare.route('http://corpus.invalid/**', async (route) => {
    const path = new URL(route.request().url()).pathname;
    const response = await fetch(`${sandbox.url}/demo/corpus${path}`);
    await route.fulfill({ status: response.status, contentType: response.headers.get('content-type') ?? 'text/html', body: await response.text() });
  });
  await bare.goto('http://corpus.invalid/us-record.html');

  const page = await context.newPage();
  await page.goto(url);
  await waitUntilSettled(extension, page, sandbox.url);
  expect((await decorationsOf(page)).length).toBeGreaterThan(5);

  const measure = (p: typeof page) =>
    p.evaluate(() => {
      const selection = getSelection()!;
      selection.selectAllChildren(document.querySelector('main')!);
      const selected = selection.toString();
      selection.removeAllRanges();
      // Where each dd's text starts and how tall each row of the details list is.
      const boxes = [...document.querySelectorAll('dd')].map((dd) => {
        const range = document.createRange();
        range.setStart(dd, 0);
        range.setEnd(dd, 0);
        const r = dd.getBoundingClientRect();
        return [Math.round(range.getBoundingClientRect().top), Math.round(r.height)];
      });
      return { text: document.querySelector('main')!.innerText, selected, boxes };
    });
  const withExtension = await measure(page);
  const without = await measure(bare);
  expect(withExtension.text).toBe(without.text);
  expect(withExtension.selected).toBe(without.selected);
  expect(withExtension.boxes).toEqual(without.boxes);
});

test('page CSS does not reach inside the button, and the button’s CSS does not reach the page', async ({
  context,
  extension,
  sandbox,
}) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/corpus/hostile-css.html`);
  await waitUntilSettled(extension, page, sandbox.url);

  const button = page.getByRole('button', { name: 'Call actions for (212) 555-0147' });
  await expect(button).toBeVisible();
  const looks = await page.evaluate(() => {
    const host = document.querySelector('crm-companion-number')!;
    const inner = host.shadowRoot!.querySelector('button')!;
    const hostStyle = getComputedStyle(host);
    const buttonStyle = getComputedStyle(inner);
    const pageSpan = getComputedStyle(document.querySelector('span.button')!);
    return {
      host: [hostStyle.display, hostStyle.visibility, hostStyle.letterSpacing, Math.round(host.getBoundingClientRect().width)],
      button: [buttonStyle.display, buttonStyle.backgroundColor, buttonStyle.textTransform],
      path: getComputedStyle(inner.querySelector('path')!).stroke,
      pageSpan: [pageSpan.color, pageSpan.borderTopColor],
      fontSize: parseFloat(getComputedStyle(host.parentElement!).fontSize),
    };
  });
  expect(looks.host.slice(0, 3)).toEqual(['inline-block', 'visible', 'normal']);
  // 1.3em of the page's text, not the theme's 300px.
  expect(looks.host[3]).toBe(Math.round(looks.fontSize * 1.3));
  expect(looks.button).toEqual(['flex', 'rgba(0, 0, 0, 0)', 'none']);
  expect(looks.path).toBe('rgb(62, 110, 168)');
  expect(looks.pageSpan).toEqual(['rgb(1, 2, 3)', 'rgb(4, 5, 6)']);

  await button.click();
  await expect(page.getByRole('menu', { name: 'Actions for (212) 555-0147' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Log a call' })).toBeVisible();
});
