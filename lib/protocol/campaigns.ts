/**
 * Messages of adding numbers to campaigns (issue 4): the campaigns on offer, checking a number
 * (do-not-call screening, local time), adding one, bulk adds from the popup's "This page" tab,
 * the right-click menu's number, and the local do-not-call list in options. The content script
 * imports this file for types only, so zod stays out of its bundle.
 */
import { z } from 'zod';
import type { BulkJobState, FailureGroup } from '../bulk/job.ts';
import type { CampaignAddResult } from '../campaigns/outcome.ts';
import type { LocalTimeInfo } from '../calling-hours.ts';
import type { DoNotCallReason } from '../dnc/screen.ts';
import { campaignContactSchema } from '../outbox/campaign-add.ts';
import { CAMPAIGN_SERVICE_IDS, type CampaignServiceId } from '../services.ts';
import { contactDetailsSchema, type ContactDetails } from './content.ts';
import { defineMessage } from './define.ts';

export type { CampaignAddResult } from '../campaigns/outcome.ts';
export type { LocalTimeInfo } from '../calling-hours.ts';
export type { DoNotCallReason } from '../dnc/screen.ts';

/** One campaign or list as a picker shows it. */
export interface CampaignOption {
  id: string;
  name: string;
  /** The service's word for its state: "ready", "Active", "User list". */
  status: string;
}

/** A contact detail a service can receive. */
export type ContactField = 'firstName' | 'lastName' | 'company' | 'email';

export interface ServiceCampaignsView {
  service: CampaignServiceId;
  /** "Upcall" */
  name: string;
  campaigns: CampaignOption[];
  /** The details this service receives with a number, and how, in words. */
  accepts: { fields: ContactField[]; note: string };
  /** Why the list may be out of date or empty, in words; absent when all is well. */
  note?: string;
}

export interface CampaignListView {
  /** Only services with credentials; each service's campaigns in its own order. */
  services: ServiceCampaignsView[];
  /** No campaign service is set up: the picker says so and points to options. */
  noneConfigured: boolean;
}

/** What the panel shows about a number before it is added. */
export interface NumberCheckView {
  e164: string;
  extension?: string;
  /** "+1 650-555-0100 ext. 45" */
  display: string;
  blocked: boolean;
  reasons: DoNotCallReason[];
  /** The do-not-call sentence, when blocked. */
  blockSentence?: string;
  localTime: LocalTimeInfo;
}

export type ContactInput = z.output<typeof campaignContactSchema>;

/** A bulk job as the popup shows it. */
export interface BulkJobView {
  id: string;
  service: CampaignServiceId;
  serviceName: string;
  campaignName: string;
  state: BulkJobState;
  total: number;
  done: number;
  added: number;
  duplicate: number;
  doNotCall: number;
  failed: number;
  notSent: number;
  failures: FailureGroup[];
  /** The numbers blocked by screening or marked do-not-call, with why (first 50). */
  blocked: { e164: string; reason: string }[];
  /** Epoch ms until which requests wait for the service's Retry-After. */
  pausedUntil?: number;
  stopReason?: string;
  outsideHours: number;
  callingHours: string;
  startedAt: number;
  finishedAt?: number;
  now: number;
}

export interface BulkPreview {
  blocked: { e164: string; sentence: string }[];
  /** Numbers whose local time is, or may be (an area code spanning zones), outside calling hours now. */
  outsideHours: number;
  callingHours: string;
}

export interface LocalDoNotCallView {
  e164: string;
  display: string;
  note?: string;
  addedAt: number;
}

export interface DoNotCallListView {
  local: LocalDoNotCallView[];
  /** Call-Em-All's opt-outs held here, and when they were last read (absent when never). */
  callEmAll: { configured: boolean; count: number; lastSyncAt?: number; error?: string };
  /** Numbers Upcall answered as `dnc`. */
  upcallSeen: number;
}

export type DoNotCallAddResult = { ok: true; entry: LocalDoNotCallView } | { ok: false; error: string };

/** A number found on a page, with the details around it (answer to `campaigns/page-numbers`). */
export interface PageNumber {
  e164: string;
  extension?: string;
  /** As the page shows it. */
  label: string;
  details: ContactDetails;
}

/**
 * Messages the background sends to a tab's content script with tabs.sendMessage (not routed:
 * the content script answers its own extension only).
 */
export type ContentRequest =
  /** Every number with a button, in page order, and the details around each. */
  | { type: 'campaigns/page-numbers' }
  /**
   * Opens the "Add to campaign" panel on a number of the page (the right-click menu): on the
   * button the user right-clicked, else on a button of the same number. Answers whether it did.
   */
  | {
      type: 'campaigns/open-panel';
      e164: string;
      extension?: string;
      service?: CampaignServiceId;
      campaignId?: string;
    };

export interface PageNumbersAnswer {
  /** Every number on the page has its button (nothing left to scan). */
  settled: boolean;
  numbers: PageNumber[];
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);
const extension = z.string().regex(/^\d{1,10}$/);
const service = z.enum(CAMPAIGN_SERVICE_IDS);

/** The most numbers one message carries; a larger selection goes in chunks of this many. */
export const MAX_BULK_NUMBERS = 5000;
/**
 * The most numbers one bulk job takes (ten chunks). The job and its progress live in one
 * IndexedDB record saved as it goes; past this, the This page tab says so before anything starts.
 */
export const MAX_BULK_JOB_NUMBERS = 50_000;

export const campaignMessages = {
  /** The cached campaigns, or a fresh read (`refresh`). */
  'campaigns/list': defineMessage<CampaignListView>()({
    request: z.object({ refresh: z.boolean().optional() }).strict(),
    senders: ['extension', 'content'],
  }),
  /** Screening and local time of a number, before the user confirms an add. */
  'campaigns/check': defineMessage<NumberCheckView>()({
    request: z.object({ e164, extension: extension.optional() }).strict(),
    senders: ['extension', 'content'],
  }),
  /** Adds one number: screened, queued in the outbox, tried at once; answers what happened. */
  'campaigns/add': defineMessage<CampaignAddResult>()({
    request: z
      .object({
        service,
        campaignId: z.string().min(1).max(100),
        contact: campaignContactSchema,
        overrideDoNotCall: z.boolean().default(false),
      })
      .strict(),
    senders: ['extension', 'content'],
  }),
  /** The number button the user right-clicked, so the right-click menu acts on it. */
  'campaigns/context-number': defineMessage<{ ok: true }>()({
    request: z.object({ e164, extension: extension.optional(), details: contactDetailsSchema }).strict(),
    senders: ['content'],
  }),
  'bulk/preview': defineMessage<BulkPreview>()({
    request: z.object({ numbers: z.array(e164).max(MAX_BULK_NUMBERS) }).strict(),
    senders: ['extension'],
  }),
  /**
   * One chunk of a selection larger than a message carries, kept (in memory) for the `bulk/start`
   * naming the same `stageId`; answers how many that stage holds now.
   */
  'bulk/stage': defineMessage<{ ok: true; staged: number } | { ok: false; reason: string }>()({
    request: z
      .object({
        stageId: z.string().uuid(),
        contacts: z.array(campaignContactSchema).min(1).max(MAX_BULK_NUMBERS),
      })
      .strict(),
    senders: ['extension'],
  }),
  /**
   * Starts a bulk add in the background; one at a time. With `stageId`, the chunks staged under
   * it come first (`staged` says how many the tab sent: a stage that lost some is refused).
   */
  'bulk/start': defineMessage<{ ok: true; job: BulkJobView } | { ok: false; reason: string }>()({
    request: z
      .object({
        service,
        campaignId: z.string().min(1).max(100),
        contacts: z.array(campaignContactSchema).min(1).max(MAX_BULK_NUMBERS),
        stageId: z.string().uuid().optional(),
        staged: z.number().int().nonnegative().max(MAX_BULK_JOB_NUMBERS).optional(),
      })
      .strict(),
    senders: ['extension'],
  }),
  /** The running or last bulk job (null when there is none). */
  'bulk/status': defineMessage<BulkJobView | null>()({ request: z.object({}).strict(), senders: ['extension'] }),
  /** Stops sending; requests under way finish. */
  'bulk/cancel': defineMessage<BulkJobView | null>()({ request: z.object({}).strict(), senders: ['extension'] }),
  /** Forgets a finished job's summary. */
  'bulk/dismiss': defineMessage<{ ok: true }>()({ request: z.object({}).strict(), senders: ['extension'] }),
  'dnc/list': defineMessage<DoNotCallListView>()({ request: z.object({}).strict(), senders: ['extension'] }),
  /** Adds to the local list a number as the user typed it (read with the default country). */
  'dnc/add': defineMessage<DoNotCallAddResult>()({
    request: z.object({ number: z.string().max(100), note: z.string().max(200).optional() }).strict(),
    senders: ['extension'],
  }),
  'dnc/remove': defineMessage<{ ok: true; removed: boolean }>()({
    request: z.object({ e164 }).strict(),
    senders: ['extension'],
  }),
};
