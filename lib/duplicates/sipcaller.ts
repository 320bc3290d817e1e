/**
 * SIP Caller campaign numbers: an add is only sent after a look-up found the number absent, so
 * every record now holding our number with our variable values came from it. One is kept; the
 * others are deleted by record ID in one request (the delete takes a JSON array of IDs). Few
 * writes are looked up by number (`filter={"number":..}`); many, and the campaign is listed once.
 */
import {
  deleteCampaignNumbers,
  findCampaignNumbers,
  listAllCampaignNumbers,
  type SipCallerConfig,
  type SipCallerNumber,
  type SipCallerRecordId,
} from '../providers/sipcaller.ts';
import { chooseKept, PER_NUMBER_LOOKUPS, type DuplicateRemover } from './remover.ts';
import type { CheckOutcome, WrittenRecord } from './types.ts';

export interface SipCallerNumberMatch {
  [key: string]: unknown;
  e164: string;
  varValues: string[];
}

export function sipCallerNumberRecord(
  input: Omit<WrittenRecord, 'service' | 'match' | 'scope'> & { campaignId: string; e164: string; varValues: string[] },
): WrittenRecord {
  const { campaignId, e164, varValues, ...rest } = input;
  return {
    ...rest,
    service: 'sipcaller',
    scope: campaignId,
    match: { e164, varValues } satisfies SipCallerNumberMatch,
  };
}

const digits = (phone: string) => phone.replace(/\D/g, '');

export function isSameRecord(record: SipCallerNumber, sent: SipCallerNumberMatch): boolean {
  return (
    digits(record.number) === digits(sent.e164) &&
    record.varValues.length === sent.varValues.length &&
    record.varValues.every((value, i) => value === sent.varValues[i])
  );
}

export const sipCallerRemover: DuplicateRemover = {
  async removeCopies(config, campaignId, records, signal) {
    const sip = config as SipCallerConfig;
    let listed: SipCallerNumber[] | undefined;
    if (records.length > PER_NUMBER_LOOKUPS) listed = await listAllCampaignNumbers(sip, campaignId, signal);
    const outcomes: CheckOutcome[] = [];
    const extras: SipCallerRecordId[] = [];
    for (const record of records) {
      const sent = record.match as SipCallerNumberMatch;
      const numbers = listed ?? (await findCampaignNumbers(sip, campaignId, sent.e164, signal));
      const copies = numbers.filter((number) => isSameRecord(number, sent));
      if (copies.length === 0) {
        outcomes.push({ removed: [] });
        continue;
      }
      const kept = chooseKept(copies, (copy) => String(copy.id), record.keepId);
      const others = copies.filter((copy) => copy !== kept);
      extras.push(...others.map((copy) => copy.id));
      outcomes.push({ removed: others.map((copy) => String(copy.id)), kept: String(kept.id) });
    }
    // One delete for the whole scope; deleting an ID already gone is not an error there.
    await deleteCampaignNumbers(sip, campaignId, [...new Set(extras)], signal);
    return outcomes;
  },
};
