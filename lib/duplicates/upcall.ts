/**
 * Upcall campaign numbers: Upcall accepts the same phone twice in a campaign (NOTES "Duplicates
 * at the other services"), so a re-sent add leaves a second campaign number. An add is only sent
 * after a look-up found the number absent, so every campaign number now matching our request
 * exactly (phone, extension, names, company, e-mail) came from it: one is kept, the others are
 * removed with `DELETE /campaigns/:id/numbers/:nid`. Few writes are looked up by phone
 * (`?phone=`); many, and the campaign's numbers are listed once.
 */
import { isServiceError } from '../errors.ts';
import {
  deleteCampaignNumber,
  findCampaignNumbers,
  listAllCampaignNumbers,
  type UpcallCampaignNumber,
  type UpcallConfig,
  type UpcallNumberAttributes,
} from '../providers/upcall.ts';
import { PER_NUMBER_LOOKUPS, removeAllBut, type DuplicateRemover } from './remover.ts';
import type { WrittenRecord } from './types.ts';

export interface UpcallNumberMatch {
  [key: string]: unknown;
  attributes: UpcallNumberAttributes;
}

export function upcallNumberRecord(
  input: Omit<WrittenRecord, 'service' | 'match' | 'scope'> & {
    campaignId: string;
    attributes: UpcallNumberAttributes;
  },
): WrittenRecord {
  const { campaignId, attributes, ...rest } = input;
  return { ...rest, service: 'upcall', scope: campaignId, match: { attributes } satisfies UpcallNumberMatch };
}

const digits = (phone: string) => phone.replace(/\D/g, '');
const text = (value: string | undefined | null) => (value ?? '').trim();

/** Whether a campaign number is exactly what the add sent. */
export function isSameNumber(number: UpcallCampaignNumber, sent: UpcallNumberAttributes): boolean {
  return (
    digits(number.phone) === digits(sent.phone) &&
    text(number.extension) === text(sent.extension) &&
    text(number.firstName) === text(sent.first_name) &&
    text(number.lastName) === text(sent.last_name) &&
    text(number.company) === text(sent.company) &&
    text(number.email) === text(sent.email)
  );
}

const isGone = (error: unknown) => isServiceError(error) && error.failure.kind === 'not-found';

export const upcallRemover: DuplicateRemover = {
  async removeCopies(config, campaignId, records, signal) {
    const upcall = config as UpcallConfig;
    const sentOf = (record: WrittenRecord) => (record.match as UpcallNumberMatch).attributes;
    let listed: UpcallCampaignNumber[] | undefined;
    if (records.length > PER_NUMBER_LOOKUPS) listed = await listAllCampaignNumbers(upcall, campaignId, signal);
    const outcomes = [];
    for (const record of records) {
      const sent = sentOf(record);
      const numbers = listed ?? (await findCampaignNumbers(upcall, campaignId, sent.phone, signal));
      const copies = numbers.filter((number) => isSameNumber(number, sent));
      outcomes.push(
        await removeAllBut(
          copies,
          (number) => number.id,
          record.keepId,
          (number) => deleteCampaignNumber(upcall, campaignId, number.id, signal),
          isGone,
        ),
      );
    }
    return outcomes;
  },
};
