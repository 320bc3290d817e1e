/**
 * Reading a tracked click-to-call: its state from Multisender's answer, which changes deserve a
 * notification (issue 5: "when a receiver accepts or the call expires"), whether polling still
 * follows it, and its view for Activity. Pure: no storage, no network.
 */
import { describeFailure } from '../errors.ts';
import { displayPhone } from '../log-call/phone.ts';
import { clickToCallProgress, parseMultisenderTime, type ClickToCall } from '../providers/multisender.ts';
import { FINAL_STATES, type ClickToCallView, type TrackedClickToCall, type TrackedState } from './types.ts';

/**
 * After an accept, Multisender fills in the call's duration once the connected call ends; it is
 * followed this long for it, so "Log this call" can say how long it was.
 */
export const DURATION_WAIT_MS = 15 * 60_000;

export interface Notice {
  kind: 'accepted' | 'expired';
  title: string;
  message: string;
}

export function isFinal(state: TrackedState): boolean {
  return FINAL_STATES.includes(state);
}

/** Whether polling still asks Multisender about it. */
export function isFollowed(call: TrackedClickToCall, now: number): boolean {
  if (call.state === 'calling') return true;
  if (call.state !== 'accepted') return false;
  const accepted = call.remote.receivers.find((r) => r.reply === 'accept');
  return (accepted?.callDuration ?? 0) === 0 && now - call.stateSince < DURATION_WAIT_MS;
}

/**
 * Takes Multisender's latest answer: the new record, and the notifications it calls for. A state
 * this browser decided (cancelled) is kept; every notification is shown at most once per call.
 */
export function applyRemote(
  call: TrackedClickToCall,
  remote: ClickToCall,
  now: number,
): { next: TrackedClickToCall; notices: Notice[] } {
  const progress = clickToCallProgress(remote, new Date(now));
  const state: TrackedState = call.state === 'cancelled' ? 'cancelled' : progress.state;
  const next: TrackedClickToCall = {
    ...call,
    remote,
    state,
    stateSince: state === call.state ? call.stateSince : now,
    checkedAt: now,
    checkError: undefined,
    nextCheckAt: undefined,
    notified: { ...call.notified },
  };
  const notices: Notice[] = [];
  if (state === 'accepted' && !next.notified.accepted) {
    next.notified.accepted = true;
    notices.push(acceptedNotice(next, progress.acceptedBy));
  }
  if (state === 'expired' && !next.notified.expired) {
    next.notified.expired = true;
    notices.push(expiredNotice(next));
  }
  return { next, notices };
}

/**
 * Multisender could not be asked: the last answer stays, but an expiry that has passed meanwhile
 * is still an expiry (Multisender stops calling at expiresAt whether we hear from it or not).
 */
export function applyCheckFailure(
  call: TrackedClickToCall,
  failure: TrackedClickToCall['checkError'] & object,
  now: number,
): { next: TrackedClickToCall; notices: Notice[] } {
  const expired = call.state === 'calling' && clickToCallProgress(call.remote, new Date(now)).state === 'expired';
  const next: TrackedClickToCall = {
    ...call,
    state: expired ? 'expired' : call.state,
    stateSince: expired ? now : call.stateSince,
    checkError: failure,
    nextCheckAt: failure.retryAfterMs ? now + failure.retryAfterMs : undefined,
    notified: { ...call.notified },
  };
  const notices: Notice[] = [];
  if (expired && !next.notified.expired) {
    next.notified.expired = true;
    notices.push(expiredNotice(next));
  }
  return { next, notices };
}

/** Multisender answers 404: it was deleted there (cancelled from its own site, or cleaned up). */
export function applyRemoved(call: TrackedClickToCall, now: number): TrackedClickToCall {
  if (isFinal(call.state)) return { ...call, checkedAt: now, checkError: undefined };
  return { ...call, state: 'removed', stateSince: now, checkedAt: now, checkError: undefined };
}

function acceptedNotice(call: TrackedClickToCall, acceptedBy: string | undefined): Notice {
  const who = acceptedBy ? displayPhone(acceptedBy) : 'A receiver';
  return {
    kind: 'accepted',
    title: 'Click-to-call accepted',
    message: `${who} pressed the accept key: Multisender is connecting the call.`,
  };
}

function expiredNotice(call: TrackedClickToCall): Notice {
  const numbers = call.numbers.map(displayPhone).join(', ');
  return {
    kind: 'expired',
    title: 'Click-to-call expired',
    message: `No one accepted the click-to-call to ${numbers} before it expired; Multisender has stopped calling.`,
  };
}

export function toView(call: TrackedClickToCall, now: number): ClickToCallView {
  const { remote } = call;
  const receivers = remote.receivers.map((r, index) => ({
    phone: r.phone ?? call.numbers[index] ?? '',
    answered: r.answered,
    reply: r.reply,
    dialledCalls: r.dialledCalls,
    callDuration: r.callDuration,
    latestCallAt: r.latestCallAt ? parseMultisenderTime(r.latestCallAt)?.getTime() : undefined,
  }));
  // The stats block is optional in the reference; the receivers always carry the same facts.
  const sum = (pick: (r: (typeof receivers)[number]) => number) => receivers.reduce((total, r) => total + pick(r), 0);
  const totals = {
    dialledCalls: remote.stats?.totalDialedCalls ?? sum((r) => r.dialledCalls),
    answeredCalls: remote.stats?.answeredCalls ?? sum((r) => (r.answered ? 1 : 0)),
    durationSeconds: remote.stats?.totalDuration ?? sum((r) => r.callDuration),
  };
  const expiresAt = remote.expiresAt ? parseMultisenderTime(remote.expiresAt)?.getTime() : undefined;
  return {
    id: call.id,
    createdAt: call.createdAt,
    source: call.source,
    state: call.state,
    stateSince: call.stateSince,
    acceptedBy: receivers.find((r) => r.reply === 'accept')?.phone,
    receivers,
    voiceFileId: remote.voiceFileId,
    voiceFileName: call.voiceFileName,
    activeFrom: remote.activeFrom,
    activeTo: remote.activeTo,
    expiresAt,
    maxRedials: remote.maxRedials ?? 3,
    totals,
    checkedAt: call.checkedAt,
    checkError: call.checkError ? describeFailure(call.checkError) : undefined,
    active: isFollowed(call, now),
  };
}
