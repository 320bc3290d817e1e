/**
 * Is this number already in that campaign or list? Asked before a single add is sent and again
 * after an add whose answer was lost (the outbox's reconciliation): found means added. Uses each
 * client's own look-up, with the same matching rules as its `addNumber`. Background only.
 */
import { listListContacts, toCallEmAllPhone, type CallEmAllConfig } from '../providers/callemall.ts';
import { findCampaignNumbers as findSipCallerNumbers, type SipCallerConfig } from '../providers/sipcaller.ts';
import {
  DO_NOT_CALL_STATUS,
  findCampaignNumbers as findUpcallNumbers,
  type UpcallConfig,
} from '../providers/upcall.ts';
import type { ContactDetails } from '../providers/types.ts';
import type { CampaignServiceId } from '../services.ts';

export type LookupResult = { found: false } | { found: true; remoteId?: string; doNotCall: boolean };

export async function findNumberInCampaign(
  service: CampaignServiceId,
  config: unknown,
  campaignId: string,
  contact: Pick<ContactDetails, 'e164' | 'extension'>,
  signal?: AbortSignal,
): Promise<LookupResult> {
  switch (service) {
    case 'upcall': {
      const entries = await findUpcallNumbers(config as UpcallConfig, campaignId, contact.e164, signal);
      const dnc = entries.find((n) => n.status === DO_NOT_CALL_STATUS);
      if (dnc) return { found: true, remoteId: dnc.id, doNotCall: true };
      // As upcall.addNumber: another extension on the same line is someone else.
      const same = entries.find((n) => (n.extension ?? '') === (contact.extension?.trim() ?? ''));
      return same ? { found: true, remoteId: same.id, doNotCall: false } : { found: false };
    }
    case 'sipcaller': {
      const [record] = await findSipCallerNumbers(config as SipCallerConfig, campaignId, contact.e164, signal);
      return record ? { found: true, remoteId: String(record.id), doNotCall: false } : { found: false };
    }
    case 'callemall': {
      const phone = toCallEmAllPhone(contact.e164);
      if (!phone) return { found: false };
      const members = await listListContacts(config as CallEmAllConfig, campaignId, signal);
      const slots = (m: (typeof members)[number]) =>
        [
          [m.PrimaryPhone, m.DoNotCallPrimaryPhone],
          [m.SecondaryPhone, m.DoNotCallSecondaryPhone],
          [m.TertiaryPhone, m.DoNotCallTertiaryPhone],
        ] as const;
      for (const member of members) {
        const slot = slots(member).find(([value]) => tenDigits(value) === phone);
        if (slot) {
          const id = member.PersonID ?? /\/contacts\/(\d+)\/?$/.exec(member.Uri ?? '')?.[1];
          return {
            found: true,
            remoteId: id === undefined || id === null ? undefined : String(id),
            doNotCall: slot[1] === true,
          };
        }
      }
      return { found: false };
    }
  }
}

function tenDigits(value: string | null | undefined): string | undefined {
  const digits = (value ?? '').replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return digits.length === 10 ? digits : undefined;
}
