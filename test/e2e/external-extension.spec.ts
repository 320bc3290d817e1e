/**
 * No one outside the extension is answered (issue 7): its manifest's `externally_connectable`
 * allows no extension and no site. A second extension, built here into a temporary folder and
 * loaded beside ours, tries runtime.sendMessage and runtime.connect to our id with protocol
 * messages (a settings read, a settings save with its own credentials and base URLs); it gets an
 * error and never an answer, and our settings are as they were. A web page gets no
 * `chrome.runtime` to try with.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import { CHROMIUM, chromiumArgs, EXTENSION_DIR } from './extension.ts';
import { expect, test as base } from './fixtures.ts';

const PROBE_MANIFEST = {
  manifest_version: 3,
  name: 'Probe (test extension)',
  version: '1.0',
  background: { service_worker: 'probe.js' },
};

// Tries every way in, and reports what came back. Runs in the probe's service worker.
const PROBE_SCRIPT = `
globalThis.probe = async (target, messages) => {
  const sent = [];
  for (const message of messages) {
    try {
      const answer = await chrome.runtime.sendMessage(target, message);
      sent.push({ type: message.type, answer: answer === undefined ? 'undefined' : answer });
    } catch (error) {
      sent.push({ type: message.type, error: String(error && error.message || error) });
    }
  }
  const connected = await new Promise((resolve) => {
    const got = [];
    let port;
    try {
      port = chrome.runtime.connect(target, { name: 'probe' });
    } catch (error) {
      resolve({ error: String(error && error.message || error), got });
      return;
    }
    port.onMessage.addListener((m) => got.push(m));
    port.onDisconnect.addListener(() => resolve({ disconnected: true, error: chrome.runtime.lastError ? chrome.runtime.lastError.message : null, got }));
    for (const message of messages) {
      try { port.postMessage(message); } catch (error) { /* a closed port refuses */ }
    }
    setTimeout(() => resolve({ disconnected: false, got }), 5000);
  });
  return { sent, connected };
};
`;

const test = base.extend<{ probeDir: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring
  probeDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-companion-probe-'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(PROBE_MANIFEST));
    await writeFile(join(dir, 'probe.js'), PROBE_SCRIPT);
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  // Both extensions in one browser: ours and the probe.
  context: async ({ userDataDir, probeDir }, use) => {
    const args = chromiumArgs().filter((arg) => !arg.startsWith('--disable-extensions-except=') && !arg.startsWith('--load-extension='));
    const both = `${EXTENSION_DIR},${probeDir}`;
    const context = await chromium.launchPersistentContext(userDataDir, {
      headless: true,
      executablePath: CHROMIUM,
      args: [...args, `--disable-extensions-except=${both}`, `--load-extension=${both}`],
    });
    await use(context);
    await context.close();
  },
});

async function workerRunning(context: BrowserContext, script: string): Promise<Worker> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const found = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://') && w.url().endsWith(`/${script}`));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no service worker ${script}`);
    await context.waitForEvent('serviceworker', { timeout: 10_000 }).catch(() => undefined);
  }
}

test('another extension gets no answer, and a web page has no way to ask', async ({ context, sandbox }) => {
  const ours = await workerRunning(context, 'background.js');
  const ourId = new URL(ours.url()).host;
  const probe = await workerRunning(context, 'probe.js');
  expect(new URL(probe.url()).host).not.toBe(ourId);

  const messages = [
    { type: 'settings/get', payload: {} },
    { type: 'settings/export', payload: {} },
    {
      type: 'settings/save',
      payload: { settings: { upcall: { baseUrl: 'https://evil.example/api' } }, secrets: { upcall: { token: 'probe-token' } } },
    },
    { type: 'campaigns/list', payload: { refresh: true } },
  ];
  const result = (await probe.evaluate(
    ([target, list]) => (globalThis as unknown as { probe(t: string, m: unknown[]): Promise<unknown> }).probe(target, list),
    [ourId, messages] as const,
  )) as { sent: { type: string; answer?: unknown; error?: string }[]; connected: { disconnected?: boolean; error?: string | null; got: unknown[] } };

  // Every message fails to reach us; the port is closed at once, with nothing on it.
  expect(result.sent.map((s) => s.type)).toEqual(messages.map((m) => m.type));
  for (const sent of result.sent) {
    expect(sent.answer, sent.type).toBeUndefined();
    expect(sent.error, sent.type).toMatch(/Receiving end does not exist|Could not establish connection/);
  }
  expect(result.connected).toMatchObject({ disconnected: true, got: [] });
  expect(result.connected.error).toMatch(/Receiving end does not exist|Could not establish connection/);

  // Nothing changed: our own options page reads the settings as they were.
  const page = await context.newPage();
  await page.goto(`chrome-extension://${ourId}/options.html?host=1`);
  const view = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/get', payload: {} }));
  expect(view).toMatchObject({ ok: true, value: { settings: { upcall: { baseUrl: 'https://api.upcall.com/api/v1' } }, secrets: { upcall: { token: '' } } } });

  // A web page, even on a site where detection runs, has no runtime to message us through.
  const web = await context.newPage();
  await web.goto(`${sandbox.url}/demo/`);
  expect(await web.evaluate(() => typeof (globalThis as { chrome?: { runtime?: unknown } }).chrome?.runtime)).toBe('undefined');
});
