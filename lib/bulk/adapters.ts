/**
 * How each service takes many numbers (issue 4, "Bulk"). Every adapter may be asked again about a
 * number after a failure and must not add it twice:
 * - Upcall: the number is looked for (a duplicate, or `dnc`), then added, as its `addNumber` does
 *   but with the run's pause between the two requests.
 * - SIP Caller: each number is looked for, then the absent ones go in CSV uploads (its bulk
 *   endpoint, `POST …/numbers/upload`); an upload whose answer was lost sends its numbers back to
 *   be looked for.
 * - Call-Em-All: the list's members are read once (not once per number, as a single add does),
 *   then each number is created as a contact and added to the list; a contact created by an
 *   earlier try is reused. (Contacts have no look-up by number here: a create whose answer was
 *   lost is created again on retry, leaving one unused contact in "Everyone", never a second
 *   list member.)
 * Background only.
 */
import { findNumberInCampaign } from '../campaigns/lookup.ts';
import { ServiceError } from '../errors.ts';
import {
  addContactsToList,
  createContact,
  listListContacts,
  toCallEmAllPhone,
  type CallEmAllConfig,
} from '../providers/callemall.ts';
import { buildVarValues, uploadCampaignNumbers, type SipCallerConfig } from '../providers/sipcaller.ts';
import type { ContactDetails } from '../providers/types.ts';
import { addCampaignNumber, type UpcallConfig, type UpcallNumberAttributes } from '../providers/upcall.ts';
import { SERVICE_NAMES, type CampaignServiceId } from '../services.ts';
import type { BulkItem } from './job.ts';

export type ItemResult =
  | { outcome: 'added'; remoteId?: string }
  | { outcome: 'duplicate'; remoteId?: string }
  | { outcome: 'do-not-call'; detail: string; remoteId?: string }
  /** Absent: goes into the next upload (services with `uploadBatch`). */
  | { outcome: 'fresh' };

export interface BulkAdapter {
  /** Reads what the whole run needs once, before any number. */
  prepare?(signal: AbortSignal): Promise<void>;
  /**
   * One number. `gate` resolves when the run may send its next write (after a 429's pause, once
   * the write is durably marked as going out); an adapter awaits it before each write.
   */
  processItem(item: BulkItem, signal: AbortSignal, gate: () => Promise<void>): Promise<ItemResult>;
  /** Writes the numbers `processItem` found absent, in one request. */
  uploadBatch?(items: BulkItem[], signal: AbortSignal): Promise<void>;
  batchSize?: number;
}

const SIP_UPLOAD_ROWS = 100;

function contactOf(item: BulkItem): ContactDetails {
  const { e164, extension, firstName, lastName, company, email } = item;
  return { e164, extension, firstName, lastName, company, email };
}

/**
 * `referenceOf` gives the reference a write for an item carries where the service keeps one
 * (Call-Em-All's IntegrationData), so its copies can be recognised afterwards.
 */
export function createBulkAdapter(
  service: CampaignServiceId,
  config: unknown,
  campaignId: string,
  referenceOf: (item: BulkItem) => string | undefined = () => undefined,
): BulkAdapter {
  switch (service) {
    case 'upcall':
      return upcallAdapter(config as UpcallConfig, campaignId);
    case 'sipcaller':
      return sipCallerAdapter(config as SipCallerConfig, campaignId);
    case 'callemall':
      return callEmAllAdapter(config as CallEmAllConfig, campaignId, referenceOf);
  }
}

function upcallAdapter(config: UpcallConfig, campaignId: string): BulkAdapter {
  return {
    async processItem(item, signal, gate) {
      const found = await findNumberInCampaign('upcall', config, campaignId, item, signal);
      if (found.found && found.doNotCall) {
        return {
          outcome: 'do-not-call',
          detail: `Upcall marks ${item.e164} do-not-call in this campaign, so it was not added.`,
          remoteId: found.remoteId,
        };
      }
      if (found.found) return { outcome: 'duplicate', remoteId: found.remoteId };
      await gate();
      const created = await addCampaignNumber(config, campaignId, upcallAttributes(item), signal);
      return { outcome: 'added', remoteId: created.id };
    },
  };
}

// The attributes a single add sends (lib/providers/upcall.ts): only the details we have.
function upcallAttributes(item: BulkItem): UpcallNumberAttributes {
  const attributes: UpcallNumberAttributes = { phone: item.e164 };
  const optional = {
    first_name: item.firstName,
    last_name: item.lastName,
    company: item.company,
    email: item.email,
    extension: item.extension,
  } as const;
  for (const [key, value] of Object.entries(optional) as [keyof typeof optional, string | undefined][]) {
    const trimmed = value?.trim();
    if (trimmed) attributes[key] = trimmed;
  }
  return attributes;
}

function sipCallerAdapter(config: SipCallerConfig, campaignId: string): BulkAdapter {
  return {
    batchSize: SIP_UPLOAD_ROWS,
    async processItem(item, signal) {
      const found = await findNumberInCampaign('sipcaller', config, campaignId, item, signal);
      return found.found ? { outcome: 'duplicate', remoteId: found.remoteId } : { outcome: 'fresh' };
    },
    async uploadBatch(items, signal) {
      const rows = items.map((item) => ({
        number: item.e164,
        varValues: buildVarValues(contactOf(item), config.varOrder),
      }));
      await uploadCampaignNumbers(config, campaignId, rows, config.varOrder.length, signal);
    },
  };
}

interface Member {
  personId?: string;
  doNotCall: boolean;
}

function callEmAllAdapter(
  config: CallEmAllConfig,
  listId: string,
  referenceOf: (item: BulkItem) => string | undefined,
): BulkAdapter {
  const members = new Map<string, Member>();
  const name = SERVICE_NAMES.callemall;
  return {
    async prepare(signal) {
      for (const contact of await listListContacts(config, listId, signal)) {
        const id = contact.PersonID ?? /\/contacts\/(\d+)\/?$/.exec(contact.Uri ?? '')?.[1];
        const slots = [
          [contact.PrimaryPhone, contact.DoNotCallPrimaryPhone],
          [contact.SecondaryPhone, contact.DoNotCallSecondaryPhone],
          [contact.TertiaryPhone, contact.DoNotCallTertiaryPhone],
        ] as const;
        for (const [phone, dnc] of slots) {
          const digits = (phone ?? '').replace(/\D/g, '').replace(/^1(\d{10})$/, '$1');
          if (digits.length === 10 && !members.has(digits)) {
            members.set(digits, {
              personId: id === undefined || id === null ? undefined : String(id),
              doNotCall: dnc === true,
            });
          }
        }
      }
    },
    async processItem(item, signal, gate) {
      const phone = toCallEmAllPhone(item.e164);
      if (!phone) {
        throw new ServiceError({
          kind: 'invalid',
          service: name,
          message: `${item.e164} is not a US or Canadian (+1) number; Call-Em-All only calls 10-digit North American numbers`,
        });
      }
      const member = members.get(phone);
      if (member?.doNotCall) {
        return {
          outcome: 'do-not-call',
          detail: `${item.e164} is marked do-not-call on that Call-Em-All contact, so it was not added.`,
        };
      }
      if (member) return { outcome: 'duplicate', remoteId: member.personId };
      // A contact an earlier try created is added, not created again.
      let personId = item.remoteId === undefined ? undefined : Number(item.remoteId);
      if (personId === undefined) {
        await gate();
        const created = await createContact(
          config,
          {
            e164: item.e164,
            firstName: item.firstName,
            lastName: item.lastName,
            notes: notesFor(item),
            integrationData: referenceOf(item),
          },
          signal,
        );
        personId = created.PersonID;
        item.remoteId = String(personId);
        if (created.DoNotCallPrimaryPhone) {
          return {
            outcome: 'do-not-call',
            detail: `${item.e164} is marked do-not-call by Call-Em-All, so it was not added.`,
            remoteId: item.remoteId,
          };
        }
      }
      await gate();
      await addContactsToList(config, listId, [personId], signal);
      members.set(phone, { personId: String(personId), doNotCall: false });
      return { outcome: 'added', remoteId: String(personId) };
    },
  };
}

// As a single add does: company and extension, which have no field, go in the 50-character Notes.
function notesFor(item: BulkItem): string | undefined {
  const parts = [item.company?.trim(), item.extension?.trim() ? `ext. ${item.extension.trim()}` : undefined].filter(
    Boolean,
  );
  const text = parts.join(', ');
  if (!text) return undefined;
  return text.length > 50 ? `${text.slice(0, 49)}…` : text;
}
