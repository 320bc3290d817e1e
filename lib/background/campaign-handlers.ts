/**
 * Adding numbers to campaigns, in the background (issue 4): the campaign cache and when it is
 * refreshed (start-up, a 30-minute alarm, a settings change), Call-Em-All's opt-outs synced on
 * the same alarm, the right-click menu, single adds through the outbox (tried at once; queued
 * when the service cannot be reached) and their notifications, and the answers to the panel,
 * the popup and options.
 */
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { findCampaign, readCampaigns, type ServiceCampaigns } from '../campaigns/cache.ts';
import { contactFromDetails } from '../campaigns/contact.ts';
import { displayNumber } from '../campaigns/format.ts';
import {
  blockedResult,
  failedResult,
  outcomeResult,
  pausedResult,
  queuedResult,
  type AddTarget,
  type CampaignAddResult,
} from '../campaigns/outcome.ts';
import { refreshCampaigns, staleServices } from '../campaigns/refresh.ts';
import { localTimeInfo } from '../calling-hours.ts';
import { syncCallEmAllOptOuts } from '../dnc/optout-sync.ts';
import { describeBlock, screenNumber } from '../dnc/screen.ts';
import { describeFailure, isRetryable, isServiceError, toFailure, type Failure } from '../errors.ts';
import type { Handlers } from '../messaging.ts';
import type { CampaignAddRequest } from '../outbox/campaign-add.ts';
import { createCampaignAddExecutor } from '../outbox/campaign-add-executor.ts';
import type { Delivery } from '../outbox/delivery.ts';
import type { OutboxExecutor } from '../outbox/executors.ts';
import { discardEntry, enqueue, getEntry, getPause, listEntries } from '../outbox/store.ts';
import type { OutboxEntry } from '../outbox/types.ts';
import type { AddOutcome } from '../providers/types.ts';
import { toCallEmAllPhone } from '../providers/callemall.ts';
import type {
  CampaignListView,
  ContactField,
  ContactInput,
  ContentRequest,
  NumberCheckView,
} from '../protocol/campaigns.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import type { Settings } from '../settings.ts';
import { listSites, SITES_KEY } from '../sites.ts';
import { createBulkHandlers, resumeBulkJob } from './bulk-handlers.ts';
import { createDoNotCallHandlers } from './dnc-handlers.ts';
import {
  handleContextMenuClick,
  rebuildContextMenus,
  rememberButtonContext,
  type MenuClickHandlers,
  type MenuNumber,
} from './context-menus.ts';
import type { BackgroundEvents } from './events.ts';
import { notify } from './notifications.ts';
import { configFor } from './service-config.ts';

type CampaignHandlers = Pick<
  Handlers,
  | 'campaigns/list'
  | 'campaigns/check'
  | 'campaigns/add'
  | 'campaigns/context-number'
  | 'bulk/preview'
  | 'bulk/stage'
  | 'bulk/start'
  | 'bulk/status'
  | 'bulk/cancel'
  | 'bulk/dismiss'
  | 'dnc/list'
  | 'dnc/add'
  | 'dnc/remove'
>;

/** Campaign lists and opt-outs are read again this often (and at start-up, and on settings changes). */
export const CAMPAIGN_DATA_ALARM = 'campaign-data-refresh';
const ALARM_PERIOD_MINUTES = 30;
/** How long a single add waits for its first try before answering "queued". */
const FIRST_TRY_WAIT_MS = 20_000;
const POLL_MS = 100;

// Adds whose panel waits for the answer of their first try, by outbox entry id.
const waiting = new Map<string, (outcome: AddOutcome) => void>();

function noticeId(entryId: string): string {
  return `campaign-add:${entryId}`;
}

function targetOf(request: CampaignAddRequest): AddTarget {
  return {
    service: request.service,
    campaignName: request.campaignName,
    e164: request.contact.e164,
    extension: request.contact.extension,
  };
}

/** The outbox's executor for 'campaign-add' entries, reporting every outcome in a notification. */
export function createCampaignAddOutboxExecutor(): OutboxExecutor<'campaign-add'> {
  return createCampaignAddExecutor({
    config: (service) => configFor(service),
    async onOutcome(entry: OutboxEntry<'campaign-add'>, outcome: AddOutcome) {
      const result = outcomeResult(targetOf(entry.request), outcome);
      await notify({ id: noticeId(entry.id), title: result.title, message: result.sentence });
      waiting.get(entry.id)?.(outcome);
    },
  });
}

function isNotConfigured(error: unknown): boolean {
  return isServiceError(error) && (error.failure.kind === 'not-configured' || error.failure.kind === 'permission');
}

async function campaignName(service: CampaignServiceId, campaignId: string): Promise<string | undefined> {
  const cached = await findCampaign(service, campaignId);
  if (cached) return cached.name;
  // The list may be older than the campaign: read it once more before giving up.
  await refreshCampaigns({ config: (s) => configFor(s), now: Date.now }, [service]);
  return (await findCampaign(service, campaignId))?.name;
}

/**
 * One number to one campaign: screened first (nothing is sent for a blocked number unless the
 * user overrides it), then written to the outbox and tried at once. Answers once the first try
 * is over, or says it is queued (the outbox delivers it later and notifies the outcome).
 */
export async function addToCampaign(
  delivery: Delivery,
  input: { service: CampaignServiceId; campaignId: string; contact: ContactInput; overrideDoNotCall: boolean },
): Promise<CampaignAddResult> {
  const { service, campaignId, contact } = input;
  const name = (await campaignName(service, campaignId)) ?? `campaign ${campaignId}`;
  const target: AddTarget = { service, campaignName: name, e164: contact.e164, extension: contact.extension };
  const finish = async (result: CampaignAddResult, id?: string) => {
    await notify({ id: id ? noticeId(id) : undefined, title: result.title, message: result.sentence });
    return result;
  };

  if (service === 'callemall' && !toCallEmAllPhone(contact.e164)) {
    return finish({
      status: 'failed',
      title: `Not added to ${name}`,
      sentence: `Call-Em-All only calls US and Canadian (+1) numbers; ${displayNumber(contact.e164, contact.extension)} was not added.`,
    });
  }
  if (!input.overrideDoNotCall) {
    const screening = await screenNumber(contact.e164);
    if (screening.blocked) return finish(blockedResult(target, screening.reasons));
  }
  try {
    await configFor(service);
  } catch (error) {
    return finish(failedResult(target, toFailure(error, SERVICE_NAMES[service])));
  }

  const request: CampaignAddRequest = {
    service,
    campaignId,
    campaignName: name,
    contact,
    overrideDoNotCall: input.overrideDoNotCall,
  };
  const entry = await enqueue({ kind: 'campaign-add', request }, Date.now());
  const outcome = new Promise<AddOutcome>((resolve) => waiting.set(entry.id, resolve));
  delivery.kick();
  try {
    const settled = await firstTry(entry.id, service, outcome);
    switch (settled.kind) {
      case 'outcome':
        // The executor has notified it already.
        return outcomeResult(target, settled.outcome);
      case 'refused': {
        // The user reads why now; nothing is left to retry, so it does not linger in Activity.
        await discardEntry(entry.id, () => undefined);
        return finish(failedResult(target, settled.failure));
      }
      case 'paused':
        return finish(pausedResult(target, settled.failure, entry.id), entry.id);
      case 'queued':
        return finish(queuedResult(target, entry.id, settled.behind), entry.id);
    }
  } finally {
    waiting.delete(entry.id);
  }
}

type FirstTry =
  | { kind: 'outcome'; outcome: AddOutcome }
  | { kind: 'refused'; failure: Failure }
  | { kind: 'paused'; failure: Failure }
  | { kind: 'queued'; behind: number };

async function firstTry(id: string, service: CampaignServiceId, outcome: Promise<AddOutcome>): Promise<FirstTry> {
  let answered: AddOutcome | undefined;
  void outcome.then((value) => (answered = value));
  const deadline = Date.now() + FIRST_TRY_WAIT_MS;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (answered) return { kind: 'outcome', outcome: answered };
    const entry = await getEntry(id);
    if (!entry)
      return {
        kind: 'refused',
        failure: { kind: 'unexpected', service: SERVICE_NAMES[service], message: 'it left the outbox' },
      };
    if (entry.state === 'needs-attention' && entry.lastError) return { kind: 'refused', failure: entry.lastError };
    const pause = await getPause(service);
    if (pause && entry.state === 'queued') return { kind: 'paused', failure: pause.failure };
    if (entry.state === 'queued' && entry.attempts > 0 && entry.lastError && isRetryable(entry.lastError)) {
      return { kind: 'queued', behind: 0 };
    }
    if (Date.now() >= deadline) {
      const ahead = (await listEntries()).filter(
        (e) => e.service === service && e.seq < entry.seq && (e.state === 'queued' || e.state === 'sending'),
      );
      return { kind: 'queued', behind: ahead.length };
    }
  }
}

const VAR_FIELDS: Record<Settings['sipcaller']['varOrder'][number], { fields: ContactField[]; words: string }> = {
  first_name: { fields: ['firstName'], words: 'first name' },
  last_name: { fields: ['lastName'], words: 'last name' },
  full_name: { fields: ['firstName', 'lastName'], words: 'full name' },
  company: { fields: ['company'], words: 'company' },
  email: { fields: ['email'], words: 'email' },
};

/** What each service receives besides the number (NOTES.md; SIP Caller: its variables, in order). */
export function acceptedDetails(
  service: CampaignServiceId,
  settings: Settings,
): { fields: ContactField[]; note: string } {
  switch (service) {
    case 'upcall':
      return {
        fields: ['firstName', 'lastName', 'company', 'email'],
        note: 'Upcall receives the first and last name, company and email.',
      };
    case 'callemall':
      return {
        fields: ['firstName', 'lastName', 'company'],
        note: 'Call-Em-All receives the first and last name; the company goes in the contact’s notes.',
      };
    case 'sipcaller': {
      const order = settings.sipcaller.varOrder;
      if (order.length === 0)
        return { fields: [], note: 'SIP Caller receives the number only (no campaign variables are set in options).' };
      const fields = [...new Set(order.flatMap((v) => VAR_FIELDS[v].fields))];
      return {
        fields,
        note: `SIP Caller receives, as the campaign’s variables in this order: ${order.map((v) => VAR_FIELDS[v].words).join(', ')}.`,
      };
    }
  }
}

export async function campaignListView(refresh: boolean): Promise<CampaignListView> {
  const [cached, { settings }] = await Promise.all([
    refresh ? refreshCampaigns({ config: (s) => configFor(s), now: Date.now }) : readCampaigns(),
    loadSettings(),
  ]);
  const services = cached
    .filter((s) => s.cache.state !== 'not-configured')
    .map(({ service, cache, campaigns }) => {
      const note =
        cache.state === 'error'
          ? `Could not read the ${SERVICE_NAMES[service]} campaigns: ${describeFailure(cache.failure)}${cache.refreshedAt ? ' Showing the list read earlier.' : ''}`
          : campaigns.length === 0
            ? `${SERVICE_NAMES[service]} has no campaign that takes new numbers.`
            : undefined;
      return {
        service,
        name: SERVICE_NAMES[service],
        campaigns: campaigns.map(({ id, name, status }) => ({ id, name, status })),
        accepts: acceptedDetails(service, settings),
        ...(note ? { note } : {}),
      };
    });
  return { services, noneConfigured: services.length === 0 };
}

export async function checkNumber(e164: string, extension: string | undefined): Promise<NumberCheckView> {
  const [{ settings }, screening] = await Promise.all([loadSettings(), screenNumber(e164)]);
  const display = displayNumber(e164, extension);
  return {
    e164,
    ...(extension ? { extension } : {}),
    display,
    blocked: screening.blocked,
    reasons: screening.blocked ? screening.reasons : [],
    ...(screening.blocked ? { blockSentence: describeBlock(display, screening.reasons) } : {}),
    localTime: localTimeInfo(e164, settings, new Date()),
  };
}

let menuClick: ((info: Menus.OnClickData, tab?: Tabs.Tab) => Promise<void>) | undefined;

/**
 * Runs a right-click menu click as the browser's contextMenus.onClicked would, with the same info
 * object (the e2e hook: a test cannot click a native menu).
 */
export function runContextMenuClick(info: Menus.OnClickData, tab?: Tabs.Tab): Promise<void> {
  if (!menuClick) return Promise.reject(new Error('the campaigns background has not started'));
  return menuClick(info, tab);
}

export interface CampaignsBackground {
  handlers: CampaignHandlers;
  /** Reads the campaigns (and opt-outs) again and rebuilds the menu. */
  refreshAll(): Promise<void>;
  /** Runs a right-click menu click (the e2e hook calls it with the info Chrome passes). */
  onMenuClick(info: Menus.OnClickData, tab?: Tabs.Tab): Promise<void>;
}

/**
 * Registers the listeners (call once, synchronously, when the worker starts) and answers the
 * campaign messages. `delivery` is the outbox's (lib/background/outbox-handlers.ts).
 */
export function startCampaigns(
  events: BackgroundEvents,
  outbox: { delivery: Delivery; sweep?: { kick(): void } },
): CampaignsBackground {
  const refreshDeps = { config: (service: CampaignServiceId) => configFor(service), now: Date.now };

  const rebuildMenu = async (cached?: ServiceCampaigns[]) =>
    rebuildContextMenus(cached ?? (await readCampaigns()), await listSites()).catch((error: unknown) =>
      console.error('[campaigns] could not build the right-click menu', error),
    );

  const syncOptOuts = async (full = false) => {
    try {
      const config = await configFor('callemall');
      await syncCallEmAllOptOuts(config, { now: Date.now(), full });
    } catch (error) {
      // Not configured: nothing to sync; the last list (if any) stays in force.
      if (!isNotConfigured(error)) console.error('[campaigns] opt-out sync failed', error);
    }
  };

  const refreshAll = async (fullOptOuts = false) => {
    const [cached] = await Promise.all([refreshCampaigns(refreshDeps), syncOptOuts(fullOptOuts)]);
    await rebuildMenu(cached);
  };

  const menuHandlers: MenuClickHandlers = {
    defaultCountry: async () => (await loadSettings()).settings.defaultCountry,
    async explain(sentence) {
      await notify({ title: 'Nothing was sent', message: sentence });
    },
    async onCampaign(number, target, tab) {
      if (tab.id !== undefined && (await openPanelInTab(tab.id, tab.frameId, number, target))) return;
      if (!target.campaignId) {
        await notify({
          title: 'Choose a campaign on the page',
          message: `Use the button next to ${displayNumber(number.e164, number.extension)} on a page where detection is on to see every ${SERVICE_NAMES[target.service]} campaign.`,
        });
        return;
      }
      // No panel on this page (detection is off here): add it as chosen, screened as always.
      await addToCampaign(outbox.delivery, {
        service: target.service,
        campaignId: target.campaignId,
        contact: contactFromDetails(number.e164, number.extension, number.details),
        overrideDoNotCall: false,
      });
    },
  };
  const bulkDeps = { refreshOptOuts: () => syncOptOuts(false), checkForCopies: () => outbox.sweep?.kick() };
  const onMenuClick = (info: Menus.OnClickData, tab?: Tabs.Tab) => handleContextMenuClick(info, tab, menuHandlers);
  menuClick = onMenuClick;

  browser.contextMenus.onClicked.addListener((info, tab) => {
    void onMenuClick(info, tab).catch((error: unknown) => console.error('[campaigns] menu click failed', error));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CAMPAIGN_DATA_ALARM) void refreshAll();
  });
  browser.runtime.onInstalled.addListener(() => void refreshAll(true));
  browser.runtime.onStartup.addListener(() => void refreshAll());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SITES_KEY in changes) void rebuildMenu();
  });
  events.onSettingsChanged(async () => {
    await refreshAll(true);
  });

  // Every worker start: make sure the alarm exists, the menu matches the cache, stale lists are
  // read again, and a bulk job the previous worker left running goes on.
  void (async () => {
    const existing = await browser.alarms.get(CAMPAIGN_DATA_ALARM);
    if (!existing)
      await browser.alarms.create(CAMPAIGN_DATA_ALARM, {
        periodInMinutes: ALARM_PERIOD_MINUTES,
        delayInMinutes: ALARM_PERIOD_MINUTES,
      });
    const cached = await readCampaigns();
    const stale = staleServices(cached, Date.now());
    await rebuildMenu(stale.length > 0 ? await refreshCampaigns(refreshDeps, stale) : cached);
    await resumeBulkJob(bulkDeps.checkForCopies);
  })().catch((error: unknown) => console.error('[campaigns] start-up failed', error));

  return {
    refreshAll: () => refreshAll(),
    onMenuClick,
    handlers: {
      'campaigns/list': ({ refresh }) => campaignListView(refresh === true),
      'campaigns/check': ({ e164, extension }) => checkNumber(e164, extension),
      'campaigns/add': (input) =>
        addToCampaign(outbox.delivery, { ...input, overrideDoNotCall: input.overrideDoNotCall === true }),
      'campaigns/context-number': ({ e164, extension, details }, context) => {
        if (context.tabId !== undefined)
          rememberButtonContext(context.tabId, context.frameId, { e164, extension, details });
        return { ok: true };
      },
      ...createBulkHandlers(bulkDeps),
      ...createDoNotCallHandlers(),
    },
  };
}

/** Asks the tab's content script to open the "Add to campaign" panel on the number. */
async function openPanelInTab(
  tabId: number,
  frameId: number | undefined,
  number: MenuNumber,
  target: { service: CampaignServiceId; campaignId?: string },
): Promise<boolean> {
  const message: ContentRequest = {
    type: 'campaigns/open-panel',
    e164: number.e164,
    ...(number.extension ? { extension: number.extension } : {}),
    service: target.service,
    ...(target.campaignId ? { campaignId: target.campaignId } : {}),
  };
  try {
    const answer = (await browser.tabs.sendMessage(tabId, message, frameId === undefined ? {} : { frameId })) as
      { opened?: boolean } | undefined;
    return answer?.opened === true;
  } catch {
    // No content script in that tab or frame (detection is not on there).
    return false;
  }
}
