/**
 * Page text never becomes markup (issue 7). The sandbox's hostile CRM page puts 200 XSS payloads
 * in names, companies and notes next to phone numbers, and a trap every payload calls
 * (`__xssTrap`, see sandbox/demo/hostile.ts); Call-Em-All is given a list whose name is a payload
 * too. With the page loaded, every number's menu opened, the campaign and click-to-call panels
 * opened for every kind of payload, numbers added from the page button and in bulk from the
 * popup, and calls logged with payload notes: the trap never fires, no element or attribute
 * from a payload exists in the page, its shadow roots, or any extension page (where the CSP
 * would block an inline handler: no violation is reported either), and every surface shows the
 * payload text literally: the panels, their fields, This page, Activity, the logged calls, the
 * notifications.
 */
import type { Locator, Page } from '@playwright/test';
import { clipDetail, CONTACT_FIELD_MAX } from '../../lib/campaigns/contact.ts';
import { withNameParts } from '../../lib/content/contact-details.ts';
import { createContactList } from '../../lib/providers/callemall.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../sandbox/credentials.ts';
import { contactId } from '../../sandbox/demo/data.ts';
import { HOSTILE_PATH, HOSTILE_ROWS, hostilePayload, hostileRow } from '../../sandbox/demo/hostile.ts';
import { notifications, setUpCampaigns } from './campaign-support.ts';
import { waitUntilSettled } from './detection-support.ts';
import { expect, test, type ExtensionHelpers } from './fixtures.ts';

/** What a payload would leave behind had it become markup anywhere. */
const PAYLOAD_ELEMENTS =
  'img[src="x"], img[src="x:x"], [onerror], [onload], [onfocus], [ontoggle], [onstart], [formaction], iframe[srcdoc], object, embed, marquee, video, audio, math, a[href^="javascript:" i], script:not([src]):not([data-page-own])';

/** In every page: the trap, and a record of what the CSP blocked (extension pages forbid inline code). */
const WATCH = `
window.__xssHits = window.__xssHits || [];
if (!window.__xssTrap) window.__xssTrap = function (id) { window.__xssHits.push(String(id)); };
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  // zod probes \`new Function('')\` once per bundle when a schema is built before its jitless
  // setting (caught, and reported as "eval"); a payload turned markup shows up as "inline".
  if (e.blockedURI === 'eval' && !e.sample) return;
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
`;

interface Traces {
  hits: string[];
  csp: string[];
  /** Elements or attributes a payload would have created, in the document or any open shadow root. */
  planted: string[];
}

async function traces(page: Page): Promise<Traces> {
  return page.evaluate((selector) => {
    const planted: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll(selector)) planted.push(element.outerHTML.slice(0, 120));
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
    };
    visit(document);
    const w = window as unknown as { __xssHits?: string[]; __cspViolations?: string[] };
    return { hits: w.__xssHits ?? [], csp: w.__cspViolations ?? [], planted };
  }, PAYLOAD_ELEMENTS);
}

async function expectClean(page: Page, where: string): Promise<void> {
  expect(await traces(page), where).toEqual({ hits: [], csp: [], planted: [] });
}

/** The text of each row's cells as the page shows them (what the extension reads). */
async function rowTexts(page: Page): Promise<{ name: string; company: string; note: string; phone: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLTableRowElement>('#contacts tbody tr')].map((tr) => {
      const text = (i: number) => tr.cells[i]!.textContent ?? '';
      return { name: text(0), company: text(1), note: text(2), phone: text(3) };
    }),
  );
}

/** As the content script reads a cell: whitespace collapsed, trimmed, at most 200 characters. */
function read(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function buttonOf(page: Page, label: string): Locator {
  return page.getByRole('button', { name: `Call actions for ${label}`, exact: true });
}

async function openPopup(extension: ExtensionHelpers, tabId: number, view: string): Promise<Page> {
  const popup = await extension.openPopup(tabId);
  await popup.goto(`${popup.url()}&view=${view}`);
  await popup.setViewportSize({ width: 440, height: 700 });
  return popup;
}

// A click that cannot happen fails in seconds, not at the end of the test's time.
test.use({ actionTimeout: 20_000, screenshot: 'only-on-failure' });

test('a page full of XSS payloads runs nothing and shows every payload as text', async ({ context, extension, sandbox }) => {
  test.setTimeout(240_000);
  await context.addInitScript(WATCH);
  await setUpCampaigns(extension);

  // Service text is not trusted either: a Call-Em-All list named with a payload.
  const listName = hostilePayload(1).slice(0, 50);
  await createContactList(
    { baseUrl: `${sandbox.url}${SERVICE_PREFIXES.callemall}`, ...SANDBOX_CREDENTIALS.callemall },
    { name: listName },
  );
  await extension.send('campaigns/list', { refresh: true });

  const page = await context.newPage();
  await page.goto(`${sandbox.url}${HOSTILE_PATH}`);
  // The page itself renders every payload as text: nothing ran before the extension did anything.
  await expectClean(page, 'the hostile page as loaded');
  await waitUntilSettled(extension, page, sandbox.url);
  const rows = await rowTexts(page);
  expect(rows).toHaveLength(HOSTILE_ROWS);
  expect(rows[0]!.name).toBe(hostilePayload(0));
  await expect(page.locator('crm-number-host, [data-e164]').first()).toBeAttached();
  const e164s = await page.evaluate(() =>
    [...document.querySelectorAll('[data-e164]')].map((host) => host.getAttribute('data-e164')),
  );
  expect(new Set(e164s)).toEqual(new Set(Array.from({ length: HOSTILE_ROWS }, (_, i) => hostileRow(i).e164)));

  // Every number's menu.
  for (const row of rows) {
    await buttonOf(page, row.phone).click();
    await expect(page.getByRole('menu', { name: new RegExp(row.phone.replace(/[()]/g, '\\$&')) })).toBeVisible();
    await page.keyboard.press('Escape');
  }
  await expectClean(page, 'after every menu');

  // The campaign panel for every kind of payload (rows 0-39 hold each template as a name and
  // as a company): the panel says who, and its fields hold the text, as read from the page.
  const templates = 40;
  for (let i = 0; i < templates; i += 1) {
    const row = rows[i]!;
    await buttonOf(page, row.phone).click();
    await page.getByRole('menuitem', { name: 'Add to campaign…' }).click();
    const panel = page.getByRole('group', { name: `Add ${row.phone} to a campaign` });
    await panel.getByRole('group', { name: 'Upcall' }).getByRole('radio').first().check();
    // The fields hold the page's text, split into first and last name as the panel does, and
    // cut to what a service takes.
    const named = withNameParts({ full_name: read(row.name) });
    await expect(panel.getByLabel('First name')).toHaveValue(clipDetail(named.first_name ?? '', CONTACT_FIELD_MAX.firstName));
    await expect(panel.getByLabel('Last name')).toHaveValue(clipDetail(named.last_name ?? '', CONTACT_FIELD_MAX.lastName));
    await expect(panel.getByLabel('Company')).toHaveValue(read(row.company));
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  }
  await expectClean(page, 'after the campaign panels');

  // The click-to-call confirmation says who too.
  for (const i of [0, 1, 2, 11, 37, 39]) {
    const row = rows[i]!;
    await buttonOf(page, row.phone).click();
    await page.getByRole('menuitem', { name: 'Click-to-call via Multisender' }).click();
    const panel = page.getByRole('group', { name: `Click-to-call ${row.phone} via Multisender` });
    await expect(panel).toContainText(read(row.name).slice(0, 60));
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
  }
  await expectClean(page, 'after the click-to-call confirmations');

  // Adds from the page button: to the payload-named list, and to Upcall with a 200-character name.
  for (const [i, group, campaign] of [
    [3, 'Call-Em-All', listName],
    [39, 'Upcall', 'Spring renewals'],
  ] as const) {
    const row = rows[i]!;
    await buttonOf(page, row.phone).click();
    await page.getByRole('menuitem', { name: 'Add to campaign…' }).click();
    const panel = page.getByRole('group', { name: `Add ${row.phone} to a campaign` });
    await panel.getByRole('group', { name: group }).getByRole('radio', { name: new RegExp(`^${escapeRegExp(campaign)}`) }).check();
    await panel.getByRole('button', { name: `Add to ${campaign}` }).click();
    const display = `+1 ${row.phone.slice(1, 4)}-${row.phone.slice(6)}`;
    await expect(panel.getByRole('status')).toHaveText(`Added ${display} to ${campaign} (${group}).`);
    await page.keyboard.press('Escape');
  }

  // Log a call for some numbers: chosen on the page, the popup prefills the number; the notes are payloads.
  const logged: string[] = [];
  const tabId = await extension.tabIdOf(page);
  for (const i of [5, 12, 37]) {
    const row = rows[i]!;
    await buttonOf(page, row.phone).click();
    await page.getByRole('menuitem', { name: 'Log a call' }).click();
    const popup = await openPopup(extension, tabId, 'log');
    await expect(popup.getByLabel('Phone number')).not.toHaveValue('');
    await popup.getByLabel('Contact ID').fill(contactId(i));
    const note = row.note.slice(0, 2000);
    await popup.getByLabel('Notes').fill(note);
    await popup.getByLabel('Notes').press('Control+Enter');
    await expect(popup.locator('#log-call-status')).toHaveText(/^Saved\./);
    logged.push(note);
    await expectClean(popup, `the Log a call form with note ${i}`);
    await popup.close();
  }

  // Bulk from the popup's This page tab: every number, each listed with its name and company as text.
  const thisPage = await openPopup(extension, tabId, 'page');
  await expect(thisPage.getByText(`${HOSTILE_ROWS} numbers on this page; ${HOSTILE_ROWS} selected.`)).toBeVisible({ timeout: 20_000 });
  const who = await thisPage.locator('.this-page__list li').evaluateAll((items) =>
    items.map((li) => li.querySelector('.this-page__who')?.textContent ?? ''),
  );
  // ("Abbott, Ada" reads as "Ada Abbott": a comma in a name is taken for "last, first".)
  expect(who).toEqual(rows.map((row) => `${withNameParts({ full_name: read(row.name) }).full_name}, ${read(row.company)}`));
  await thisPage.getByLabel('Campaign').selectOption({ label: 'Spring renewals (ready)' });
  await thisPage.getByRole('button', { name: `Add ${HOSTILE_ROWS} to Spring renewals` }).click();
  await expect(thisPage.getByRole('heading', { name: 'Done: Spring renewals (Upcall)' })).toBeVisible({ timeout: 120_000 });
  await expectClean(thisPage, 'This page after the bulk add');

  // Activity lists the adds with the names and companies sent, and the notes, as text; and so
  // do the logged calls once the CRM has them.
  const activity = await openPopup(extension, tabId, 'activity');
  await expect(activity.locator('.outbox-entry__detail').first()).toBeVisible();
  const details = await activity.locator('.outbox-entry__detail').allTextContents();
  expect(details).toEqual(expect.arrayContaining(logged.map((note) => clip(note.trim().replace(/\s+/g, ' '), 140))));
  // The name as the panel split it, with the company.
  const named = withNameParts({ full_name: read(rows[3]!.name) });
  const person = [named.first_name, named.last_name].map((part) => clipDetail(part ?? '', 100)).filter(Boolean).join(' ');
  expect(details).toContain(`Add to campaign: ${[person, read(rows[3]!.company)].filter(Boolean).join(', ')}`);
  const history = activity.getByRole('list', { name: 'Logged calls' }).locator('.history__note');
  await expect(history).toHaveCount(logged.length, { timeout: 30_000 });
  expect((await history.allTextContents()).sort()).toEqual(logged.map((note) => clip(note.trim().split('\n')[0]!, 120)).sort());
  await expectClean(activity, 'Activity');

  // Notifications are the plain sentences, with the payload-named list as text.
  const notices = await notifications(extension);
  expect(notices.map((n) => n.message)).toContain(`Added +1 202-555-0103 to ${listName} (Call-Em-All).`);
  for (const notice of notices) expect(notice.message).not.toMatch(/&lt;|&gt;|&amp;|&#/);

  await expectClean(page, 'the hostile page at the end');
  await expectClean(await extension.openOptions(), 'options');
});

/** As Activity shortens a long line: the first characters and an ellipsis. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The page's own script can reach into the buttons' open shadow roots. Clicks it makes there
 * (`button.click()`, which the browser marks untrusted) open no menu, add no number, tick no
 * do-not-call override and place no call; the same clicks by the person do.
 */
test("the page's script cannot press the extension's buttons for the user", async ({ context, extension, sandbox }) => {
  await setUpCampaigns(extension);
  const current = await extension.send<{ settings: Record<string, Record<string, unknown>> }>('settings/get', {});
  const settings = current.value!.settings;
  await extension.send('settings/save', { settings: { ...settings, multisender: { ...settings.multisender, voiceFileId: '101' } }, secrets: {} });
  const label = '(650) 555-0100';
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/demo/contacts?rows=3`);
  await waitUntilSettled(extension, page, sandbox.url);

  /** Runs in the page's own world: finds our button's shadow root and clicks `selector` in it. */
  const pageClicks = (selector: string) =>
    page.evaluate(
      ([sel]) => {
        const host = document.querySelector('[data-e164="+16505550100"]')!;
        const target = host.shadowRoot!.querySelector<HTMLElement>(sel);
        if (!target) return false;
        target.click();
        return true;
      },
      [selector] as const,
    );

  // The menu does not open for the page.
  expect(await pageClicks('button.button')).toBe(true);
  await expect(page.getByRole('menu')).toHaveCount(0);

  // The person opens "Add to campaign…" and picks a campaign; the page presses Add: nothing is sent.
  await buttonOf(page, label).click();
  expect(await pageClicks('[data-action="add-to-campaign"]')).toBe(true);
  await expect(page.getByRole('group', { name: `Add ${label} to a campaign` })).toHaveCount(0);
  await page.getByRole('menuitem', { name: 'Add to campaign…' }).click();
  const panel = page.getByRole('group', { name: `Add ${label} to a campaign` });
  await panel.getByRole('group', { name: 'Upcall' }).getByRole('radio', { name: /^Spring renewals/ }).check();
  expect(await pageClicks('button.action.primary')).toBe(true);
  await expect(panel.getByRole('button', { name: 'Add to Spring renewals' })).toBeEnabled();
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toEqual([]);
  await panel.getByRole('button', { name: 'Add to Spring renewals' }).click();
  await expect(panel.getByRole('status')).toHaveText('Added +1 650-555-0100 to Spring renewals (Upcall).');
  expect(sandbox.requests({ service: 'upcall', method: 'POST' })).toHaveLength(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // A number on the do-not-call list: the page cannot tick the override for the person.
  expect((await extension.send<{ ok: boolean }>('dnc/add', { number: '+1 650 555 0100' })).value?.ok).toBe(true);
  await buttonOf(page, label).click();
  await page.getByRole('menuitem', { name: 'Click-to-call via Multisender' }).click();
  const confirm = page.getByRole('group', { name: `Click-to-call ${label} via Multisender` });
  const override = confirm.getByRole('checkbox', { name: /anyway/ });
  await expect(override).toBeVisible();
  expect(await pageClicks('input[type="checkbox"]')).toBe(true);
  await expect(override).not.toBeChecked();
  expect(await pageClicks('label.override')).toBe(true);
  await expect(override).not.toBeChecked();
  // The person does; then the page presses "Confirm and call": no call is placed.
  await override.check();
  const callButton = confirm.getByRole('button', { name: 'Confirm and call' });
  await expect(callButton).toBeEnabled();
  expect(await pageClicks('button.action.primary')).toBe(true);
  await expect(callButton).toBeEnabled();
  const calls = () => sandbox.requests({ service: 'multisender', method: 'POST' }).filter((r) => r.path === '/click_to_calls');
  expect(calls()).toEqual([]);
  // The person's own click places it.
  await callButton.click();
  await expect(confirm.getByRole('status')).toHaveText(/^Placed: /);
  expect(calls()).toHaveLength(1);
});
