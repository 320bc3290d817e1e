/**
 * Call-Em-All contacts: an add creates a contact (`POST /contacts`) and then puts it on the list.
 * A re-sent create leaves a second contact, in the Everyone view but on no list. Every contact we
 * create carries our marker in `IntegrationData` ("the caller's own reference"), so the copies of
 * a write are the account's contacts with that marker: one list of the contact feed per check,
 * the one we put on the list kept, the others deleted (`DELETE /contacts/{id}`: they go to the
 * Deleted folder, where they can still be restored).
 */
import { isServiceError } from '../errors.ts';
import { deleteContact, listContacts, personIdOf, type CallEmAllConfig } from '../providers/callemall.ts';
import { removeAllBut, type DuplicateRemover } from './remover.ts';
import type { WrittenRecord } from './types.ts';

/** The one scope: contacts belong to the account, not to a list. */
export const CALL_EM_ALL_SCOPE = 'account';
const MARKER_PREFIX = 'crm-call-companion:';

/** What a contact we create carries in IntegrationData. */
export function callEmAllMarker(ref: string): string {
  return `${MARKER_PREFIX}${ref}`;
}

export interface CallEmAllContactMatch {
  [key: string]: unknown;
  marker: string;
}

export function callEmAllContactRecord(
  input: Omit<WrittenRecord, 'service' | 'match' | 'scope'> & { marker: string },
): WrittenRecord {
  const { marker, ...rest } = input;
  return { ...rest, service: 'callemall', scope: CALL_EM_ALL_SCOPE, match: { marker } satisfies CallEmAllContactMatch };
}

const isGone = (error: unknown) => isServiceError(error) && error.failure.kind === 'not-found';

export const callEmAllRemover: DuplicateRemover = {
  async removeCopies(config, _scope, records, signal) {
    const cea = config as CallEmAllConfig;
    const contacts = await listContacts(cea, signal);
    const outcomes = [];
    for (const record of records) {
      const { marker } = record.match as CallEmAllContactMatch;
      const copies = contacts.flatMap((contact) => {
        const id = personIdOf(contact);
        return contact.IntegrationData === marker && id !== undefined ? [id] : [];
      });
      outcomes.push(await removeAllBut(copies, String, record.keepId, (id) => deleteContact(cea, id, signal), isGone));
    }
    return outcomes;
  },
};
