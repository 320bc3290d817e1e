/// <reference types="chrome" />
/**
 * Chromium with the e2e build of the extension loaded, and helpers to drive it: used by the
 * Playwright fixtures, `npm run demo` and `npm run bench` (so it depends on playwright-core only).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { sandboxSecrets, sandboxSettings } from '../../sandbox/credentials.ts';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3-e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumArgs(extensionDir = EXTENSION_DIR): string[] {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

export async function launchWithExtension(
  userDataDir: string,
  extensionDir = EXTENSION_DIR,
  headless = true,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    headless,
    executablePath: CHROMIUM,
    args: chromiumArgs(extensionDir),
    viewport: { width: 1280, height: 800 },
  });
}

/** Chromium's id for an unpacked extension: the SHA-256 of its path, in the letters a–p. */
export function extensionIdFor(extensionDir = EXTENSION_DIR): string {
  const hex = createHash('sha256').update(resolve(extensionDir)).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/**
 * The extension's service worker. On a loaded machine Chromium can take a while to start it;
 * opening one of the extension's pages wakes it if it has not started by itself.
 */
export async function serviceWorkerOf(context: BrowserContext, extensionDir = EXTENSION_DIR): Promise<Worker> {
  const find = () => context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  const deadline = Date.now() + 90_000;
  let nudged = false;
  for (;;) {
    const existing = find();
    if (existing) return existing;
    if (Date.now() > deadline) throw new Error('the extension service worker did not start within 90 s');
    const started = await context
      .waitForEvent('serviceworker', { timeout: 10_000 })
      .catch(() => undefined);
    if (started?.url().startsWith('chrome-extension://')) return started;
    if (!nudged) {
      nudged = true;
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionIdFor(extensionDir)}/options.html`).catch(() => undefined);
      await page.close().catch(() => undefined);
    }
  }
}

export interface ExtensionHelpers {
  id: string;
  context: BrowserContext;
  /** The background service worker (woken first if it was stopped). */
  worker(): Promise<Worker>;
  /** Opens popup.html as a page; `tabId` makes it act on that tab. */
  openPopup(tabId?: number): Promise<Page>;
  openOptions(): Promise<Page>;
  /** Sends a protocol message from an extension page, as the popup would. */
  send<T = unknown>(type: string, payload: unknown): Promise<{ ok: boolean; value?: T; error?: unknown }>;
  /** Points every service at the sandbox with its credentials (through the real settings/save). */
  configureSandbox(): Promise<void>;
  /** Stops the background service worker, as the browser does when it is idle. */
  stopServiceWorker(): Promise<void>;
  /** The tab id of a page, from the background's point of view. */
  tabIdOf(page: Page): Promise<number>;
  /**
   * Turns the fresh-connection rule (lib/background/fresh-connections.ts) off or on for the
   * browser session: off, the extension's requests reuse the sandbox's kept-alive connections and
   * Chromium re-sends those dropped unanswered, as it would over HTTP/2 or a pooling proxy.
   */
  setFreshConnections(on: boolean): Promise<void>;
}

export function createHelpers(context: BrowserContext, id: string, sandboxUrl: string): ExtensionHelpers {
  let hostPage: Page | undefined;
  const extensionPage = async (): Promise<Page> => {
    if (hostPage && !hostPage.isClosed()) return hostPage;
    hostPage = await context.newPage();
    // A blank extension page that can message the background like the popup does.
    await hostPage.goto(`chrome-extension://${id}/options.html?host=1`);
    return hostPage;
  };

  const helpers: ExtensionHelpers = {
    id,
    context,
    async worker() {
      const page = await extensionPage();
      // A message wakes a stopped worker; evaluating on a stopped worker would hang.
      await page.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/get', payload: {} }));
      return serviceWorkerOf(context);
    },
    async openPopup(tabId) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${id}/popup.html${tabId ? `?tab=${tabId}` : ''}`);
      return page;
    },
    async openOptions() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${id}/options.html`);
      return page;
    },
    async send(type, payload) {
      const page = await extensionPage();
      return page.evaluate(
        ([t, p]) => chrome.runtime.sendMessage({ type: t, payload: p }),
        [type, payload] as const,
      );
    },
    async configureSandbox() {
      const reply = await helpers.send<{ ok: boolean; errors?: unknown }>('settings/save', {
        settings: sandboxSettings(sandboxUrl),
        secrets: sandboxSecrets(),
      });
      if (!reply.ok || !reply.value?.ok) throw new Error(`configuring the sandbox failed: ${JSON.stringify(reply)}`);
    },
    async stopServiceWorker() {
      const page = await extensionPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    async tabIdOf(page) {
      const url = page.url();
      const worker = await helpers.worker();
      const id = await worker.evaluate(async (target) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.url === target)?.id ?? -1;
      }, url);
      if (id < 0) throw new Error(`no tab for ${url}`);
      return id;
    },
    async setFreshConnections(on) {
      const worker = await helpers.worker();
      await worker.evaluate((value) => globalThis.__crmCompanionE2e!.setFreshConnections(value), on);
    },
  };
  return helpers;
}

