import { describe, expect, it } from 'vitest';
import { addLocalDoNotCall } from '../../../lib/dnc/store.ts';
import { ServiceError } from '../../../lib/errors.ts';
import { createCampaignAddExecutor } from '../../../lib/outbox/campaign-add-executor.ts';
import type { CampaignAddRequest } from '../../../lib/outbox/campaign-add.ts';
import type { OutboxEntry } from '../../../lib/outbox/types.ts';
import type { AddOutcome } from '../../../lib/providers/types.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();

function entry(request: Partial<CampaignAddRequest> = {}): OutboxEntry<'campaign-add'> {
  return {
    id: 'entry-1',
    kind: 'campaign-add',
    service: 'upcall',
    seq: 1,
    request: {
      service: 'upcall',
      campaignId: '1001',
      campaignName: 'Spring renewals',
      contact: { e164: '+16505550177', firstName: 'Ada' },
      overrideDoNotCall: false,
      ...request,
    },
    state: 'sending',
    attempts: 1,
    createdAt: 1,
    updatedAt: 1,
    nextAttemptAt: 1,
    unconfirmed: true,
  } as OutboxEntry<'campaign-add'>;
}

function executor(outcomes: AddOutcome[] = []) {
  return createCampaignAddExecutor({
    config: async () => ({
      baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.upcall}`,
      token: SANDBOX_CREDENTIALS.upcall.token,
    }),
    onOutcome: (_entry, outcome) => void outcomes.push(outcome),
  });
}

const signal = () => AbortSignal.timeout(10_000);

describe('the campaign-add executor', () => {
  it('screens again when it sends: a number blocked meanwhile is not sent', async () => {
    await addLocalDoNotCall('+16505550177', undefined, Date.now());
    const error = await executor()
      .send(entry(), signal())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).failure).toMatchObject({ kind: 'invalid', service: 'Do-not-call screening' });
    expect((error as ServiceError).message).toContain('is on the do-not-call list');
    expect(sandbox.current.requests).toEqual([]);
  });

  it('sends an overridden number anyway', async () => {
    await addLocalDoNotCall('+16505550177', undefined, Date.now());
    const outcomes: AddOutcome[] = [];
    await executor(outcomes).send(entry({ overrideDoNotCall: true }), signal());
    expect(outcomes).toEqual([{ outcome: 'added', remoteId: expect.any(String) }]);
  });

  it('answers "absent" without a request when no send got as far as checking the campaign', async () => {
    expect(await executor().reconcile(entry(), signal())).toEqual({ status: 'absent' });
    expect(sandbox.current.requests).toEqual([]);
  });

  it('finds a number its earlier send added, and counts it as added', async () => {
    // A send that checked (absent), wrote, and lost the answer.
    sandbox.current.faults.addRule({ service: 'upcall', method: 'POST', mode: 'drop-after', count: 1 });
    await expect(executor().send(entry(), signal())).rejects.toBeInstanceOf(ServiceError);
    const outcomes: AddOutcome[] = [];
    const found = await executor(outcomes).reconcile(entry(), signal());
    expect(found).toMatchObject({ status: 'found', delivered: { remoteId: expect.any(String), via: 'reconciled' } });
    // The add wrote: its copies are looked for afterwards, keeping the one found.
    expect(found.status === 'found' && found.delivered.written).toMatchObject({ service: 'upcall', scope: '1001' });
    expect(outcomes).toEqual([{ outcome: 'added', remoteId: expect.any(String) }]);
    // Once found, the marker is gone: a later look answers from scratch.
    expect(await executor().reconcile(entry(), signal())).toEqual({ status: 'absent' });
  });
});
