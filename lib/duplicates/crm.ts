/**
 * CRM notes: each carries its entry's ref marker ("[ref 8f3a2c1d]", lib/crm/client.ts), so the
 * copies of a note are the contact's calls whose own (last) marker is that ref. One list per
 * contact: `GET /calls.json?contact_id=..&date_filter=created_at&since=..`; extras are removed
 * with `DELETE /calls/{id}.json`.
 */
import { deleteCall, listCallsSince, noteRef, reconcileSince, type CrmConfig } from '../crm/client.ts';
import { isServiceError } from '../errors.ts';
import { removeAllBut, type DuplicateRemover } from './remover.ts';
import type { WrittenRecord } from './types.ts';

export interface CrmNoteMatch {
  [key: string]: unknown;
  ref: string;
}

export function crmNoteRecord(
  input: Omit<WrittenRecord, 'service' | 'match' | 'scope'> & { contactId: string; ref: string },
): WrittenRecord {
  const { contactId, ref, ...rest } = input;
  return { ...rest, service: 'crm', scope: contactId, match: { ref } satisfies CrmNoteMatch };
}

const isGone = (error: unknown) => isServiceError(error) && error.failure.kind === 'not-found';

export const crmRemover: DuplicateRemover = {
  async removeCopies(config, contactId, records, signal) {
    const crm = config as CrmConfig;
    const since = Math.min(...records.map((record) => reconcileSince(record.since)));
    let calls;
    try {
      calls = await listCallsSince(crm, contactId, since, signal);
    } catch (error) {
      // The contact is gone, and its calls with it: nothing left to remove.
      if (isGone(error)) return records.map(() => ({ removed: [] }));
      throw error;
    }
    const outcomes = [];
    for (const record of records) {
      const ref = String((record.match as CrmNoteMatch).ref);
      const copies = calls.filter((call) => noteRef(call.text) === ref);
      outcomes.push(
        await removeAllBut(
          copies,
          (call) => call.id,
          record.keepId,
          (call) => deleteCall(crm, call.id, signal),
          isGone,
        ),
      );
    }
    return outcomes;
  },
};
