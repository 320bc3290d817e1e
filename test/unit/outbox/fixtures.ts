/** Requests and entries for the outbox's unit tests. */
import type { CrmCallRequest } from '../../../lib/outbox/crm-call.ts';
import type { OutboxExecutor } from '../../../lib/outbox/executors.ts';

/** The registry needs every kind; these tests only deliver call notes, so a campaign add here is a bug. */
export const noCampaignAdds: OutboxExecutor<'campaign-add'> = {
  send: () => Promise.reject(new Error('this test delivers no campaign adds')),
  reconcile: () => Promise.reject(new Error('this test delivers no campaign adds')),
};

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
