import { describe, expect, it } from 'vitest';
import {
  applyCheckFailure,
  applyRemote,
  applyRemoved,
  DURATION_WAIT_MS,
  isFollowed,
  toView,
} from '../../../lib/click-to-call/status.ts';
import type { TrackedClickToCall } from '../../../lib/click-to-call/types.ts';
import type { ClickToCall, ClickToCallReceiver } from '../../../lib/providers/multisender.ts';

const T0 = Date.parse('2030-05-06T10:00:00Z');

function receiver(patch: Partial<ClickToCallReceiver> = {}): ClickToCallReceiver {
  return {
    accountId: '811',
    groupId: undefined,
    phone: '+16505550100',
    firstName: undefined,
    lastName: undefined,
    answered: false,
    reply: undefined,
    callDuration: 0,
    dialledCalls: 0,
    latestCallAt: undefined,
    ...patch,
  };
}

function remote(patch: Partial<ClickToCall> = {}): ClickToCall {
  return {
    clickToCallId: '9003',
    expiresAt: '2030-05-13 10:00:00',
    activeFrom: '09:00:00',
    activeTo: '17:00:00',
    activeWeekdays: [],
    voiceFileId: '101',
    actionButtons: [],
    receivers: [receiver(), receiver({ phone: '+442079460958', accountId: '812' })],
    maxRedials: 3,
    ...patch,
  } as ClickToCall;
}

function tracked(patch: Partial<TrackedClickToCall> = {}): TrackedClickToCall {
  return {
    id: '9003',
    requestId: 'req-12345678',
    baseUrl: 'https://ms.example.com/v1',
    createdAt: T0,
    source: 'popup',
    numbers: ['+16505550100', '+442079460958'],
    voiceFileName: 'Callback request (EN)',
    remote: remote(),
    state: 'calling',
    stateSince: T0,
    checkedAt: T0,
    notified: {},
    ...patch,
  };
}

describe('click-to-call status', () => {
  it('an accept is noticed once, with who accepted', () => {
    const answer = remote({ receivers: [receiver({ answered: true, reply: 'accept', dialledCalls: 1 })] });
    const first = applyRemote(tracked(), answer, T0 + 60_000);
    expect(first.next.state).toBe('accepted');
    expect(first.next.stateSince).toBe(T0 + 60_000);
    expect(first.notices).toEqual([
      {
        kind: 'accepted',
        title: 'Click-to-call accepted',
        message: '+1 650 555 0100 pressed the accept key: Multisender is connecting the call.',
      },
    ]);
    const second = applyRemote(first.next, answer, T0 + 90_000);
    expect(second.notices).toEqual([]);
    expect(second.next.stateSince).toBe(T0 + 60_000);
  });

  it('an expiry is noticed once, also when Multisender cannot be reached', () => {
    const expired = remote({ expiresAt: '2030-05-06 10:30:00' });
    const { next, notices } = applyRemote(tracked(), expired, T0 + 31 * 60_000);
    expect(next.state).toBe('expired');
    expect(notices.map((n) => n.kind)).toEqual(['expired']);
    expect(notices[0]!.message).toBe(
      'No one accepted the click-to-call to +1 650 555 0100, +44 20 7946 0958 before it expired; Multisender has stopped calling.',
    );

    const offline = { kind: 'offline' as const, service: 'Multisender', host: 'ms.example.com' };
    const before = applyCheckFailure(tracked({ remote: expired }), offline, T0 + 10 * 60_000);
    expect(before.next.state).toBe('calling');
    expect(before.next.checkError).toEqual(offline);
    expect(before.notices).toEqual([]);
    const after = applyCheckFailure(before.next, offline, T0 + 40 * 60_000);
    expect(after.next.state).toBe('expired');
    expect(after.notices.map((n) => n.kind)).toEqual(['expired']);
    expect(applyCheckFailure(after.next, offline, T0 + 50 * 60_000).notices).toEqual([]);
  });

  it('a 429 waits for Retry-After; a success clears the error', () => {
    const limited = applyCheckFailure(
      tracked(),
      { kind: 'rate-limited', service: 'Multisender', retryAfterMs: 20_000 },
      T0,
    );
    expect(limited.next.nextCheckAt).toBe(T0 + 20_000);
    const ok = applyRemote(limited.next, remote(), T0 + 25_000);
    expect(ok.next.checkError).toBeUndefined();
    expect(ok.next.nextCheckAt).toBeUndefined();
  });

  it('all receivers declining is not accepted; a cancel made here stays cancelled', () => {
    const declined = remote({
      receivers: [
        receiver({ answered: true, reply: 'decline', dialledCalls: 1 }),
        receiver({ phone: '+442079460958', answered: true, reply: 'decline', dialledCalls: 1 }),
      ],
    });
    expect(applyRemote(tracked(), declined, T0).next.state).toBe('not-accepted');
    expect(applyRemote(tracked({ state: 'cancelled' }), declined, T0).next.state).toBe('cancelled');
  });

  it('gone at Multisender (404) is removed, unless it had already ended', () => {
    expect(applyRemoved(tracked(), T0).state).toBe('removed');
    expect(applyRemoved(tracked({ state: 'accepted' }), T0).state).toBe('accepted');
  });

  it('is followed while calling, and after an accept until the duration is known', () => {
    expect(isFollowed(tracked(), T0)).toBe(true);
    const accepted = tracked({
      state: 'accepted',
      stateSince: T0,
      remote: remote({ receivers: [receiver({ answered: true, reply: 'accept' })] }),
    });
    expect(isFollowed(accepted, T0 + 60_000)).toBe(true);
    expect(isFollowed(accepted, T0 + DURATION_WAIT_MS + 1)).toBe(false);
    const withDuration = {
      ...accepted,
      remote: remote({ receivers: [receiver({ answered: true, reply: 'accept', callDuration: 95 })] }),
    };
    expect(isFollowed(withDuration, T0 + 60_000)).toBe(false);
    expect(isFollowed(tracked({ state: 'expired' }), T0)).toBe(false);
  });

  it('the view adds up the receivers when Multisender sends no stats, and reads its times as UTC', () => {
    const view = toView(
      tracked({
        remote: remote({
          stats: undefined,
          receivers: [
            receiver({
              answered: true,
              reply: 'noAnswer',
              dialledCalls: 2,
              callDuration: 12,
              latestCallAt: '2030-05-06 10:05:00',
            }),
            receiver({ phone: '+442079460958', answered: true, reply: 'accept', dialledCalls: 1, callDuration: 184 }),
          ],
        }),
        state: 'accepted',
      }),
      T0,
    );
    expect(view.totals).toEqual({ dialledCalls: 3, answeredCalls: 2, durationSeconds: 196 });
    expect(view.acceptedBy).toBe('+442079460958');
    expect(view.receivers[0]!.latestCallAt).toBe(Date.parse('2030-05-06T10:05:00Z'));
    expect(view.expiresAt).toBe(Date.parse('2030-05-13T10:00:00Z'));
    expect(view).not.toHaveProperty('baseUrl');
  });
});
