/**
 * The options page as a user meets it: every service configured by typing into its labelled
 * fields, Test connection answering in a sentence, a wrong token rejected in words.
 */
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../sandbox/credentials.ts';
import { expect, test } from './fixtures.ts';

test('configure every service in options and test each connection', async ({ extension, sandbox }) => {
  const page = await extension.openOptions();
  const base = sandbox.url;

  await page.getByLabel('CRM user ID').fill(SANDBOX_CREDENTIALS.crm.userId);
  await page.getByLabel('CRM API key').fill(SANDBOX_CREDENTIALS.crm.apiKey);
  await page.getByLabel('CRM base URL').fill(`${base}${SERVICE_PREFIXES.crm}`);

  await page.getByLabel('Upcall API token').fill(SANDBOX_CREDENTIALS.upcall.token);
  await page.getByLabel('Upcall base URL').fill(`${base}${SERVICE_PREFIXES.upcall}`);

  await page.getByLabel('SIP Caller API key').fill(SANDBOX_CREDENTIALS.sipcaller.apiKey);
  await page.getByLabel('SIP Caller account ID').fill(SANDBOX_CREDENTIALS.sipcaller.accountId);
  await page.getByLabel('SIP Caller base URL').fill(`${base}${SERVICE_PREFIXES.sipcaller}`);

  await page.getByLabel('Call-Em-All app key').fill(SANDBOX_CREDENTIALS.callemall.appKey);
  await page.getByLabel('Call-Em-All secret key').fill(SANDBOX_CREDENTIALS.callemall.secretKey);
  await page.getByLabel('Call-Em-All auth token').fill(SANDBOX_CREDENTIALS.callemall.authToken);
  await page.getByLabel('Call-Em-All base URL').fill(`${base}${SERVICE_PREFIXES.callemall}`);

  await page.getByLabel('Multisender access token').fill(SANDBOX_CREDENTIALS.multisender.token);
  await page.getByLabel('Multisender base URL').fill(`${base}${SERVICE_PREFIXES.multisender}`);

  await page.getByLabel('Default country').selectOption('GB');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible();

  for (const service of ['crm', 'upcall', 'sipcaller', 'callemall', 'multisender']) {
    const section = page.locator(`#section-${service}`);
    await section.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId(`${service}-connection`)).toHaveText(/^Connected/);
  }

  // Tokens are shown masked after saving, never in clear.
  await page.reload();
  await expect(page.getByLabel('Upcall API token')).toHaveValue('');
  await expect(page.locator('#section-upcall')).toContainText('Saved (••••');
  await expect(page.locator('body')).not.toContainText(SANDBOX_CREDENTIALS.upcall.token);
  await expect(page.getByLabel('Default country')).toHaveValue('GB');

  // A wrong token is rejected in words, with the status.
  await page.getByLabel('Upcall API token').fill('not-the-right-token');
  await page.locator('#section-upcall').getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('upcall-connection')).toHaveText('Upcall rejected the token (401). Check the Upcall settings in options.');

  // An unreachable host is named.
  await page.getByLabel('Upcall base URL').fill('http://127.0.0.1:9/api/v1');
  await page.locator('#section-upcall').getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('upcall-connection')).toHaveText(/^Cannot reach 127\.0\.0\.1:9/);
});

test('save validates and says what is wrong next to the field', async ({ extension }) => {
  const page = await extension.openOptions();
  await page.getByLabel('Upcall base URL').fill('ftp://example.com');
  await page.getByLabel('CRM contact page pattern').fill('https://crm.example.com/contacts/');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Not saved: 2 fields need attention.')).toBeVisible();
  await expect(page.locator('#upcall-baseUrl-error')).toContainText('https://');
  await expect(page.locator('#crm-contactPagePattern-error')).toContainText('{id}');
  await expect(page.getByLabel('Upcall base URL')).toHaveAttribute('aria-invalid', 'true');
});
