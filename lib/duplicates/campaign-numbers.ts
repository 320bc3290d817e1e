/**
 * The write a campaign add made, for the duplicate check, in each campaign service's terms: the
 * attributes Upcall was sent, the number and variables SIP Caller was sent, the marker on the
 * Call-Em-All contact.
 */
import type { ContactDetails } from '../providers/types.ts';
import { buildVarValues, type SipCallerConfig } from '../providers/sipcaller.ts';
import { numberAttributes } from '../providers/upcall.ts';
import type { CampaignServiceId } from '../services.ts';
import { callEmAllContactRecord, callEmAllMarker } from './callemall.ts';
import { sipCallerNumberRecord } from './sipcaller.ts';
import type { WrittenRecord } from './types.ts';
import { upcallNumberRecord } from './upcall.ts';

export interface CampaignWrite {
  service: CampaignServiceId;
  config: unknown;
  campaignId: string;
  contact: ContactDetails;
  /** The short ref of the add (an entry's ref, or a bulk job's ref and row). */
  ref: string;
  keepId?: string;
  since: number;
  label: string;
  source: WrittenRecord['source'];
}

/** What a Call-Em-All add stores in the contact's IntegrationData. */
export function addReference(service: CampaignServiceId, ref: string): string | undefined {
  return service === 'callemall' ? callEmAllMarker(ref) : undefined;
}

export function campaignNumberRecord(write: CampaignWrite): WrittenRecord {
  const { service, config, campaignId, contact, ref, ...common } = write;
  switch (service) {
    case 'upcall':
      return upcallNumberRecord({ ...common, campaignId, attributes: numberAttributes(contact) });
    case 'sipcaller':
      return sipCallerNumberRecord({
        ...common,
        campaignId,
        e164: contact.e164,
        varValues: buildVarValues(contact, (config as SipCallerConfig).varOrder),
      });
    case 'callemall':
      return callEmAllContactRecord({ ...common, marker: callEmAllMarker(ref) });
  }
}
