/**
 * The Multisender click-to-call defaults in options (issue 5): ready voice files with their
 * duration, a voice file made from text (waiting while Multisender speaks it), hours, weekdays,
 * keys, redials and expiry, each checked with the reason next to the field.
 */
import { expect, test } from './fixtures.ts';

test('choose a voice file, create one from text, set the defaults and save them', async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  const page = await extension.openOptions();
  const section = page.locator('#section-multisender');

  // Only ready voice files are offered, with their duration.
  const voiceFile = page.getByLabel('Multisender voice file', { exact: true });
  await expect(voiceFile.locator('option')).toHaveText([
    'Choose a voice file…',
    'Callback request (EN) (9 s)',
    'Takaisinsoittopyyntö (FI) (8 s)',
  ]);
  await expect(section.getByRole('status').filter({ hasText: 'ready voice files' })).toHaveText(
    '2 ready voice files; 1 still being prepared.',
  );
  await voiceFile.selectOption({ label: 'Callback request (EN) (9 s)' });

  // A voice file from text: the words are counted, the voices come from Multisender.
  await section.getByText('Create a voice file from text').click();
  await page.getByLabel('Multisender voice file name').fill('Callback EN short');
  const text = page.getByLabel('Text to speak');
  await text.fill(Array.from({ length: 81 }, (_, i) => `word${i}`).join(' '));
  await expect(page.locator('#multisender-tts-text-count')).toHaveText(
    '81 words: Multisender speaks at most 80. Remove 1.',
  );
  await expect(section.getByRole('button', { name: 'Create voice file' })).toBeDisabled();
  await text.fill('Hello, a customer asked for a call back. Press 1 to be connected, or 2 to decline.');
  await expect(page.locator('#multisender-tts-text-count')).toHaveText('17 of 80 words.');
  await page.getByLabel('Multisender voice', { exact: true }).selectOption('en-GB-female');
  await section.getByRole('button', { name: 'Create voice file' }).click();

  // Pending while Multisender speaks it (the sandbox takes 3 s), then chosen.
  await expect(section.getByRole('progressbar', { name: 'Multisender is speaking the text' })).toBeVisible();
  await expect(section.getByText(/^Multisender is speaking “Callback EN short”…/)).toBeVisible();
  await expect(section.getByText(/“Callback EN short” is ready \(\d+ s\) and chosen as the voice file/)).toBeVisible({
    timeout: 20_000,
  });
  const [tts] = sandbox.requests({
    service: 'multisender',
    method: 'POST',
    pathIncludes: '/voice_files/text_to_speech',
  });
  expect(tts?.body).toEqual({
    name: 'Callback EN short',
    text: 'Hello, a customer asked for a call back. Press 1 to be connected, or 2 to decline.',
    voiceCode: 'en-GB-female',
  });
  const newId = sandbox
    .state<{ voiceFiles: { voiceFileId: string; name: string }[] }>('multisender')
    .voiceFiles.find((f) => f.name === 'Callback EN short')!.voiceFileId;
  await expect(voiceFile).toHaveValue(newId);

  const weekdays = page.getByRole('group', { name: 'Multisender active weekdays' });
  await page.getByLabel('Multisender active from').fill('08:30');
  await page.getByLabel('Multisender active to').fill('18:15');
  await weekdays.getByRole('checkbox', { name: 'Saturday' }).check();
  await weekdays.getByRole('checkbox', { name: 'Friday' }).uncheck();
  await page.getByLabel('Multisender accept key').selectOption('1');
  await page.getByLabel('Multisender decline key').selectOption('2');
  await page.getByLabel('Multisender maximum redials').fill('2');
  await page.getByLabel('Multisender expiry (hours)').fill('48');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible();
  // An element shot: a full-page one leaves headless Chromium ignoring the next click.
  await section.screenshot({ path: '/tmp/ctc-options-defaults.png' });

  const saved = await extension.send<{ settings: { multisender: Record<string, unknown> } }>('settings/get', {});
  expect(saved.value?.settings.multisender).toMatchObject({
    voiceFileId: newId,
    voiceFileName: 'Callback EN short',
    activeFrom: '08:30',
    activeTo: '18:15',
    activeWeekdays: [1, 2, 3, 4, 6],
    acceptKey: '1',
    declineKey: '2',
    maxRedials: 2,
    expiryHours: 48,
  });

  // Reloaded, the page shows what was saved.
  await page.reload();
  await expect(page.getByLabel('Multisender voice file', { exact: true })).toHaveValue(newId);
  await expect(page.getByLabel('Multisender active to')).toHaveValue('18:15');
  await expect(weekdays.getByRole('checkbox', { name: 'Friday' })).not.toBeChecked();
});

test('invalid defaults are explained next to their field and not saved', async ({ extension, sandbox }) => {
  await extension.configureSandbox();
  const page = await extension.openOptions();

  await page.getByLabel('Multisender accept key').selectOption('7');
  await page.getByLabel('Multisender decline key').selectOption('7');
  await expect(page.locator('#multisender-declineKey-error')).toHaveText(
    'The decline key must differ from the accept key.',
  );
  await expect(page.getByLabel('Multisender decline key')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Multisender active from').fill('18:00');
  await page.getByLabel('Multisender active to').fill('09:00');
  await expect(page.locator('#multisender-activeTo-error')).toHaveText(
    'The end of the active hours must be after the start.',
  );

  await page.getByLabel('Multisender maximum redials').fill('11');
  await expect(page.locator('#multisender-maxRedials-error')).toHaveText('Use a whole number from 0 to 10.');
  await page.getByLabel('Multisender expiry (hours)').fill('');
  await expect(page.locator('#multisender-expiryHours-error')).toHaveText(
    'Use a whole number of hours from 1 to 720 (30 days).',
  );

  const weekdays = page.getByRole('group', { name: 'Multisender active weekdays' });
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await weekdays.getByRole('checkbox', { name: day }).uncheck();
  }
  await expect(page.locator('#multisender-activeWeekdays-error')).toHaveText('Choose at least one day.');

  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/^Not saved: \d+ fields need attention\.$/)).toBeVisible();
  await page.locator('#section-multisender').screenshot({ path: '/tmp/ctc-options-invalid.png' });

  const saved = await extension.send<{ settings: { multisender: Record<string, unknown> } }>('settings/get', {});
  expect(saved.value?.settings.multisender).toMatchObject({
    acceptKey: '5',
    declineKey: '9',
    activeFrom: '09:00',
    maxRedials: 3,
  });
  expect(sandbox.requests({ service: 'multisender', method: 'POST' })).toEqual([]);
});
