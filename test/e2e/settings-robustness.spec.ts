/**
 * Settings are robust (issue 7), in the options page: a corrupted value in storage.local is
 * reset to its default and the page says which settings were reset; an oversized or malformed
 * import file is refused with a sentence, and the stored settings stay exactly as they were.
 */
import { expect, test } from './fixtures.ts';

test('corrupted settings are reset and named; bad import files are refused and change nothing', async ({ extension }) => {
  const worker = await extension.worker();
  await worker.evaluate(() =>
    chrome.storage.local.set({
      settings: { defaultCountry: '<img src=x onerror=alert(1)>', upcall: { baseUrl: 'javascript:alert(1)' }, callingHours: 7, crm: 'x' },
    }),
  );
  const options = await extension.openOptions();
  const notice = options.getByRole('alert').filter({ hasText: 'Some saved settings were invalid and have been reset to their defaults' });
  await expect(notice).toBeVisible();
  for (const field of ['defaultCountry', 'upcall.baseUrl', 'callingHours', 'crm']) await expect(notice).toContainText(`${field}:`);
  await expect(options.getByLabel('Upcall base URL')).toHaveValue('https://api.upcall.com/api/v1');
  await expect(options.getByLabel('Default country')).toHaveValue('US');

  const stored = () => worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get('settings')));
  const before = await stored();
  const status = options.locator('#transfer-title').locator('xpath=ancestor::section[1]').getByRole('status');
  const importFile = (name: string, text: string) =>
    options.locator('#import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

  await importFile('huge.json', JSON.stringify({ format: 'crm-call-companion/settings', settings: { padding: 'x'.repeat(200_000) } }));
  await expect(status).toHaveText(/^That file is too large \(\d+ KB\) to be a settings export; nothing was changed\.$/);
  await importFile('broken.json', '{"format": "crm-call-companion/settings", "settings": {');
  await expect(status).toHaveText('This file is not valid JSON, so it is not a settings export.');
  await importFile('page.html', '<!doctype html><script>alert(1)</script>');
  await expect(status).toHaveText('This file is not valid JSON, so it is not a settings export.');
  await importFile('bad.json', JSON.stringify({ format: 'crm-call-companion/settings', settings: { upcall: { baseUrl: 'http://evil.example' } } }));
  await expect(status).toContainText('The file has 1 invalid value; nothing was changed.');
  expect(await stored()).toBe(before);
});
