/** Messages of the Log a call form and the Activity tab: the outbox, its history, prefill. */
import type { CountryCode } from 'libphonenumber-js/min';
import { z } from 'zod';
import type { Failure } from '../errors.ts';
import type { Prefill } from '../log-call/prefill.ts';
import { callDraftSchema, type DraftErrors } from '../log-call/validate.ts';
import type { CalledVia } from '../outbox/crm-call.ts';
import type { HistoryRecord, OutboxKind, OutboxRequests, OutboxState } from '../outbox/types.ts';
import type { ServiceId } from '../services.ts';
import { defineMessage } from './define.ts';

/** An outbox entry as the popup shows it. */
export interface OutboxEntryView<K extends OutboxKind = OutboxKind> {
  id: string;
  kind: K;
  service: ServiceId;
  state: OutboxState;
  title: string;
  detail: string;
  request: OutboxRequests[K];
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: Failure;
  sentAt?: number;
  /** Its service is paused (credentials refused or missing): see `pauses`. */
  paused: boolean;
  /** A try is under way right now. */
  inFlight: boolean;
  /** An earlier try may have reached the service; it is checked before it is sent again. */
  unconfirmed: boolean;
  /** That check itself failed (the service would not list): "Send anyway" is offered. */
  reconcileBlocked: boolean;
  /** Set aside after failing the same way again and again while the service answers others. */
  setAside?: string;
  /** Why it cannot be edited now, if it cannot. */
  editBlocker?: string;
  /** What duplicate removal did for it ("Duplicate removed: …"). */
  duplicatesRemoved: string[];
  /** A look for copies of it is still to come. */
  duplicateCheckPending: boolean;
}

export interface DuplicatesView {
  /** Checks still to run. */
  pending: number;
  /** The latest removals, newest first, as sentences. */
  removed: { at: number; sentence: string; sourceKind: string; sourceId: string }[];
  /** Checks given up, as sentences. */
  abandoned: { at: number; sentence: string }[];
}

export interface PauseView {
  service: ServiceId;
  failure: Failure;
  since: number;
}

export interface OutboxListView {
  /** Everything not yet delivered, and what was delivered in the last few minutes; seq order. */
  entries: OutboxEntryView[];
  pauses: PauseView[];
  /** Copies made beneath us and removed (lib/duplicates/). */
  duplicates: DuplicatesView;
  /** The background's clock, for "next try in 12 s". */
  now: number;
}

export interface HistoryView extends HistoryRecord {
  /** The contact's page on the CRM (options: contact page pattern), or the CRM's address. */
  contactUrl?: string;
}

export interface PrefillView {
  prefill: Prefill;
  defaultCountry: CountryCode;
  contactPagePattern: string;
  /** Whether the CRM has what it needs; notes queue either way. */
  crmConfigured: boolean;
  now: number;
}

export type SaveCallResult = { ok: true; id: string } | { ok: false; errors: DraftErrors };
export type EntryActionResult = { ok: true } | { ok: false; reason: string; errors?: DraftErrors };

const entryId = z.string().min(1).max(100);

/** Kind-specific changes a user may make to a refused entry; a new kind adds its variant. */
const entryChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('crm-call'), draft: callDraftSchema }).strict(),
]);

export const outboxMessages = {
  /** Validates and queues a call note; answers only once it is committed to IndexedDB. */
  'log-call/save': defineMessage<SaveCallResult>()({
    request: z
      .object({
        draft: callDraftSchema,
        /**
         * The entry id, made by the form: saving the same unchanged form again (after an answer
         * that never came back) finds the note already queued instead of queueing it twice.
         */
        id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/).optional(),
      })
      .strict(),
    senders: ['extension'],
  }),
  'log-call/prefill': defineMessage<PrefillView>()({
    request: z
      .object({ tabId: z.number().int().nonnegative().optional(), tabUrl: z.string().max(4096).optional() })
      .strict(),
    senders: ['extension'],
  }),
  /** What is remembered about a number typed into the form (its last contact and service). */
  'log-call/number-memory': defineMessage<{ contactId?: string; calledVia?: CalledVia }>()({
    request: z.object({ phoneNumber: z.string().max(100) }).strict(),
    senders: ['extension'],
  }),
  /** "Log a call" on a number of a page: remembered for the form, which then opens. */
  'log-call/start': defineMessage<{ opened: 'popup' | 'window' | 'none' }>()({
    // As the in-page button writes it (data-e164): "+16505550100", or "+16505550100;ext=45".
    request: z.object({ e164: z.string().regex(/^\+[1-9]\d{1,14}(;ext=\d{1,10})?$/) }).strict(),
    senders: ['extension', 'content'],
  }),
  'outbox/list': defineMessage<OutboxListView>()({ request: z.object({}).strict(), senders: ['extension'] }),
  /** Wakes delivery (the popup sends it when it opens); answers the counts. */
  'outbox/kick': defineMessage<{ queued: number; needsAttention: number }>()({
    request: z.object({}).strict(),
    senders: ['extension'],
  }),
  'outbox/retry': defineMessage<EntryActionResult>()({
    request: z.object({ id: entryId }).strict(),
    senders: ['extension'],
  }),
  'outbox/edit': defineMessage<EntryActionResult>()({
    request: z.object({ id: entryId, change: entryChangeSchema }).strict(),
    senders: ['extension'],
  }),
  /** Sends an entry without first looking for an earlier copy (that look cannot be made). */
  'outbox/send-anyway': defineMessage<EntryActionResult>()({
    request: z.object({ id: entryId }).strict(),
    senders: ['extension'],
  }),
  'outbox/discard': defineMessage<EntryActionResult>()({
    request: z.object({ id: entryId }).strict(),
    senders: ['extension'],
  }),
  /** The last logged calls, newest first. */
  'outbox/history': defineMessage<HistoryView[]>()({
    request: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
    senders: ['extension'],
  }),
};
