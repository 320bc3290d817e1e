/**
 * Playwright fixtures: the sandbox (one per worker, reset before each test), Chromium with the
 * e2e build of the extension loaded (`npm run build:e2e` → .output/chrome-mv3-e2e), and helpers
 * to open the popup and options as pages, talk to the background, and stop its service worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext } from '@playwright/test';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/server.ts';
import { createHelpers, launchWithExtension, serviceWorkerOf, type ExtensionHelpers } from './extension.ts';

export * from './extension.ts';

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

export { expect };
