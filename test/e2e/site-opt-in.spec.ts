/**
 * Detection runs only where the user turned it on: the popup's "Detect numbers on this site"
 * switch takes the buttons off the open page at once and keeps them off after a reload; on again
 * decorates the open page; options lists the site with Remove; a permission the browser takes
 * back removes the buttons too.
 */
import { contactAt } from '../../sandbox/demo/data.ts';
import { decorationsOf, detectionRegistered, HOST_TAG, setDefaultCountry, waitUntilSettled } from './detection-support.ts';
import { expect, test } from './fixtures.ts';

const RECORD_NUMBERS = 4;

test('the popup switch turns detection off and on for the site', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);
  await waitUntilSettled(extension, page, sandbox.url);
  expect(await decorationsOf(page)).toHaveLength(RECORD_NUMBERS);
  const text = await page.locator('main').innerText();

  const popup = await extension.openPopup(await extension.tabIdOf(page));
  const toggle = popup.getByRole('switch', { name: 'Detect numbers on this site' });
  await expect(toggle).toBeChecked();
  // The switch follows the background's answer, so it is clicked and then read back.
  await toggle.click();
  const message = popup.getByRole('status').filter({ hasText: /detect/i });
  await expect(message).toHaveText('Detection is off on 127.0.0.1.');
  await expect(toggle).not.toBeChecked();

  // Gone from the open page at once, and the page's text is as it was.
  await expect(page.locator(HOST_TAG)).toHaveCount(0);
  expect(await page.locator('main').innerText()).toBe(text);

  // Still off after a reload: the content script is no longer registered for the site.
  await page.reload();
  await page.waitForLoadState('load');
  const worker = await extension.worker();
  const registered = await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []));
  expect(registered).not.toContain('http://127.0.0.1/*');
  // The page is given time to be decorated if it were going to be: its load, then an idle period.
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => setTimeout(resolve, 300))));
  await expect(page.locator(HOST_TAG)).toHaveCount(0);

  // On again: the open page is decorated without a reload.
  await popup.reload();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(message).toHaveText('Numbers on 127.0.0.1 are now detected.');
  await expect(toggle).toBeChecked();
  await expect(page.locator(HOST_TAG)).toHaveCount(RECORD_NUMBERS);
  await page.reload();
  await waitUntilSettled(extension, page, sandbox.url);
  expect(await decorationsOf(page)).toHaveLength(RECORD_NUMBERS);
});

test('options lists the site, and Remove takes the buttons away', async ({ context, extension, sandbox }) => {
  await detectionRegistered(extension);
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts?rows=30`);
  await waitUntilSettled(extension, page, sandbox.url);
  await expect(page.locator(HOST_TAG)).toHaveCount(30);

  const options = await extension.openOptions();
  const sites = options.getByRole('list', { name: 'Sites where numbers are detected' });
  await expect(sites).toContainText('127.0.0.1');
  await options.getByRole('button', { name: 'Remove 127.0.0.1' }).click();
  await expect(options.getByText('Detection is off on 127.0.0.1.')).toBeVisible();
  await expect(sites.getByText('127.0.0.1')).toHaveCount(0);
  await expect(page.locator(HOST_TAG)).toHaveCount(0);
});

test('a permission the browser takes back removes the buttons from open pages', async ({ context, extension, sandbox }) => {
  await detectionRegistered(extension);
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(1).id}`);
  await waitUntilSettled(extension, page, sandbox.url);
  await expect(page.locator(HOST_TAG)).toHaveCount(RECORD_NUMBERS);

  // The e2e build's loopback permission is required, so the browser cannot revoke it here; the
  // background's reaction to a revocation is called through the e2e-only hook instead.
  const worker = await extension.worker();
  await worker.evaluate(async () => {
    const hooks = (globalThis as unknown as { __crmCompanionE2e?: { handlePermissionsRemoved(o: string[]): Promise<void> } }).__crmCompanionE2e;
    if (!hooks) throw new Error('no e2e hooks in this build');
    await hooks.handlePermissionsRemoved(['http://127.0.0.1/*']);
  });
  await expect(page.locator(HOST_TAG)).toHaveCount(0);
});
