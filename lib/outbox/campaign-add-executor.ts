/**
 * Delivers 'campaign-add' entries with the campaign clients (lib/providers/). Each client's
 * `addNumber` looks for the number before adding it, so a second send never adds it twice; what
 * is left to reconcile is a send whose answer was lost: then the number is looked for, and found
 * means added (issue 4). To tell "added by that lost send" from "was there all along", a send
 * first checks the campaign itself and records, before anything is written, that the number was
 * absent; reconciliation only answers "found" for a send that got that far.
 */
import { entryRef } from '../crm/client.ts';
import { addReference, campaignNumberRecord } from '../duplicates/campaign-numbers.ts';
import { screenNumber, describeBlock, type ScreenResult } from '../dnc/screen.ts';
import { recordUpcallDoNotCall } from '../dnc/store.ts';
import { findNumberInCampaign } from '../campaigns/lookup.ts';
import { openDatabase } from '../db.ts';
import { ServiceError } from '../errors.ts';
import { displayNumber } from '../campaigns/format.ts';
import { campaignProviders } from '../providers/index.ts';
import type { AddOutcome, ContactDetails } from '../providers/types.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import type { OutboxExecutor } from './executors.ts';
import { CAMPAIGN_CHECKED_PREFIX, type Delivered, type OutboxEntry } from './types.ts';

const CHECKED_PREFIX = CAMPAIGN_CHECKED_PREFIX;

export interface CampaignAddExecutorDeps {
  /** The client config; throws a ServiceError 'not-configured' or 'permission'. */
  config(service: CampaignServiceId): Promise<unknown>;
  screen?(e164: string): Promise<ScreenResult>;
  now?(): number;
  /** Each add's outcome, once the service has answered (notifications, a waiting panel). */
  onOutcome?(entry: OutboxEntry<'campaign-add'>, outcome: AddOutcome, via: Delivered['via']): void | Promise<void>;
}

/** Who the service sees: the number and the details the user confirmed. */
export function contactOf(entry: OutboxEntry<'campaign-add'>): ContactDetails {
  return { ...entry.request.contact };
}

async function markChecked(id: string): Promise<void> {
  const db = await openDatabase();
  await db.put('meta', true, CHECKED_PREFIX + id);
}

async function wasChecked(id: string): Promise<boolean> {
  const db = await openDatabase();
  return (await db.get('meta', CHECKED_PREFIX + id)) === true;
}

async function forgetChecked(id: string): Promise<void> {
  const db = await openDatabase();
  await db.delete('meta', CHECKED_PREFIX + id);
}

export function createCampaignAddExecutor(deps: CampaignAddExecutorDeps): OutboxExecutor<'campaign-add'> {
  const now = deps.now ?? Date.now;
  const screen = deps.screen ?? screenNumber;

  async function finish(
    entry: OutboxEntry<'campaign-add'>,
    config: unknown,
    outcome: AddOutcome,
    via: Delivered['via'],
  ): Promise<Delivered> {
    const { service, campaignId, campaignName, contact } = entry.request;
    if (outcome.outcome === 'do-not-call' && service === 'upcall') {
      await recordUpcallDoNotCall(contact.e164, { id: campaignId, name: campaignName }, now());
    }
    await forgetChecked(entry.id);
    await deps.onOutcome?.(entry, outcome, via);
    const remoteId = 'remoteId' in outcome ? outcome.remoteId : undefined;
    // Only an add that wrote has copies to look for; a duplicate or a do-not-call wrote nothing.
    const written =
      outcome.outcome === 'added'
        ? campaignNumberRecord({
            service,
            config,
            campaignId,
            contact: contactOf(entry),
            ref: entryRef(entry.id),
            keepId: remoteId,
            since: entry.firstAttemptAt ?? entry.createdAt,
            label: `${displayNumber(contact.e164, contact.extension)} in ${campaignName}`,
            source: { kind: 'outbox', id: entry.id },
          })
        : undefined;
    return { remoteId, via, written };
  }

  return {
    async send(entry, signal) {
      const { service, campaignId, contact, overrideDoNotCall } = entry.request;
      // A queued add may wait hours: what was screened when the user asked is screened again.
      if (!overrideDoNotCall) {
        const screening = await screen(contact.e164);
        if (screening.blocked) {
          throw new ServiceError({
            kind: 'invalid',
            service: 'Do-not-call screening',
            message: describeBlock(contact.e164, screening.reasons),
          });
        }
      }
      const config = await deps.config(service);
      const before = await findNumberInCampaign(service, config, campaignId, contact, signal);
      if (!before.found) await markChecked(entry.id);
      const provider = campaignProviders[service];
      const outcome = await provider.addNumber(config as never, campaignId, contactOf(entry), signal, {
        reference: addReference(service, entryRef(entry.id)),
      });
      return finish(entry, config, outcome, 'response');
    },

    async reconcile(entry, signal) {
      // No record that the number was absent: no send of this entry got as far as writing.
      if (!(await wasChecked(entry.id))) return { status: 'absent' };
      const { service, campaignId, contact } = entry.request;
      const config = await deps.config(service);
      const found = await findNumberInCampaign(service, config, campaignId, contact, signal);
      if (!found.found) return { status: 'absent' };
      const outcome: AddOutcome = found.doNotCall
        ? {
            outcome: 'do-not-call',
            detail: `${SERVICE_NAMES[service]} marks ${contact.e164} do-not-call; it was not added.`,
          }
        : { outcome: 'added', remoteId: found.remoteId };
      return { status: 'found', delivered: await finish(entry, config, outcome, 'reconciled') };
    },
  };
}
