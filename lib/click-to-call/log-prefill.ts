/**
 * "Log this call" on a finished click-to-call (issue 5): what the Log a call form opens with.
 * Answered and accepted → conversation; nobody answered → no answer. Answered but declined (or
 * no key pressed) is left for the user to choose: the person heard the message but no
 * conversation was connected, which none of the CRM's results says on its own.
 */
import type { CallResult } from '../crm/client.ts';
import type { ClickToCallView, ReceiverView } from './types.ts';

export interface ClickToCallLogPrefill {
  /** E.164 of the receiver the call is about. */
  phoneNumber: string;
  callResult?: CallResult;
  calledVia: 'Multisender';
  /** Epoch ms of that receiver's latest call, else when the click-to-call was created. */
  calledAt: number;
}

/** The receiver a log is about: who accepted, else the first who answered, else the first. */
function subject(call: ClickToCallView): ReceiverView | undefined {
  return (
    call.receivers.find((r) => r.reply === 'accept') ?? call.receivers.find((r) => r.answered) ?? call.receivers[0]
  );
}

export function logPrefillOf(call: ClickToCallView): ClickToCallLogPrefill {
  const receiver = subject(call);
  const phoneNumber = receiver?.phone ?? '';
  const anyoneAnswered = call.receivers.some((r) => r.answered);
  const callResult: CallResult | undefined =
    receiver?.answered && receiver.reply === 'accept' ? 'conversation' : !anyoneAnswered ? 'no_answer' : undefined;
  return {
    phoneNumber,
    callResult,
    calledVia: 'Multisender',
    calledAt: receiver?.latestCallAt ?? call.createdAt,
  };
}
