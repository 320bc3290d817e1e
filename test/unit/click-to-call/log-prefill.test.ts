import { describe, expect, it } from 'vitest';
import { logPrefillOf } from '../../../lib/click-to-call/log-prefill.ts';
import type { ClickToCallView, ReceiverView } from '../../../lib/click-to-call/types.ts';

const CREATED = Date.parse('2030-05-06T10:00:00Z');

function view(receivers: ReceiverView[], state: ClickToCallView['state']): ClickToCallView {
  return {
    id: '9003',
    createdAt: CREATED,
    source: 'page',
    state,
    stateSince: CREATED,
    receivers,
    voiceFileId: '101',
    voiceFileName: 'Callback',
    activeFrom: '09:00:00',
    activeTo: '17:00:00',
    maxRedials: 3,
    totals: { dialledCalls: 0, answeredCalls: 0, durationSeconds: 0 },
    checkedAt: CREATED,
    active: false,
  };
}

const r = (patch: Partial<ReceiverView>): ReceiverView => ({
  phone: '+16505550100',
  answered: false,
  dialledCalls: 1,
  callDuration: 0,
  ...patch,
});

describe('Log this call', () => {
  it('answered and accepted: a conversation with the one who accepted, at their call', () => {
    const at = Date.parse('2030-05-06T10:04:00Z');
    expect(
      logPrefillOf(
        view(
          [
            r({ reply: 'noAnswer', dialledCalls: 4 }),
            r({ phone: '+442079460958', answered: true, reply: 'accept', latestCallAt: at }),
          ],
          'accepted',
        ),
      ),
    ).toEqual({ phoneNumber: '+442079460958', callResult: 'conversation', calledVia: 'Multisender', calledAt: at });
  });

  it('nobody answered: no answer, for the chosen number, at creation', () => {
    expect(
      logPrefillOf(view([r({ reply: 'noAnswer', dialledCalls: 4 }), r({ phone: '+442079460958' })], 'expired')),
    ).toEqual({
      phoneNumber: '+16505550100',
      callResult: 'no_answer',
      calledVia: 'Multisender',
      calledAt: CREATED,
    });
  });

  it('answered but declined: the result is left to the user', () => {
    const prefill = logPrefillOf(view([r({ answered: true, reply: 'decline' })], 'not-accepted'));
    expect(prefill.callResult).toBeUndefined();
    expect(prefill.phoneNumber).toBe('+16505550100');
  });
});
