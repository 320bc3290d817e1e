/**
 * Helpers shared by the detection e2e tests: the default country through the real options
 * message, every frame's detection status (tabs.sendMessage to each frame, as the popup would),
 * and every button on a page, across frames and open shadow roots.
 */
import type { Page, Worker } from '@playwright/test';
import type { DetectionStatus } from '../../lib/content/lifecycle.ts';
import { HOST_TAG } from '../../lib/content/page-rules.ts';
import { expect, type ExtensionHelpers } from './fixtures.ts';

export { HOST_TAG };

/**
 * The e2e build enables the loopback hosts at install, asynchronously: a page loaded before the
 * content script is registered would never be decorated. Wait for the registration first.
 */
export async function detectionRegistered(extension: ExtensionHelpers): Promise<void> {
  await expect
    .poll(
      async () =>
        (await extension.worker()).evaluate(async () =>
          (await chrome.scripting.getRegisteredContentScripts()).some((s) => s.matches?.includes('http://127.0.0.1/*')),
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
}

export async function setDefaultCountry(extension: ExtensionHelpers, country: string): Promise<void> {
  await detectionRegistered(extension);
  const current = await extension.send<{ settings: Record<string, unknown> }>('settings/get', {});
  expect(current.ok).toBe(true);
  const saved = await extension.send<{ ok: boolean }>('settings/save', {
    settings: { ...current.value!.settings, defaultCountry: country },
    secrets: {},
  });
  expect(saved.value?.ok, JSON.stringify(saved)).toBe(true);
}

export interface FrameStatus {
  frameId: number;
  url: string;
  status: DetectionStatus | null;
}

/** The detection status of every frame of a tab that runs the content script. */
export async function frameStatuses(worker: Worker, tabId: number): Promise<FrameStatus[]> {
  return worker.evaluate(async (tab) => {
    const frames = await chrome.scripting.executeScript({ target: { tabId: tab, allFrames: true }, func: () => location.href });
    return Promise.all(
      frames.map(async (frame) => ({
        frameId: frame.frameId,
        url: String(frame.result),
        status: ((await chrome.tabs
          .sendMessage(tab, { type: 'detection/status' }, { frameId: frame.frameId })
          .catch(() => null)) ?? null) as DetectionStatus | null,
      })),
    );
  }, tabId);
}

/** Waits until every frame of `page` served from `origin` has finished detection. */
export async function waitUntilSettled(extension: ExtensionHelpers, page: Page, origin: string): Promise<FrameStatus[]> {
  const tabId = await extension.tabIdOf(page);
  let last: FrameStatus[] = [];
  await expect
    .poll(
      async () => {
        last = await frameStatuses(await extension.worker(), tabId);
        const ours = last.filter((f) => f.url.startsWith(origin));
        return ours.length > 0 && ours.every((f) => f.status?.settled === true);
      },
      { timeout: 30_000, intervals: [50, 100, 200], message: `detection did not settle: ${JSON.stringify(last)}` },
    )
    .toBe(true);
  return last;
}

export interface Decoration {
  e164: string;
  frameUrl: string;
  /** What the button sits in, for messages. */
  context: string;
  /** The nearest excluded ancestor (a field, an editor, code…), which must never be. */
  insideExcluded: string | null;
}

/** Every button in the page, in every frame, through open shadow roots. */
export async function decorationsOf(page: Page): Promise<Decoration[]> {
  const all: Decoration[] = [];
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate((tag) => {
        const excluded =
          'input, textarea, select, option, button, [contenteditable]:not([contenteditable="false"]), [role="textbox"], [role="combobox"], script, style, noscript, template, code, pre, kbd, samp, svg, [hidden]';
        const hosts: Element[] = [];
        const visit = (root: Document | ShadowRoot) => {
          for (const element of root.querySelectorAll('*')) {
            if (element.tagName === tag.toUpperCase()) hosts.push(element);
            if (element.shadowRoot) visit(element.shadowRoot);
          }
        };
        visit(document);
        return hosts.map((host) => {
          let bad: string | null = null;
          for (let node: Node | null = host.parentNode; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
            if (node.nodeType === 1 && (node as Element).matches(excluded)) {
              bad = (node as Element).outerHTML.slice(0, 120);
              break;
            }
          }
          return {
            e164: host.getAttribute('data-e164') ?? '',
            context: (host.parentElement?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80),
            insideExcluded: bad,
          };
        });
      }, HOST_TAG)
      .catch(() => []);
    for (const d of found) all.push({ ...d, frameUrl: frame.url() });
  }
  return all;
}
