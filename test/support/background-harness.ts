/**
 * The real background (lib/background/main.ts) started on WXT's fake browser, for unit tests that
 * must go through exactly what the service worker registers: its router on runtime.onMessage and
 * its real handler set. The few browser APIs the fake does not implement are stubbed, and every
 * effect that leaves the background (a message to a tab, a notification, a window, a script
 * injected, a permission removed) is recorded with its arguments.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '../../lib/background/main.ts';
import type { MessageSenderLike } from '../../lib/messaging.ts';

/** The fake browser's own id and extension origin (what startBackground reads). */
export const TEST_EXTENSION_ID = 'test-extension-id';
export const TEST_EXTENSION_ORIGIN = `chrome-extension://${TEST_EXTENSION_ID}`;

export interface RecordedEffect {
  api: string;
  args: unknown[];
}

export interface TestBackground {
  /** Delivers a runtime message as the browser does: to every onMessage listener; answers the reply. */
  send(message: unknown, sender: MessageSenderLike): Promise<unknown>;
  /** Effects outside the background, in order. */
  effects: RecordedEffect[];
}

export interface HarnessOptions {
  /** Whether the browser grants a host permission pattern ("https://crm.example.com/*"). */
  granted(pattern: string): boolean;
  /** Content script registrations the browser reports. */
  registered?: { id: string; matches: string[]; js: string[] }[];
}

export function stubBrowser(options: HarnessOptions, effects: RecordedEffect[]): void {
  const b = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
  const record =
    (api: string, answer: (...args: unknown[]) => unknown = () => undefined) =>
    (...args: unknown[]) => {
      effects.push({ api, args });
      return Promise.resolve(answer(...args));
    };
  const noopEvent = { addListener() {}, removeListener() {}, hasListener: () => false };
  b.permissions!.contains = async ({ origins }: { origins?: string[] }) => (origins ?? []).every((o) => options.granted(o));
  b.permissions!.onAdded = noopEvent;
  b.permissions!.onRemoved = noopEvent;
  b.permissions!.remove = record('permissions.remove');
  b.permissions!.request = record('permissions.request');
  b.contextMenus!.create = (_props: unknown, callback?: () => void) => {
    callback?.();
    return 'id';
  };
  b.contextMenus!.removeAll = async () => undefined;
  b.contextMenus!.onClicked = noopEvent;
  b.scripting!.getRegisteredContentScripts = async () => options.registered ?? [];
  b.scripting!.registerContentScripts = record('scripting.registerContentScripts');
  b.scripting!.updateContentScripts = async () => undefined;
  b.scripting!.unregisterContentScripts = record('scripting.unregisterContentScripts');
  b.scripting!.executeScript = record('scripting.executeScript', () => []);
  b.tabs!.sendMessage = record('tabs.sendMessage');
  b.tabs!.create = record('tabs.create', () => ({ id: 99 }));
  b.windows!.create = record('windows.create', () => ({ id: 98 }));
  b.notifications!.create = record('notifications.create', (id) => id);
  b.runtime!.openOptionsPage = record('runtime.openOptionsPage');
  b.action!.openPopup = record('action.openPopup');
  b.runtime!.getPlatformInfo = async () => ({ os: 'linux' });
  b.declarativeNetRequest ??= {};
  b.declarativeNetRequest.updateSessionRules = record('declarativeNetRequest.updateSessionRules');
}

/** Stubs the browser, starts the background as the worker does, and answers a way to message it. */
export function startTestBackground(options: HarnessOptions): TestBackground {
  const effects: RecordedEffect[] = [];
  stubBrowser(options, effects);
  startBackground();
  return {
    effects,
    async send(message, sender) {
      // The third argument (sendResponse) is unused: the listener answers with its promise.
      const results = await fakeBrowser.runtime.onMessage.trigger(message, sender as never, () => undefined);
      if (results.length !== 1) throw new Error(`expected one onMessage listener, found ${results.length}`);
      return results[0];
    },
  };
}
