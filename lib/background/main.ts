/**
 * The background service worker: owns secrets, providers, caches and the outbox. Every listener
 * is registered synchronously when the worker starts (MV3 workers are woken by events).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { createRouter, type Handlers } from '../messaging.ts';
import { enableSite, isSiteEnabled, syncRegistration } from '../sites.ts';
import { startCampaigns } from './campaign-handlers.ts';
import { startClickToCall } from './click-to-call-handlers.ts';
import { createContentHandlers } from './content-handlers.ts';
import { registerE2eHooks, startFreshConnections } from './e2e-hooks.ts';
import { BackgroundEvents } from './events.ts';
import { startOutbox } from './outbox-handlers.ts';
import { createSettingsHandlers } from './settings-handlers.ts';
import { createSitesHandlers, handlePermissionsRemoved } from './sites-handlers.ts';

export interface BackgroundOptions {
  /** Sites enabled at install (the e2e build's loopback hosts). */
  sitesAtInstall?: string[];
}

export function startBackground(options: BackgroundOptions = {}): { events: BackgroundEvents; handlers: Handlers } {
  const events = new BackgroundEvents();
  void startFreshConnections();
  const outbox = startOutbox(events);
  const clickToCall = startClickToCall(outbox.sweep);
  const campaigns = startCampaigns(events, outbox);
  const handlers: Handlers = {
    ...createSettingsHandlers(events),
    ...createSitesHandlers(),
    ...outbox.handlers,
    ...createContentHandlers(),
    ...clickToCall.handlers,
    ...campaigns.handlers,
  };
  const router = createRouter(handlers, {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/').replace(/\/$/, ''),
    isSiteEnabled,
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => router(message, sender));

  browser.runtime.onInstalled.addListener(() => {
    void (async () => {
      for (const site of options.sitesAtInstall ?? []) {
        await enableSite(site).catch((error: unknown) => console.error(`[sites] could not enable ${site}`, error));
      }
      await syncRegistration().catch((error: unknown) => console.error('[sites] could not register detection', error));
    })();
  });
  browser.runtime.onStartup.addListener(() => {
    void syncRegistration();
  });
  browser.permissions.onRemoved.addListener((removed) => {
    void handlePermissionsRemoved(removed.origins ?? []);
  });
  registerE2eHooks();
  return { events, handlers };
}
