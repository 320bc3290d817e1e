/**
 * The outbox in the background: delivery and its wake-ups (start-up, install, the alarm, each
 * enqueue, a user's retry), the toolbar badge, resuming a paused service when its credentials
 * change, and the answers to the Log a call form and the Activity tab.
 */
import browser from 'webextension-polyfill';
import type { Handlers } from '../messaging.ts';
import { contactPageUrl } from '../log-call/contact-page.ts';
import {
  readLastNumberUsed,
  readNumberMemory,
  rememberLoggedCall,
  rememberNumberUsed,
  calledViaFromMemory,
} from '../log-call/number-memory.ts';
import { parsePhone } from '../log-call/phone.ts';
import { choosePrefill } from '../log-call/prefill.ts';
import { validateCallDraft } from '../log-call/validate.ts';
import { duplicateRemovers } from '../duplicates/removers.ts';
import { describeAbandoned, describeRemoval } from '../duplicates/describe.ts';
import { countChecks, getCheck, listAbandonedChecks, listRemovals } from '../duplicates/store.ts';
import type { RemovalRecord } from '../duplicates/types.ts';
import { createSweep, type Sweep } from '../duplicates/sweep.ts';
import { badgeView, showBadge } from '../outbox/badge.ts';
import { createCrmCallExecutor } from '../outbox/crm-call-executor.ts';
import { createDelivery, type Delivery } from '../outbox/delivery.ts';
import { kindDefinition } from '../outbox/kinds.ts';
import {
  applyEdit,
  discardBlocker,
  editBlocker,
  isPending,
  reconcileBlocked,
  retryNow,
  sendAnyway,
} from '../outbox/state.ts';
import { services } from '../providers/index.ts';
import {
  clearPause,
  countEntries,
  renewCredentials,
  discardEntry,
  enqueue,
  getEntry,
  listEntries,
  listHistory,
  listPauses,
  servicesWithPending,
  updateEntry,
} from '../outbox/store.ts';
import type { OutboxEntry, ServicePause } from '../outbox/types.ts';
import type { OutboxEntryView } from '../protocol/outbox.ts';
import type { ServiceId } from '../services.ts';
import { loadSettings } from '../settings-storage.ts';
import type { Settings } from '../settings.ts';
import type { BackgroundEvents, SettingsChange } from './events.ts';
import { createCampaignAddOutboxExecutor } from './campaign-handlers.ts';
import { openPopup } from './context-menus.ts';
import { configFor } from './service-config.ts';

type OutboxHandlers = Pick<
  Handlers,
  | 'log-call/save'
  | 'log-call/prefill'
  | 'log-call/number-memory'
  | 'log-call/start'
  | 'outbox/list'
  | 'outbox/kick'
  | 'outbox/retry'
  | 'outbox/edit'
  | 'outbox/discard'
  | 'outbox/send-anyway'
  | 'outbox/history'
>;

/** The alarm that wakes a stopped worker while entries wait (30 s: Chrome's minimum period). */
export const OUTBOX_ALARM = 'outbox-delivery';
const ALARM_PERIOD_MINUTES = 0.5;
/** Delivered entries stay in Activity this long, so a user sees the note they just saved go. */
const SENT_SHOWN_MS = 10 * 60_000;

export interface OutboxBackground {
  handlers: OutboxHandlers;
  delivery: Delivery;
  /** Looks for copies of what was written (outbox deliveries, bulk adds, click-to-calls). */
  sweep: Sweep;
  /** Brings the badge and the alarm up to date (debounced). */
  refresh(): void;
}

/**
 * Starts delivery and registers its listeners; call once, synchronously, when the worker starts
 * (MV3 workers are woken by events and must find their listeners registered at once).
 */
export function startOutbox(events: BackgroundEvents): OutboxBackground {
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void syncBadgeAndAlarm().catch((error: unknown) => console.error('[outbox] badge or alarm update failed', error));
    }, 100);
  };

  const sweep = createSweep({ removers: duplicateRemovers, config: (service) => configFor(service), onChange: refresh });
  const delivery = createDelivery({
    executors: {
      'crm-call': createCrmCallExecutor({ config: () => configFor('crm') }),
      'campaign-add': createCampaignAddOutboxExecutor(),
    },
    settingsFingerprint,
    onChange: refresh,
    onSent: () => sweep.kick(),
    async probe(service, signal) {
      const config = await configFor(service);
      await services[service].testConnection(config as never, signal);
    },
  });
  const wakeAll = () => {
    delivery.kick();
    sweep.kick();
  };

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) wakeAll();
  });
  browser.runtime.onInstalled.addListener(wakeAll);
  browser.runtime.onStartup.addListener(wakeAll);
  browser.permissions.onAdded.addListener(() => {
    void resumePaused((pause) => pause.failure.kind === 'permission').then(() => delivery.kick());
  });
  events.onSettingsChanged(async (change) => {
    // Saving a service's credentials, even the same ones, lifts its pause and outdates any 401
    // still on its way for the old ones.
    await renewCredentials(change.secretsSaved ?? change.secretsChanged);
    await resumeAfterSettingsChange(change);
    delivery.kick();
  });
  events.onCredentialsVerified(async (service) => {
    await renewCredentials([service]);
    delivery.kick();
  });

  // Every worker start is a start-up for the outbox: the previous worker may have been stopped
  // in the middle of a try, and nothing else may wake delivery for a while.
  wakeAll();
  refresh();

  return { handlers: createOutboxHandlers(delivery, refresh, sweep), delivery, sweep, refresh };
}

async function syncBadgeAndAlarm(): Promise<void> {
  const [counts, pauses, pending, checks] = await Promise.all([
    countEntries(),
    listPauses(),
    servicesWithPending(),
    countChecks(),
  ]);
  await showBadge(badgeView(counts, pauses));
  const paused = new Set(pauses.map((pause) => pause.service));
  // The alarm also wakes a stopped worker for the duplicate checks still to run.
  const waiting = pending.some((service) => !paused.has(service)) || checks > 0;
  const existing = await browser.alarms.get(OUTBOX_ALARM);
  if (waiting && !existing) {
    await browser.alarms.create(OUTBOX_ALARM, { periodInMinutes: ALARM_PERIOD_MINUTES, delayInMinutes: ALARM_PERIOD_MINUTES });
  } else if (!waiting && existing) {
    await browser.alarms.clear(OUTBOX_ALARM);
  }
}

/** The service's non-secret settings (the CRM user ID is one of its credentials). */
function fingerprint(settings: Settings, service: ServiceId): string {
  return JSON.stringify(settings[service]);
}

/** What a pause remembers of the service's settings, to lift it when they change. */
export async function settingsFingerprint(service: ServiceId): Promise<string> {
  return fingerprint((await loadSettings()).settings, service);
}

/**
 * Lifts the pauses a settings save may have fixed: a 401 pause when the service's secrets or its
 * settings changed; a pause for missing credentials or a missing permission on any save (that is
 * when options grants it). Returns the services resumed.
 */
export async function resumeAfterSettingsChange(change: SettingsChange): Promise<ServiceId[]> {
  return resumePaused((pause) => credentialsChanged(pause, change));
}

function credentialsChanged(pause: ServicePause, change: SettingsChange): boolean {
  if (pause.failure.kind !== 'auth') return true;
  return change.secretsChanged.includes(pause.service) || fingerprint(change.settings, pause.service) !== pause.settingsFingerprint;
}

async function resumePaused(shouldResume: (pause: ServicePause) => boolean): Promise<ServiceId[]> {
  const resumed: ServiceId[] = [];
  for (const pause of await listPauses()) {
    if (shouldResume(pause) && (await clearPause(pause.service))) resumed.push(pause.service);
  }
  return resumed;
}

function draftContext(settings: Settings) {
  return { defaultCountry: settings.defaultCountry, contactPagePattern: settings.crm.contactPagePattern, now: Date.now() };
}

export function createOutboxHandlers(delivery: Delivery, refresh: () => void, sweep?: Sweep): OutboxHandlers {
  const wake = () => {
    delivery.kick();
    sweep?.kick();
    refresh();
  };

  function view(
    entry: OutboxEntry,
    paused: ReadonlySet<ServiceId>,
    removals: readonly RemovalRecord[],
    checkPending: boolean,
  ): OutboxEntryView {
    const definition = kindDefinition(entry.kind);
    const inFlight = delivery.isInFlight(entry.id);
    return {
      id: entry.id,
      kind: entry.kind,
      service: entry.service,
      state: entry.state,
      ...definition.summarise(entry.request),
      request: entry.request,
      attempts: entry.attempts,
      createdAt: entry.createdAt,
      nextAttemptAt: entry.nextAttemptAt,
      lastError: entry.lastError,
      sentAt: entry.sentAt,
      paused: isPending(entry) && paused.has(entry.service),
      inFlight,
      unconfirmed: entry.unconfirmed,
      reconcileBlocked: reconcileBlocked(entry),
      setAside: entry.state === 'needs-attention' ? entry.setAside : undefined,
      editBlocker: editBlocker(entry, inFlight),
      duplicatesRemoved: removals
        .filter((removal) => removal.source.kind === 'outbox' && removal.source.id === entry.id)
        .map(describeRemoval),
      duplicateCheckPending: checkPending,
    };
  }

  return {
    'log-call/save': async ({ draft, id }) => {
      const { settings } = await loadSettings();
      const checked = validateCallDraft(draft, draftContext(settings));
      if (!checked.ok) return { ok: false, errors: checked.errors };
      // The same form saved again: its first save did commit (only the answer was lost).
      if (id !== undefined && (await getEntry(id))) return { ok: true, id };
      const now = Date.now();
      const e164 = parsePhone(draft.phoneNumber, settings.defaultCountry)?.e164;
      try {
        // Resolves after the strict commit: only then does the popup say "Saved".
        const entry = await enqueue({ kind: 'crm-call', request: checked.request, id }, now, async (tx) => {
          if (e164) await rememberLoggedCall(tx, e164, checked.request, now);
        });
        wake();
        return { ok: true, id: entry.id };
      } catch (error) {
        // Two saves of one form raced: the other one committed it.
        if (id !== undefined && (await getEntry(id))) return { ok: true, id };
        throw error;
      }
    },

    'log-call/prefill': async ({ tabId, tabUrl }) => {
      const { settings } = await loadSettings();
      const [lastUsed, selection, configured] = await Promise.all([
        readLastNumberUsed(),
        tabId === undefined ? undefined : selectionIn(tabId),
        configFor('crm', settings).then(
          () => true,
          () => false,
        ),
      ]);
      const now = Date.now();
      const prefill = await choosePrefill({
        now,
        defaultCountry: settings.defaultCountry,
        contactPagePattern: settings.crm.contactPagePattern,
        tabUrl,
        selection,
        lastUsed,
        memoryOf: readNumberMemory,
      });
      return {
        prefill,
        defaultCountry: settings.defaultCountry,
        contactPagePattern: settings.crm.contactPagePattern,
        crmConfigured: configured,
        now,
      };
    },

    'log-call/number-memory': async ({ phoneNumber }) => {
      const { settings } = await loadSettings();
      const phone = parsePhone(phoneNumber, settings.defaultCountry);
      const memory = phone ? await readNumberMemory(phone.e164) : undefined;
      return { contactId: memory?.contactId, calledVia: calledViaFromMemory(memory) };
    },

    'log-call/start': async ({ e164 }, context) => {
      await rememberNumberUsed({ e164, action: 'log-call', at: Date.now() });
      return { opened: await openPopup(context.tabId, 'log') };
    },

    'outbox/list': async () => {
      const now = Date.now();
      const [entries, pauses, removals, abandoned, pending] = await Promise.all([
        listEntries(),
        listPauses(),
        listRemovals(),
        listAbandonedChecks(),
        countChecks(),
      ]);
      const paused = new Set(pauses.map((pause) => pause.service));
      const shown = entries.filter((entry) => entry.state !== 'sent' || now - (entry.sentAt ?? 0) < SENT_SHOWN_MS);
      const views = await Promise.all(
        shown.map(async (entry) =>
          view(entry, paused, removals, entry.state === 'sent' && (await getCheck(`outbox:${entry.id}`)) !== undefined),
        ),
      );
      return {
        entries: views,
        pauses: pauses.map(({ service, failure, since }) => ({ service, failure, since })),
        duplicates: {
          pending,
          removed: removals.map((removal) => ({
            at: removal.at,
            sentence: describeRemoval(removal),
            sourceKind: removal.source.kind,
            sourceId: removal.source.id,
          })),
          abandoned: abandoned.map((check) => ({ at: check.at, sentence: describeAbandoned(check) })),
        },
        now,
      };
    },

    'outbox/kick': async () => {
      wake();
      return countEntries();
    },

    'outbox/retry': async ({ id }) => {
      const result = await updateEntry(id, (entry) => {
        if (entry.state === 'sent') return 'It is already in the CRM.';
        if (delivery.isInFlight(entry.id)) return 'It is being sent right now.';
        return retryNow(entry, Date.now());
      });
      if (!result.ok) return result;
      // Retrying by hand also lifts its service's pause: the user may have fixed the account
      // on the service's side. A second 401 pauses it again.
      await clearPause(result.entry.service);
      wake();
      return { ok: true };
    },

    'outbox/edit': async ({ id, change }) => {
      const { settings } = await loadSettings();
      const checked = validateCallDraft(change.draft, draftContext(settings));
      if (!checked.ok) return { ok: false, reason: 'Some fields need attention.', errors: checked.errors };
      const result = await updateEntry(id, (entry) => {
        if (entry.kind !== change.kind) return 'That change does not fit this entry.';
        return editBlocker(entry, delivery.isInFlight(entry.id)) ?? applyEdit(entry, checked.request, Date.now());
      });
      if (!result.ok) return result;
      wake();
      return { ok: true };
    },

    'outbox/send-anyway': async ({ id }) => {
      const result = await updateEntry(id, (entry) =>
        delivery.isInFlight(entry.id) ? 'It is being sent right now.' : sendAnyway(entry, Date.now()),
      );
      if (!result.ok) return result;
      wake();
      return { ok: true };
    },

    'outbox/discard': async ({ id }) => {
      const result = await discardEntry(id, (entry) => discardBlocker(entry, delivery.isInFlight(entry.id)));
      refresh();
      return result;
    },

    'outbox/history': async ({ limit }) => {
      const [{ settings }, records] = await Promise.all([loadSettings(), listHistory(limit)]);
      return records.map((record) => ({
        ...record,
        contactUrl: contactPageUrl(settings.crm.contactPagePattern, record.contactId, settings.crm.baseUrl),
      }));
    },
  };
}

/** The text selected in the tab, when the extension may read it there (activeTab, a site). */
async function selectionIn(tabId: number): Promise<string | undefined> {
  try {
    const [result] = await browser.scripting.executeScript({
      target: { tabId },
      func: () => String(globalThis.getSelection?.() ?? '').slice(0, 200),
    });
    return typeof result?.result === 'string' && result.result.trim() !== '' ? result.result : undefined;
  } catch {
    // No access to that page (a browser page, a site not enabled): no selection to offer.
    return undefined;
  }
}

/** Opens the popup on the Log a call form, or the same form in a small window. */
