/**
 * Helpers for the campaign e2e tests (issue 4): the sandbox configured and the campaign lists read,
 * a demo page with its buttons, the in-page "Add to campaign" view, the right-click menu through
 * the e2e hook (a test cannot click a native menu), and the notifications the background showed.
 */
import type { Locator, Page } from '@playwright/test';
import { DB_NAME } from '../../lib/db.ts';
import { waitUntilSettled, detectionRegistered } from './detection-support.ts';
import { expect, type ExtensionHelpers, type SandboxControl } from './fixtures.ts';

export interface Notice {
  id: string;
  title: string;
  message: string;
}

/** Every service pointed at the sandbox; answers once the campaigns and opt-outs are read. */
export async function setUpCampaigns(extension: ExtensionHelpers): Promise<void> {
  await detectionRegistered(extension);
  await extension.configureSandbox();
  // Saving settings reads the campaign lists and Call-Em-All's opt-outs before it answers.
  const list = await extension.send<{ services: { service: string; campaigns: unknown[] }[] }>('campaigns/list', {});
  expect(list.value?.services.map((s) => s.service)).toEqual(['upcall', 'sipcaller', 'callemall']);
}

/** A demo page, loaded and with every number's button in place. */
export async function openDemo(extension: ExtensionHelpers, sandbox: SandboxControl, path: string): Promise<Page> {
  const page = await extension.context.newPage();
  await page.goto(`${sandbox.url}${path}`);
  await waitUntilSettled(extension, page, sandbox.url);
  return page;
}

/** The button of the number shown as `label` on the page (the first, if it appears twice). */
export function buttonFor(page: Page, label: string): Locator {
  return page.getByRole('button', { name: `Call actions for ${label}` }).first();
}

/** Opens the number's menu and chooses "Add to campaign…"; answers the view. */
export async function openCampaignView(page: Page, label: string): Promise<Locator> {
  await buttonFor(page, label).click();
  await page.getByRole('menuitem', { name: 'Add to campaign…' }).click();
  return campaignView(page, label);
}

export function campaignView(page: Page, label: string): Locator {
  return page.getByRole('group', { name: `Add ${label} to a campaign` });
}

/** Clicks the right-click menu's item as Chrome's contextMenus.onClicked would report it. */
export async function clickMenuItem(
  extension: ExtensionHelpers,
  info: { menuItemId: string; selectionText?: string; linkUrl?: string; frameId?: number },
  tabId: number,
): Promise<void> {
  const worker = await extension.worker();
  await worker.evaluate(
    async ([clicked, id]) => {
      const hooks = (
        globalThis as unknown as { __crmCompanionE2e?: { contextMenuClick(i: unknown, t: unknown): Promise<void> } }
      ).__crmCompanionE2e;
      if (!hooks) throw new Error('no e2e hooks in this build');
      await hooks.contextMenuClick(
        { editable: false, modifiers: [], frameId: 0, ...clicked },
        { id, index: 0, active: true },
      );
    },
    [info, tabId] as const,
  );
}

/** The notifications the background showed, oldest first (the e2e build records them). */
export async function notifications(extension: ExtensionHelpers): Promise<Notice[]> {
  const worker = await extension.worker();
  return worker.evaluate(async (dbName) => {
    return new Promise<Notice[]>((resolve, reject) => {
      const open = indexedDB.open(dbName);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction('meta').objectStore('meta').get('e2e/notifications');
        get.onsuccess = () => {
          open.result.close();
          resolve(
            ((get.result as Notice[] | undefined) ?? []).map(({ id, title, message }) => ({ id, title, message })),
          );
        };
        get.onerror = () => reject(get.error);
      };
    });
  }, DB_NAME);
}

/** Waits for a notification whose message is exactly `message`. */
export async function expectNotification(
  extension: ExtensionHelpers,
  message: string,
  timeout = 15_000,
): Promise<void> {
  await expect.poll(async () => (await notifications(extension)).map((n) => n.message), { timeout }).toContain(message);
}

/** What one service's simulator holds (its state snapshot). */
export function simState<T>(sandbox: SandboxControl, service: string): T {
  return sandbox.state<T>(service);
}
