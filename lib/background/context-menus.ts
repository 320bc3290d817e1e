/**
 * The right-click menu (issue 4): on selected text, on `tel:` links and on the number buttons of
 * enabled sites, "Add to campaign" ▸ one submenu per service with credentials ▸ its campaigns,
 * then "Click-to-call via Multisender" and "Log a call". Campaigns come from the cache
 * (lib/campaigns/cache.ts); the menu is rebuilt whenever the cache or the enabled sites change.
 *
 * Number buttons live in shadow roots, which the browser reports as the plain "page" context, so
 * the content script tells the background which button was right-clicked
 * (`campaigns/context-number`) and a second copy of the items, for the "page" context, is shown
 * only on enabled sites.
 */
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import type { ServiceCampaigns } from '../campaigns/cache.ts';
import type { CountryCode } from 'libphonenumber-js/min';
import { readOneNumber } from '../campaigns/read-number.ts';
import { parseTelHref } from '../phone/find-numbers.ts';
import { rememberNumberUsed, type NumberAction } from '../log-call/number-memory.ts';
import type { ContactDetails } from '../protocol/content.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import { sitePattern } from '../sites.ts';
import { recordLastNumber } from './content-handlers.ts';

/** A number the right-click menu acts on. */
export interface MenuNumber {
  /** E.164 without the extension. */
  e164: string;
  extension?: string;
  /** Read from the page around a number button; empty for a selection or a link. */
  details: ContactDetails;
  /** Where it came from. */
  source: 'selection' | 'link' | 'button';
}

export type ContextMenuAction = 'click-to-call' | 'log-call';
/** What a menu item does with its number; `tabId` is the tab it was chosen in. */
export type ContextMenuRoute = (number: MenuNumber, tabId: number | undefined) => Promise<void>;

/** Campaigns per service shown in the menu; more are chosen in the page's panel. */
export const MENU_CAMPAIGNS_MAX = 25;
/** A right-click on a button is remembered this long (the menu may stay open a while). */
const BUTTON_CONTEXT_MS = 120_000;
const PAGE_PREFIX = 'p:';

const ROOT_ID = 'add-to-campaign';
const CLICK_TO_CALL_ID = 'click-to-call';
const LOG_CALL_ID = 'log-call';
const SETUP_ID = 'set-up-campaigns';

interface ButtonContext {
  number: MenuNumber;
  frameId?: number;
  at: number;
}

const buttonContexts = new Map<number, ButtonContext>();

/** The content script reports the number button a right-click landed on. */
export function rememberButtonContext(
  tabId: number,
  frameId: number | undefined,
  number: Omit<MenuNumber, 'source'>,
  now = Date.now(),
): void {
  buttonContexts.set(tabId, { number: { ...number, source: 'button' }, frameId, at: now });
}

// ---------------------------------------------------------------------------------------------
// Routes: what "Click-to-call via Multisender" and "Log a call" do. Issue 5 replaces the
// click-to-call route with its own (setContextMenuRoute).

/** Remembers the number for the popup's forms and opens the popup on `view`; says how it opened. */
export async function rememberAndOpen(
  number: MenuNumber,
  tabId: number | undefined,
  action: NumberAction,
  view: string,
): Promise<'popup' | 'window' | 'none'> {
  const dataE164 = number.extension ? `${number.e164};ext=${number.extension}` : number.e164;
  const at = Date.now();
  await recordLastNumber(
    {
      action: action === 'log-call' ? 'log-call' : 'click-to-call',
      e164: number.e164,
      ...(number.extension ? { extension: number.extension } : {}),
      details: number.details,
    },
    at,
  );
  await rememberNumberUsed({ e164: dataE164, action, at });
  return openPopup(tabId, view);
}

/**
 * Default "Click-to-call via Multisender": remembers the number as the last one used
 * (`lastNumber` in IndexedDB `meta`) and opens the popup on it.
 */
export function requestClickToCall(number: MenuNumber, tabId: number | undefined): Promise<void> {
  return routes['click-to-call'](number, tabId);
}

/** "Log a call": remembers the number (the form is prefilled with it) and opens the popup's form. */
export function requestLogCall(number: MenuNumber, tabId: number | undefined): Promise<void> {
  return routes['log-call'](number, tabId);
}

const routes: Record<ContextMenuAction, ContextMenuRoute> = {
  'click-to-call': async (number, tabId) => {
    await rememberAndOpen(number, tabId, 'click-to-call', 'click-to-call');
  },
  'log-call': async (number, tabId) => {
    await rememberAndOpen(number, tabId, 'log-call', 'log');
  },
};

/** Replaces what a menu item does (issue 5 routes click-to-call to its confirmation). */
export function setContextMenuRoute(action: ContextMenuAction, route: ContextMenuRoute): void {
  routes[action] = route;
}

/** Opens the popup (acting on `tabId`), or the same page in a small window where it cannot. */
export async function openPopup(tabId: number | undefined, view?: string): Promise<'popup' | 'window' | 'none'> {
  try {
    await browser.action.openPopup();
    return 'popup';
  } catch {
    // Chrome opens the popup only for a focused normal window; Firefox only on a user action.
  }
  const query = new URLSearchParams();
  if (tabId !== undefined) query.set('tab', String(tabId));
  if (view) query.set('view', view);
  try {
    await browser.windows.create({
      url: browser.runtime.getURL(`/popup.html?${query}`),
      type: 'popup',
      width: 440,
      height: 640,
    });
    return 'window';
  } catch (error) {
    console.warn('[context-menus] could not open the popup', error);
    return 'none';
  }
}

// ---------------------------------------------------------------------------------------------
// Building the menu.

export interface MenuItem {
  id: string;
  parentId?: string;
  title: string;
  enabled?: boolean;
}

/** Chrome puts the selection where a title says "%s"; a campaign name must never do that. */
function menuTitle(text: string): string {
  return text.replace(/%s/g, '%\u200bs');
}

/** The items, in order, for one set of contexts (pure, for tests). */
export function menuItems(cached: readonly ServiceCampaigns[], prefix = ''): MenuItem[] {
  const items: MenuItem[] = [{ id: prefix + ROOT_ID, title: 'Add to campaign' }];
  const configured = cached.filter((s) => s.cache.state !== 'not-configured');
  if (configured.length === 0) {
    items.push({
      id: prefix + SETUP_ID,
      parentId: prefix + ROOT_ID,
      title: 'Set up Upcall, SIP Caller or Call-Em-All in options…',
    });
  }
  for (const { service, campaigns } of configured) {
    const serviceId = `${prefix}service|${service}`;
    items.push({ id: serviceId, parentId: prefix + ROOT_ID, title: SERVICE_NAMES[service] });
    if (campaigns.length === 0) {
      items.push({
        id: `${prefix}none|${service}`,
        parentId: serviceId,
        title: 'No campaigns to add to',
        enabled: false,
      });
      continue;
    }
    for (const campaign of campaigns.slice(0, MENU_CAMPAIGNS_MAX)) {
      // Upcall offers ready and pending campaigns: the status tells them apart.
      const status = service === 'upcall' && campaign.status !== 'ready' ? ` (${campaign.status})` : '';
      items.push({
        id: `${prefix}campaign|${service}|${campaign.id}`,
        parentId: serviceId,
        title: menuTitle(`${campaign.name}${status}`),
      });
    }
    if (campaigns.length > MENU_CAMPAIGNS_MAX) {
      items.push({
        id: `${prefix}more|${service}`,
        parentId: serviceId,
        title: `All ${campaigns.length} ${SERVICE_NAMES[service]} campaigns…`,
      });
    }
  }
  items.push({ id: prefix + CLICK_TO_CALL_ID, title: 'Click-to-call via Multisender' });
  items.push({ id: prefix + LOG_CALL_ID, title: 'Log a call' });
  return items;
}

function create(properties: Menus.CreateCreatePropertiesType): Promise<void> {
  return new Promise((resolve, reject) => {
    browser.contextMenus.create(properties, () => {
      const error = browser.runtime.lastError;
      if (error) reject(new Error(error.message));
      else resolve();
    });
  });
}

let building: Promise<void> = Promise.resolve();
let telLinksUnsupported = false;

/**
 * Rebuilds the whole menu. Serialised: two rebuilds racing would create the same ids twice.
 * `sites` are the enabled sites ("https://crm.example.com"), where the number buttons are.
 */
export function rebuildContextMenus(cached: readonly ServiceCampaigns[], sites: readonly string[]): Promise<void> {
  const run = building.then(async () => {
    await browser.contextMenus.removeAll();
    for (const item of menuItems(cached)) {
      const properties = { id: item.id, parentId: item.parentId, title: item.title, enabled: item.enabled };
      if (!telLinksUnsupported) {
        try {
          // Selections anywhere; on links, only tel: links.
          await create({ ...properties, contexts: ['selection', 'link'], targetUrlPatterns: ['tel:*'] });
          continue;
        } catch (error) {
          // Firefox's match patterns have no tel: scheme. Offer selections only there: a tel:
          // link on an enabled site has its number button, and the "page" items below.
          if (item.parentId !== undefined) throw error;
          telLinksUnsupported = true;
          console.warn('[context-menus] tel: link patterns are not supported here; selections only', error);
        }
      }
      await create({ ...properties, contexts: ['selection'] });
    }
    if (sites.length === 0) return;
    for (const item of menuItems(cached, PAGE_PREFIX)) {
      await create({
        id: item.id,
        parentId: item.parentId,
        title: item.title,
        enabled: item.enabled,
        contexts: ['page'],
        documentUrlPatterns: sites.map(sitePattern),
      });
    }
  });
  building = run.catch((error: unknown) => console.error('[context-menus] could not build the menu', error));
  return run;
}

// ---------------------------------------------------------------------------------------------
// Clicks.

export type ParsedMenuItem =
  | { kind: 'campaign'; service: CampaignServiceId; campaignId: string }
  | { kind: 'more'; service: CampaignServiceId }
  | { kind: 'click-to-call' }
  | { kind: 'log-call' }
  | { kind: 'setup' }
  | { kind: 'other' };

const CAMPAIGN_SERVICES = new Set<string>(['upcall', 'sipcaller', 'callemall']);

export function parseMenuItemId(raw: string | number): ParsedMenuItem {
  const id = String(raw).startsWith(PAGE_PREFIX) ? String(raw).slice(PAGE_PREFIX.length) : String(raw);
  const [kind, service, ...rest] = id.split('|');
  if (kind === 'campaign' && service && CAMPAIGN_SERVICES.has(service) && rest.length > 0) {
    return { kind: 'campaign', service: service as CampaignServiceId, campaignId: rest.join('|') };
  }
  if (kind === 'more' && service && CAMPAIGN_SERVICES.has(service))
    return { kind: 'more', service: service as CampaignServiceId };
  if (id === CLICK_TO_CALL_ID) return { kind: 'click-to-call' };
  if (id === LOG_CALL_ID) return { kind: 'log-call' };
  if (id === SETUP_ID) return { kind: 'setup' };
  return { kind: 'other' };
}

export type ResolvedNumber = { ok: true; number: MenuNumber; frameId?: number } | { ok: false; sentence: string };

/**
 * The number a click is about: a `tel:` link, else the selected text (read with the default
 * country), else the number button right-clicked in that tab. Text that is not a valid number
 * gets a sentence, never a request.
 */
export function resolveMenuNumber(
  info: Menus.OnClickData,
  tabId: number | undefined,
  defaultCountry: string,
  now = Date.now(),
): ResolvedNumber {
  const fromButton = tabId === undefined ? undefined : buttonContexts.get(tabId);
  const recentButton = fromButton && now - fromButton.at <= BUTTON_CONTEXT_MS ? fromButton : undefined;
  const withDetails = (number: MenuNumber): ResolvedNumber => {
    // The same number as the right-clicked button: take the details read around it.
    if (recentButton && recentButton.number.e164 === number.e164) {
      return { ok: true, number: { ...number, details: recentButton.number.details }, frameId: recentButton.frameId };
    }
    return { ok: true, number, frameId: info.frameId };
  };

  if (info.linkUrl?.toLowerCase().startsWith('tel:')) {
    const parsed = parseTelHref(info.linkUrl, defaultCountry as CountryCode);
    if (!parsed) return { ok: false, sentence: `The link ${quote(info.linkUrl)} does not hold a valid phone number.` };
    return withDetails({ e164: parsed.e164, extension: parsed.extension, details: {}, source: 'link' });
  }
  const selection = info.selectionText?.trim();
  if (selection) {
    const read = readOneNumber(selection, defaultCountry);
    if (!read.ok && read.reason === 'several') {
      return {
        ok: false,
        sentence: `${quote(selection)} holds ${read.count} phone numbers. Select just one and try again.`,
      };
    }
    if (!read.ok) {
      return {
        ok: false,
        sentence: `${quote(selection)} is not a phone number. Select just the number (with its country code if it is not a ${defaultCountry} number) and try again.`,
      };
    }
    return withDetails({ e164: read.e164, extension: read.extension, details: {}, source: 'selection' });
  }
  if (recentButton) return { ok: true, number: recentButton.number, frameId: recentButton.frameId };
  return { ok: false, sentence: 'Select a phone number, or right-click a number’s button, then choose this again.' };
}

function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return `“${short}”`;
}

/** What the background does with a click once the number is known (campaign-handlers.ts). */
export interface MenuClickHandlers {
  defaultCountry(): Promise<string>;
  onCampaign(
    number: MenuNumber,
    target: { service: CampaignServiceId; campaignId?: string },
    tab: { id?: number; frameId?: number },
  ): Promise<void>;
  /** Tells the user why nothing happened. */
  explain(sentence: string): Promise<void>;
}

/** The browser's contextMenus.onClicked, with the same info object (the e2e hook calls it too). */
export async function handleContextMenuClick(
  info: Menus.OnClickData,
  tab: Tabs.Tab | undefined,
  handlers: MenuClickHandlers,
): Promise<void> {
  const item = parseMenuItemId(info.menuItemId);
  if (item.kind === 'other') return;
  if (item.kind === 'setup') {
    await browser.runtime.openOptionsPage();
    return;
  }
  const resolved = resolveMenuNumber(info, tab?.id, await handlers.defaultCountry());
  if (!resolved.ok) {
    await handlers.explain(resolved.sentence);
    return;
  }
  switch (item.kind) {
    case 'campaign':
      await handlers.onCampaign(resolved.number, item, { id: tab?.id, frameId: resolved.frameId });
      return;
    case 'more':
      await handlers.onCampaign(resolved.number, { service: item.service }, { id: tab?.id, frameId: resolved.frameId });
      return;
    case 'click-to-call':
      await requestClickToCall(resolved.number, tab?.id);
      return;
    case 'log-call':
      await requestLogCall(resolved.number, tab?.id);
      return;
  }
}
