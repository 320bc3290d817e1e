/**
 * The registry of entry kinds: for each, the schema of its request, which service delivers it,
 * how it reads in Activity, and the history record it leaves. Pure, so pages and the background
 * share it; the network side of each kind is its executor (./executors.ts).
 */
import type { z } from 'zod';
import type { ServiceId } from '../services.ts';
import { campaignAddRequestSchema, summariseCampaignAdd } from './campaign-add.ts';
import { crmCallHistory, crmCallRequestSchema, summariseCrmCall } from './crm-call.ts';
import type { Delivered, HistoryRecord, OutboxEntry, OutboxKind, OutboxRequests } from './types.ts';

export interface OutboxKindDefinition<K extends OutboxKind> {
  kind: K;
  request: z.ZodType<OutboxRequests[K]>;
  /** The service that delivers it (a campaign add goes to the campaign's service). */
  serviceOf(request: OutboxRequests[K]): ServiceId;
  summarise(request: OutboxRequests[K]): { title: string; detail: string };
  /** A record for the popup's history of logged calls, for kinds that have one. */
  history?(entry: OutboxEntry<K>, delivered: Delivered, loggedAt: number): HistoryRecord;
}

export const OUTBOX_KINDS: { [K in OutboxKind]: OutboxKindDefinition<K> } = {
  'crm-call': {
    kind: 'crm-call',
    request: crmCallRequestSchema,
    serviceOf: () => 'crm',
    summarise: summariseCrmCall,
    history: crmCallHistory,
  },
  'campaign-add': {
    kind: 'campaign-add',
    request: campaignAddRequestSchema,
    serviceOf: (request) => request.service,
    summarise: summariseCampaignAdd,
  },
};

export function kindDefinition<K extends OutboxKind>(kind: K): OutboxKindDefinition<K> {
  return OUTBOX_KINDS[kind];
}
