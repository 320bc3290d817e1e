/**
 * Pages that change: a single-page app appending rows and swapping whole views, a grid that
 * grows, a huge grid whose on-screen numbers float until everything goes inline in one batch, a
 * number marked "Not a phone number" that stays ignored on the site, and the script never
 * reacting to its own insertions.
 */
import type { Page } from '@playwright/test';
import { contactAt } from '../../sandbox/demo/data.ts';
import { gridNumber } from '../../sandbox/demo/grid.ts';
import { decorationsOf, HOST_TAG, setDefaultCountry, waitUntilSettled } from './detection-support.ts';
import { expect, test, type ExtensionHelpers } from './fixtures.ts';

async function numbers(page: Page): Promise<string[]> {
  return (await decorationsOf(page)).map((d) => d.e164);
}

async function settledNumbers(extension: ExtensionHelpers, page: Page, origin: string): Promise<string[]> {
  await waitUntilSettled(extension, page, origin);
  return numbers(page);
}

test('a single-page app: appended rows, a swapped view and back', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/dynamic`);
  const tableNumbers = () =>
    page.$$eval('#deals tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[2]!.textContent ?? ''));

  expect(await settledNumbers(extension, page, sandbox.url)).toHaveLength(10);

  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.locator(`#deals ${HOST_TAG}`)).toHaveCount(30);
  expect(await tableNumbers()).toHaveLength(30);

  // Swap the whole view, as a router does: the table goes with its buttons, the cards get theirs.
  await page.getByRole('button', { name: 'Switch view' }).click();
  await expect(page.locator(`.deal-card ${HOST_TAG}`)).toHaveCount(6);
  expect(await settledNumbers(extension, page, sandbox.url)).toHaveLength(6);

  await page.getByRole('button', { name: 'Back to pipeline' }).click();
  await expect(page.locator(`#deals ${HOST_TAG}`)).toHaveCount(10);
  expect(await settledNumbers(extension, page, sandbox.url)).toHaveLength(10);

  // Rows added by the page's own script, many at once.
  await page.evaluate(() => (window as unknown as { demo: { addRows(n: number): void } }).demo.addRows(200));
  await expect(page.locator(`#deals ${HOST_TAG}`)).toHaveCount(210);
});

test('a growing grid: every appended row decorated, nothing else', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/grid?rows=1000`);
  expect(await settledNumbers(extension, page, sandbox.url)).toHaveLength(1000);
  for (let round = 1; round <= 3; round += 1) {
    await page.evaluate(() => (window as unknown as { grid: { appendRows(n: number): number } }).grid.appendRows(100));
    await expect(page.locator(`td.phone ${HOST_TAG}`)).toHaveCount(1000 + round * 100);
  }
  const found = await settledNumbers(extension, page, sandbox.url);
  expect(found.sort()).toEqual(Array.from({ length: 1300 }, (_, i) => gridNumber(i)).sort());
});

test('a huge grid: numbers on screen float at once, then all go inline; one in use waits for the user', async ({
  context,
  extension,
  sandbox,
}) => {
  test.setTimeout(180_000);
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/grid?rows=10000`);

  // The first numbers on screen get floating buttons long before the 10,000-row batch.
  const floating = page.locator(`crm-companion-layer ${HOST_TAG}`);
  await expect(floating.first()).toBeAttached({ timeout: 20_000 });
  const first = floating.first();
  const number = await first.getAttribute('data-e164');
  expect(number).toBe(gridNumber(0));
  await first.getByRole('button').click({ timeout: 5_000 });
  const menu = page.getByRole('menu', { name: 'Actions for (650) 555-0100' });
  await expect(menu).toBeVisible();

  // The batch puts every other number inline; the one whose menu is open stays where it is.
  await expect(page.locator(`td.phone ${HOST_TAG}`)).toHaveCount(9_999, { timeout: 60_000 });
  await expect(menu).toBeVisible();
  await expect(floating).toHaveCount(1);

  // Done with it: it goes inline too, next to its number.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.locator(`td.phone ${HOST_TAG}`)).toHaveCount(10_000);
  await expect(floating).toHaveCount(0);
  const firstCell = page.locator('#grid tbody tr').first().locator('td.phone');
  await expect(firstCell.locator(HOST_TAG)).toHaveAttribute('data-e164', gridNumber(0));
  const found = await settledNumbers(extension, page, sandbox.url);
  expect(found).toHaveLength(10_000);
  expect(new Set(found)).toEqual(new Set(Array.from({ length: 10_000 }, (_, i) => gridNumber(i))));
});

test('"Not a phone number" is ignored on the site from then on', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);
  expect(await settledNumbers(extension, page, sandbox.url)).toContain(contactAt(1).e164);

  const assistant = page.getByRole('button', { name: `Call actions for ${contactAt(1).phoneDisplay}` });
  await assistant.click();
  await page.getByRole('menuitem', { name: 'Not a phone number' }).click();
  await expect(page.locator(`${HOST_TAG}[data-e164="${contactAt(1).e164}"]`)).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'no longer marked' })).toHaveText(
    `${contactAt(1).phoneDisplay} is no longer marked as a phone number on this site.`,
  );
  expect(await numbers(page)).toHaveLength(3);

  // After a reload, and on another page of the same site, it stays undecorated.
  await page.reload();
  expect(await settledNumbers(extension, page, sandbox.url)).not.toContain(contactAt(1).e164);
  await page.goto(`${sandbox.url}/demo/contacts?rows=20`);
  const list = await settledNumbers(extension, page, sandbox.url);
  expect(list).toHaveLength(19);
  expect(list).not.toContain(contactAt(1).e164);
});

test('its own insertions never make it scan again', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts?rows=200`);
  await waitUntilSettled(extension, page, sandbox.url);
  // Count every DOM change from now on, in the page's own world.
  await page.evaluate(() => {
    const w = window as unknown as { changes: number };
    w.changes = 0;
    new MutationObserver((records) => (w.changes += records.length)).observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
  });
  // Several idle periods later, still settled and nothing touched.
  for (let i = 0; i < 3; i += 1) {
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
    await waitUntilSettled(extension, page, sandbox.url);
  }
  expect(await page.evaluate(() => (window as unknown as { changes: number }).changes)).toBe(0);
  expect(await numbers(page)).toHaveLength(200);
});
