/**
 * What a single add to a campaign ended as, in sentences a person can act on (issue 4):
 * "Added +1 650-555-0100 to Spring renewals (Upcall)", "Already in Spring renewals", "Upcall
 * rejected the token (401). Check the Upcall settings in options." Pure.
 */
import { describeBlock, type DoNotCallReason } from '../dnc/screen.ts';
import { describeFailure, type Failure } from '../errors.ts';
import type { AddOutcome } from '../providers/types.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import { campaignLabel, displayNumber } from './format.ts';

export type CampaignAddStatus =
  /** The service has it now. */
  | 'added'
  /** It was there already; nothing was added. */
  | 'duplicate'
  /** The service itself marks it do-not-call; nothing was added. */
  | 'do-not-call'
  /** Our screening blocked it before any request; the user may override it. */
  | 'blocked'
  /** Kept in the outbox; it goes out when the service can be reached (or its credentials are fixed). */
  | 'queued'
  /** Refused or impossible; nothing was added. */
  | 'failed';

export interface CampaignAddResult {
  status: CampaignAddStatus;
  /** Short, for a notification's title. */
  title: string;
  /** The whole story in one or two sentences. */
  sentence: string;
  /** Why screening blocked it, when it did. */
  reasons?: DoNotCallReason[];
  /** The outbox entry, when it was queued. */
  entryId?: string;
}

export interface AddTarget {
  service: CampaignServiceId;
  campaignName: string;
  e164: string;
  extension?: string;
}

export function outcomeResult(target: AddTarget, outcome: AddOutcome): CampaignAddResult {
  const number = displayNumber(target.e164, target.extension);
  const where = campaignLabel(target.campaignName, SERVICE_NAMES[target.service]);
  switch (outcome.outcome) {
    case 'added':
      return { status: 'added', title: `Added to ${target.campaignName}`, sentence: `Added ${number} to ${where}.` };
    case 'duplicate':
      return {
        status: 'duplicate',
        title: `Already in ${target.campaignName}`,
        sentence: `${number} is already in ${where}; it was not added again.`,
      };
    case 'do-not-call':
      return { status: 'do-not-call', title: 'Not added: do-not-call', sentence: outcome.detail };
  }
}

export function blockedResult(target: AddTarget, reasons: DoNotCallReason[]): CampaignAddResult {
  return {
    status: 'blocked',
    title: 'Not added: do-not-call',
    sentence: `${describeBlock(displayNumber(target.e164, target.extension), reasons)} Nothing was sent.`,
    reasons,
  };
}

export function queuedResult(target: AddTarget, entryId: string, waitingBehind = 0): CampaignAddResult {
  const service = SERVICE_NAMES[target.service];
  const behind =
    waitingBehind > 0 ? ` It waits behind ${waitingBehind} earlier ${waitingBehind === 1 ? 'add' : 'adds'}.` : '';
  return {
    status: 'queued',
    title: `Queued for ${service}`,
    sentence: `Queued: ${displayNumber(target.e164, target.extension)} will be added to ${target.campaignName} when ${service} can be reached.${behind}`,
    entryId,
  };
}

/** Credentials refused or missing: the add waits in the outbox until the settings change. */
export function pausedResult(target: AddTarget, failure: Failure, entryId: string): CampaignAddResult {
  const service = SERVICE_NAMES[target.service];
  return {
    status: 'queued',
    title: failure.kind === 'auth' ? `${service} rejected the credentials` : `${service} needs attention`,
    sentence: `${describeFailure(failure)} ${displayNumber(target.e164, target.extension)} waits in Activity and is added to ${target.campaignName} once that is fixed.`,
    entryId,
  };
}

export function failedResult(target: AddTarget, failure: Failure): CampaignAddResult {
  return { status: 'failed', title: `Not added to ${target.campaignName}`, sentence: describeFailure(failure) };
}
