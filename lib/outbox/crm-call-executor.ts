/**
 * Delivers 'crm-call' entries with the CRM client (lib/crm/client.ts). The calls resource has no
 * idempotency key (NOTES, "CRM calls resource"), so every note carries a short reference marker
 * made from the entry id ("— logged via CRM Call Companion [ref 8f3a2c1d]"), and a note whose
 * earlier send may have landed is looked for among the contact's calls before it is sent again.
 */
import {
  createCall,
  entryRef,
  updateCall,
  findMatchingCall,
  listCallsSince,
  reconcileSince,
  withEntryMarker,
  type CrmConfig,
  type NewCall,
} from '../crm/client.ts';
import { crmNoteRecord } from '../duplicates/crm.ts';
import type { WrittenRecord } from '../duplicates/types.ts';
import { ServiceError } from '../errors.ts';
import { displayPhone } from '../log-call/phone.ts';
import type { OutboxExecutor } from './executors.ts';
import type { OutboxEntry } from './types.ts';

export interface CrmCallExecutorDeps {
  /** Resolves the CRM's config, or throws a ServiceError ('not-configured', 'permission'). */
  config(): Promise<CrmConfig>;
}

/** The call as it is (or was) sent: the same marker on every try, so a lost one is recognised. */
export function newCallOf(entry: OutboxEntry<'crm-call'>): NewCall {
  const { request } = entry;
  return {
    contactId: request.contactId,
    callResult: request.callResult,
    text: withEntryMarker(request.text, entry.id),
    date: request.date,
    phoneNumber: request.phoneNumber,
    calledVia: request.calledVia,
    recordingLink: request.recordingLink,
  };
}

/** The note as a write to look for copies of (lib/duplicates/crm.ts), keeping the call `keepId`. */
export function writtenNote(entry: OutboxEntry<'crm-call'>, keepId: string): WrittenRecord {
  const { request } = entry;
  return crmNoteRecord({
    contactId: request.contactId,
    ref: entryRef(entry.id),
    keepId,
    since: entry.firstAttemptAt ?? entry.createdAt,
    label: `the note for ${displayPhone(request.phoneNumber)} on contact ${request.contactId}`,
    source: { kind: 'outbox', id: entry.id },
  });
}

export function createCrmCallExecutor(deps: CrmCallExecutorDeps): OutboxExecutor<'crm-call'> {
  return {
    async send(entry, signal) {
      const config = await deps.config();
      const call = await createCall(config, newCallOf(entry), signal);
      return { remoteId: call.id, via: 'response', written: writtenNote(entry, call.id) };
    },

    async reconcile(entry, signal) {
      const config = await deps.config();
      const since = reconcileSince(entry.firstAttemptAt ?? entry.createdAt);
      let calls;
      try {
        calls = await listCallsSince(config, entry.request.contactId, since, signal);
      } catch (error) {
        // No such contact: no call can have been created on it, so an earlier send is not there
        // (the send that follows gets the same 404 and asks the user).
        if (error instanceof ServiceError && error.failure.kind === 'not-found') return { status: 'absent' };
        throw error;
      }
      const note = newCallOf(entry);
      const match = findMatchingCall(calls, note);
      if (!match) return { status: 'absent' };
      // The user edited the note after a try that did land: the CRM gets the edit.
      if (entry.editedWhileUnconfirmed) {
        await updateCall(
          config,
          match.id,
          {
            callResult: note.callResult,
            text: note.text,
            date: note.date,
            phoneNumber: note.phoneNumber,
            calledVia: note.calledVia,
            recordingLink: note.recordingLink,
          },
          signal,
        );
      }
      return { status: 'found', delivered: { remoteId: match.id, via: 'reconciled', written: writtenNote(entry, match.id) } };
    },
  };
}
