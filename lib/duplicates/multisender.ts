/**
 * Multisender click-to-calls: each carries the confirmation's request id in `meta` (Multisender
 * passes it back as is), so a second click-to-call for one request — a person about to be called
 * twice — is found in `GET /click_to_calls` and cancelled with `DELETE /click_to_calls/:id`.
 */
import { isServiceError } from '../errors.ts';
import { cancelClickToCall, listClickToCalls, type MultisenderConfig } from '../providers/multisender.ts';
import { removeAllBut, type DuplicateRemover } from './remover.ts';
import type { WrittenRecord } from './types.ts';

export const MULTISENDER_SCOPE = 'account';

export interface ClickToCallMatch {
  [key: string]: unknown;
  requestId: string;
}

export function clickToCallRecord(
  input: Omit<WrittenRecord, 'service' | 'match' | 'scope'> & { requestId: string },
): WrittenRecord {
  const { requestId, ...rest } = input;
  return { ...rest, service: 'multisender', scope: MULTISENDER_SCOPE, match: { requestId } satisfies ClickToCallMatch };
}

const isGone = (error: unknown) => isServiceError(error) && error.failure.kind === 'not-found';

export const multisenderRemover: DuplicateRemover = {
  async removeCopies(config, _scope, records, signal) {
    const ms = config as MultisenderConfig;
    const calls = await listClickToCalls(ms, signal);
    const outcomes = [];
    for (const record of records) {
      const { requestId } = record.match as ClickToCallMatch;
      const copies = calls.filter((call) => call.meta?.requestId === requestId);
      outcomes.push(
        await removeAllBut(
          copies,
          (call) => call.clickToCallId,
          record.keepId,
          (call) => cancelClickToCall(ms, call.clickToCallId, signal),
          isGone,
        ),
      );
    }
    return outcomes;
  },
};
