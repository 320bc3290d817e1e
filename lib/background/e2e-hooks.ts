/**
 * Hooks the e2e tests reach through the service worker's globalThis, only in the e2e build
 * (`import.meta.env.MODE === 'e2e'`; production builds drop this code). A test cannot revoke a
 * required host permission from the browser's UI, so it calls the background's reaction directly.
 */
import browser from 'webextension-polyfill';
import { runContextMenuClick } from './campaign-handlers.ts';
import { useFreshConnections } from './fresh-connections.ts';

const FRESH_CONNECTIONS_OFF = 'e2e/freshConnectionsOff';
import { handlePermissionsRemoved } from './sites-handlers.ts';

export interface E2eHooks {
  handlePermissionsRemoved: typeof handlePermissionsRemoved;
  /** The right-click menu's onClicked, with the info object Chrome passes (menuItemId, selectionText, linkUrl…). */
  contextMenuClick: typeof runContextMenuClick;
  /**
   * Turns the fresh-connection rule off (or on again), so a test can show what happens where it
   * cannot act (HTTP/2, a proxy that pools connections): requests go out on reused connections and
   * the browser's re-sends happen.
   */
  setFreshConnections(on: boolean): Promise<void>;
}

declare global {
  var __crmCompanionE2e: E2eHooks | undefined;
}

export function registerE2eHooks(): void {
  if (import.meta.env.MODE !== 'e2e') return;
  globalThis.__crmCompanionE2e = {
    handlePermissionsRemoved,
    contextMenuClick: runContextMenuClick,
    async setFreshConnections(on) {
      // Kept for the browser session, so a restarted worker does not turn it back on.
      await browser.storage.session.set({ [FRESH_CONNECTIONS_OFF]: !on });
      await useFreshConnections(on);
    },
  };
}

/** Installs the fresh-connection rule at start-up, unless an e2e test turned it off. */
export async function startFreshConnections(): Promise<void> {
  if (import.meta.env.MODE === 'e2e') {
    const stored = await browser.storage.session.get(FRESH_CONNECTIONS_OFF);
    if (stored[FRESH_CONNECTIONS_OFF] === true) return;
  }
  await useFreshConnections();
}
