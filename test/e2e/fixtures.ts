/// <reference types="chrome" />
/**
 * Playwright fixtures: the sandbox (one per worker, reset before each test), Chromium with the
 * e2e build of the extension loaded (`npm run build:e2e` → .output/chrome-mv3-e2e), and helpers
 * to open the popup and options as pages, talk to the background, and stop its service worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { sandboxSecrets, sandboxSettings } from '../../sandbox/credentials.ts';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';

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

export async function launchWithExtension(userDataDir: string, extensionDir = EXTENSION_DIR): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    headless: true,
    executablePath: CHROMIUM,
    args: chromiumArgs(extensionDir),
    viewport: { width: 1280, height: 800 },
  });
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return existing ?? context.waitForEvent('serviceworker', { timeout: 30_000 });
}

/** Talks to the sandbox's control API from the test process. */
export class SandboxControl {
  constructor(readonly sandbox: Sandbox) {}

  get url(): string {
    return this.sandbox.url;
  }

  requests(filter: { service?: string; method?: string; pathIncludes?: string } = {}): RecordedRequest[] {
    return this.sandbox.requests.filter(
      (r) =>
        (!filter.service || r.service === filter.service) &&
        (!filter.method || r.method === filter.method) &&
        (!filter.pathIncludes || r.path.includes(filter.pathIncludes)),
    );
  }

  state<T>(service: string): T {
    const sim = this.sandbox.simulators.find((s) => s.id === service);
    if (!sim) throw new Error(`no simulator ${service}`);
    return sim.state() as T;
  }

  control(service: string, action: string, body: unknown): unknown {
    const sim = this.sandbox.simulators.find((s) => s.id === service);
    if (!sim?.control) throw new Error(`no control for ${service}`);
    return sim.control(action, body).body;
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
}

interface TestFixtures {
  sandbox: SandboxControl;
  userDataDir: string;
  context: BrowserContext;
  extension: ExtensionHelpers;
}

interface WorkerFixtures {
  sandboxServer: Sandbox;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sandboxServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring
    async ({}, use) => {
      const sandbox = await startSandbox();
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'worker' },
  ],

  sandbox: async ({ sandboxServer }, use) => {
    sandboxServer.reset();
    await use(new SandboxControl(sandboxServer));
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring
  userDataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-companion-profile-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  context: async ({ userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir);
    await use(context);
    await context.close();
  },

  extension: async ({ context, sandbox }, use) => {
    const firstWorker = await serviceWorkerOf(context);
    const id = new URL(firstWorker.url()).host;
    await use(createHelpers(context, id, sandbox.url));
  },
});

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
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      expect(reply.value?.ok, JSON.stringify(reply.value)).toBe(true);
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
  };
  return helpers;
}

export { expect };
