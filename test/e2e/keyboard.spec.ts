/**
 * The buttons and their menu by keyboard alone, in Chromium through the built extension: the
 * buttons are in the page's tab order, Enter or Space opens a named menu, arrows and letters
 * move, Escape closes it (focus back on the button), Tab leaves it, and an action chosen with
 * the keyboard works (Copy number, Log a call).
 */
import type { Page } from '@playwright/test';
import { contactAt } from '../../sandbox/demo/data.ts';
import { HOST_TAG, setDefaultCountry, waitUntilSettled } from './detection-support.ts';
import { expect, test } from './fixtures.ts';

/** What has focus: a number's button (by its number) or a page element (by its text). */
async function focused(page: Page): Promise<string> {
  return page.evaluate((tag) => {
    let element = document.activeElement;
    if (element?.tagName === tag.toUpperCase()) {
      const inside = element.shadowRoot?.activeElement;
      const what = inside?.getAttribute('role') === 'menuitem' ? `item:${inside.textContent}` : inside?.tagName.toLowerCase();
      return `${what}@${element.getAttribute('data-e164')}`;
    }
    element ??= document.body;
    return `${element.tagName.toLowerCase()}:${(element.textContent || element.getAttribute('id') || '').trim().slice(0, 60)}`;
  }, HOST_TAG);
}

test('the buttons are in page order, between the page’s own links and fields', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);
  await waitUntilSettled(extension, page, sandbox.url);

  const order: string[] = [];
  for (let i = 0; i < 11; i += 1) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  expect(order).toEqual([
    'a:Contacts',
    'a:Pipeline',
    'a:Help',
    'button@+16505550100',
    'button@+16505550100;ext=45',
    'a:Call direct line',
    'button@+14155552671',
    `a:${contactAt(0).email}`,
    'textarea:Call back on 650-555-0199 after the demo.',
    'input:alt',
    'button@+14155550100',
  ]);
  // Backwards too.
  await page.keyboard.press('Shift+Tab');
  expect(await focused(page)).toBe('input:alt');
});

test('Enter and Space open a named menu; arrows, letters, Escape and Tab', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);
  await waitUntilSettled(extension, page, sandbox.url);

  const mobile = page.getByRole('button', { name: 'Call actions for (650) 555-0100' });
  await mobile.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Actions for (650) 555-0100' });
  await expect(menu).toBeVisible();
  await expect(mobile).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Add to campaign…',
    'Click-to-call via Multisender',
    'Log a call',
    'Copy number',
    'Not a phone number',
  ]);
  expect(await focused(page)).toBe('item:Add to campaign…@+16505550100');
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('item:Click-to-call via Multisender@+16505550100');
  await page.keyboard.press('End');
  expect(await focused(page)).toBe('item:Not a phone number@+16505550100');
  await page.keyboard.press('ArrowDown');
  expect(await focused(page)).toBe('item:Add to campaign…@+16505550100');
  await page.keyboard.press('l');
  expect(await focused(page)).toBe('item:Log a call@+16505550100');

  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(mobile).toHaveAttribute('aria-expanded', 'false');
  expect(await focused(page)).toBe('button@+16505550100');

  await page.keyboard.press(' ');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(menu).toHaveCount(0);
  expect(await focused(page)).toBe('button@+16505550100');

  // The next Tab goes on through the page.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('button@+16505550100;ext=45');
});

test('Copy number and Log a call by keyboard', async ({ context, extension, sandbox }) => {
  await setDefaultCountry(extension, 'US');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);
  await waitUntilSettled(extension, page, sandbox.url);
  // The clipboard belongs to the focused page.
  await page.bringToFront();

  const office = page.getByRole('button', { name: 'Call actions for +1 (650) 555-0100 ext. 45' });
  await office.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('c');
  await page.keyboard.press('c');
  expect(await focused(page)).toBe('item:Copy number@+16505550100;ext=45');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveText('Copied +16505550100 ext. 45.');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('+16505550100 ext. 45');
  // Escape goes back to the menu, then closes it.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu', { name: 'Actions for +1 (650) 555-0100 ext. 45' })).toBeVisible();
  await page.keyboard.press('Escape');
  expect(await focused(page)).toBe('button@+16505550100;ext=45');

  await page.keyboard.press('Enter');
  await page.keyboard.press('l');
  await page.keyboard.press('Enter');
  // The form opens (the toolbar popup, or a window where the browser refuses the popup).
  await expect(page.getByRole('status').filter({ hasText: 'with this number' })).toHaveText(
    /^Log a call (is open in the toolbar popup|opened in a new window), with this number\.$/,
  );
  const worker = await extension.worker();
  const last = await worker.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('crm-call-companion');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get('lastNumber');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
      }),
  );
  expect(last).toMatchObject({
    action: 'log-call',
    e164: '+16505550100',
    extension: '45',
    details: {
      full_name: 'Ada Abbott',
      first_name: 'Ada',
      last_name: 'Abbott',
      company: contactAt(0).company,
      email: contactAt(0).email,
    },
  });
  // The Log a call form is prefilled with that number.
  const popup = await extension.openPopup(await extension.tabIdOf(page));
  await expect(popup.getByLabel('Phone number')).toHaveValue(/650.*555.*0100.*45/);
});
