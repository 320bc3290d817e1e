/** Requests and entries for the outbox's unit tests. */
import type { CrmCallRequest } from '../../../lib/outbox/crm-call.ts';

export function callRequest(overrides: Partial<CrmCallRequest> = {}): CrmCallRequest {
  return {
    contactId: '5f0c00000000000000000001',
    phoneNumber: '+16505550100',
    callResult: 'conversation',
    text: 'Talked about the renewal',
    recordingLink: '',
    calledVia: 'Upcall',
    calledAt: 1_700_000_000_000,
    date: '2023-11-14',
    ...overrides,
  };
}
