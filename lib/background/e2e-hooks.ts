/**
 * Hooks the e2e tests reach through the service worker's globalThis, only in the e2e build
 * (`import.meta.env.MODE === 'e2e'`; production builds drop this code). A test cannot revoke a
 * required host permission from the browser's UI, so it calls the background's reaction directly.
 */
import { runContextMenuClick } from './campaign-handlers.ts';
import { handlePermissionsRemoved } from './sites-handlers.ts';

export interface E2eHooks {
  handlePermissionsRemoved: typeof handlePermissionsRemoved;
  /** The right-click menu's onClicked, with the info object Chrome passes (menuItemId, selectionText, linkUrl…). */
  contextMenuClick: typeof runContextMenuClick;
}

declare global {
  var __crmCompanionE2e: E2eHooks | undefined;
}

export function registerE2eHooks(): void {
  if (import.meta.env.MODE !== 'e2e') return;
  globalThis.__crmCompanionE2e = { handlePermissionsRemoved, contextMenuClick: runContextMenuClick };
}
