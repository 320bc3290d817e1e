/**
 * Tokens stay in the background (issue 7), in the real browser. With every service configured
 * with the sandbox's credentials and used from a decorated page, the popup and options (a
 * connection test, a campaign add, a click-to-call confirmation, a logged call, This page), no
 * token, key or secret (nor the CRM's Basic credentials) is in: storage.local, storage.sync or
 * storage.session, read by the worker and by a content-script context in the page's tab (where
 * storage.session is closed, and IndexedDB is the page's own, without our database); any message
 * the background sends to a tab; the DOM of the page (with its shadow roots) or of the extension's
 * pages (with every field's value); the console of the worker and of every page.
 */
import type { ConsoleMessage, Page } from '@playwright/test';
import { basicAuthorization } from '../../lib/crm/client.ts';
import { DB_NAME } from '../../lib/db.ts';
import { SANDBOX_CREDENTIALS, sandboxSecrets } from '../../sandbox/credentials.ts';
import { contactAt, contactId } from '../../sandbox/demo/data.ts';
import { setUpCampaigns } from './campaign-support.ts';
import { waitUntilSettled } from './detection-support.ts';
import { expect, test } from './fixtures.ts';

function secretForms(): string[] {
  const values = Object.values(sandboxSecrets()).flatMap((fields) => Object.values(fields));
  const basic = basicAuthorization(SANDBOX_CREDENTIALS.crm.userId, SANDBOX_CREDENTIALS.crm.apiKey);
  return [...values, basic.replace(/^Basic /, '')];
}

/** The document and every open shadow root, with the current value of every field. */
async function domText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const element of root.querySelectorAll('*')) {
        if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) {
          parts.push(element.value);
        }
        if (element.shadowRoot) visit(element.shadowRoot);
      }
    };
    visit(document);
    return parts.join('\n');
  });
}

// A click that cannot happen fails in seconds, not at the end of the test's time.
test.use({ actionTimeout: 20_000 });

test('no token reaches a storage area, a tab, a page or a console', async ({ context, extension, sandbox }) => {
  test.setTimeout(120_000);
  const consoleLines: string[] = [];
  const record = (where: string) => (message: ConsoleMessage) => {
    consoleLines.push(`${where}: ${message.text()}`);
    // Objects logged are read in full, not as their summary.
    void Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => null))).then((values) =>
      consoleLines.push(`${where}: ${JSON.stringify(values)}`),
    );
  };
  context.on('page', (page) => page.on('console', record(page.url() || 'page')));
  for (const page of context.pages()) page.on('console', record(page.url()));
  const worker = await extension.worker();
  worker.on('console', record('worker'));

  // Every message the background sends to a tab, as it sends it.
  await worker.evaluate(() => {
    const sent: string[] = [];
    (globalThis as unknown as { __sentToTabs: string[] }).__sentToTabs = sent;
    const original = chrome.tabs.sendMessage.bind(chrome.tabs) as (...args: unknown[]) => Promise<unknown>;
    (chrome.tabs as unknown as { sendMessage: unknown }).sendMessage = (...args: unknown[]) => {
      sent.push(JSON.stringify(args.filter((a) => typeof a !== 'function')));
      return original(...args);
    };
  });

  await setUpCampaigns(extension);
  const contact = contactAt(2);
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts/${contact.id}`);
  await waitUntilSettled(extension, page, sandbox.url);
  const tabId = await extension.tabIdOf(page);

  // Options: every section masked; a connection test answers in a sentence.
  const options = await extension.openOptions();
  await expect(options.getByLabel('Upcall API token')).toBeVisible();
  for (const service of ['upcall', 'crm']) {
    await options.locator(`#section-${service}`).getByRole('button', { name: 'Test connection' }).click();
    await expect(options.getByTestId(`${service}-connection`)).toHaveText(/^Connected/);
  }

  // The page: a campaign add, and the click-to-call confirmation (which reads Multisender's defaults).
  await page.getByRole('button', { name: `Call actions for ${contact.phoneDisplay}` }).first().click();
  await page.getByRole('menuitem', { name: 'Add to campaign…' }).click();
  const panel = page.getByRole('group', { name: `Add ${contact.phoneDisplay} to a campaign` });
  await panel.getByRole('group', { name: 'Upcall' }).getByRole('radio', { name: /^Spring renewals/ }).check();
  await panel.getByRole('button', { name: 'Add to Spring renewals' }).click();
  await expect(panel.getByRole('status')).toHaveText(/^Added /);
  // Escape goes back to the menu, then closes it.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.getByRole('button', { name: `Call actions for ${contact.phoneDisplay}` }).first().click();
  await page.getByRole('menuitem', { name: 'Click-to-call via Multisender' }).click();
  await expect(page.getByRole('group', { name: `Click-to-call ${contact.phoneDisplay} via Multisender` })).toContainText('Voice file');
  await page.keyboard.press('Escape');

  // The popup: a logged call, delivered; This page; Activity.
  const popup = await extension.openPopup(tabId);
  await popup.getByLabel('Phone number').fill(contact.phoneDisplay);
  await popup.getByLabel('Contact ID').fill(contactId(2));
  await popup.getByLabel('Notes').fill('Token leak check.');
  await popup.getByLabel('Notes').press('Control+Enter');
  await expect(popup.locator('#log-call-status')).toHaveText(/^Saved\./);
  await expect.poll(() => sandbox.requests({ service: 'crm', method: 'POST' }).length).toBeGreaterThan(0);
  await popup.getByRole('tab', { name: 'This page' }).click();
  await expect(popup.getByText(/numbers? on this page/)).toBeVisible();
  await popup.getByRole('tab', { name: 'Activity' }).click();
  await expect(popup.getByRole('heading', { name: 'Logged calls' })).toBeVisible();

  // Switching the site off tells every tab: one more message to a tab to read.
  await extension.send('sites/disable', { site: new URL(sandbox.url).origin.replace(/:\d+$/, '') });

  // The credentials really are in the browser, in the background's own database.
  const secretsStore = await worker.evaluate(
    (name) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('secrets').objectStore('secrets').getAll();
          all.onsuccess = () => resolve(JSON.stringify(all.result));
        };
      }),
    DB_NAME,
  );
  expect(secretsStore).toContain(SANDBOX_CREDENTIALS.upcall.token);

  // What the worker's storage areas hold.
  const workerStorage = await worker.evaluate(async () =>
    JSON.stringify({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
      session: await chrome.storage.session.get(null),
    }),
  );
  // What a content script on the page can read: the same areas, from the extension's isolated world.
  const contentView = await worker.evaluate(
    async ([tab, name]) => {
      const [result] = await chrome.scripting.executeScript({
        target: { tabId: tab },
        args: [name],
        func: async (dbName: string) => {
          const out: Record<string, unknown> = {
            local: await chrome.storage.local.get(null),
            sync: await chrome.storage.sync.get(null),
          };
          try {
            out.session = await chrome.storage.session.get(null);
          } catch (error) {
            out.sessionRefused = String(error);
          }
          // IndexedDB here is the page's origin's, not the extension's.
          out.stores = await new Promise<string[]>((resolve) => {
            const open = indexedDB.open(dbName);
            open.onsuccess = () => {
              const names = [...open.result.objectStoreNames];
              open.result.close();
              indexedDB.deleteDatabase(dbName);
              resolve(names);
            };
            open.onerror = () => resolve([]);
          });
          return JSON.stringify(out);
        },
      });
      return String(result?.result);
    },
    [tabId, DB_NAME] as const,
  );
  expect(JSON.parse(contentView)).toMatchObject({ sessionRefused: expect.stringMatching(/access|context/i), stores: [] });
  // The content script's view of storage.local is the settings, sites and ignored numbers.
  expect(JSON.parse(contentView).local).toHaveProperty('settings');

  const sentToTabs = await worker.evaluate(() => (globalThis as unknown as { __sentToTabs: string[] }).__sentToTabs.join('\n'));
  expect(sentToTabs).toContain('detection/stop');

  const places: Record<string, string> = {
    'storage read by the worker': workerStorage,
    'storage read by a content script': contentView,
    'messages to tabs': sentToTabs,
    'the decorated page': await domText(page),
    options: await domText(options),
    popup: await domText(popup),
    console: consoleLines.join('\n'),
  };
  const leaks = Object.entries(places).flatMap(([place, text]) =>
    secretForms()
      .filter((secret) => text.includes(secret))
      .map((secret) => `${place}: ${secret}`),
  );
  expect(leaks).toEqual([]);
  // Options shows that each secret is set, masked.
  expect(places.options).toContain('••••');
});
