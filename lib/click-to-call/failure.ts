/**
 * Sentences for a click-to-call that could not be placed. A click-to-call is time-bound
 * (../shared/DESIGN.md "How data flows"): it is never queued, so the sentence must not promise a
 * retry the extension will not make, and must say whether a call may have been placed anyway.
 */
import { describeFailure, type Failure } from '../errors.ts';

/**
 * describeFailure's sentence, except where it promises that the extension will retry (true of
 * the outbox, not of an action the user started and is watching): then it says to try again.
 */
export function describeActionFailure(failure: Failure): string {
  const said = failure.message ? `: ${truncate(failure.message, 300)}` : '';
  switch (failure.kind) {
    case 'server':
      return `${failure.service} had a problem (${failure.status ?? 500})${said}.`;
    case 'rate-limited':
      return failure.retryAfterMs
        ? `${failure.service} is limiting requests (429). Try again in ${Math.ceil(failure.retryAfterMs / 1000)} s.`
        : `${failure.service} is limiting requests (429). Try again in a moment.`;
    default:
      return describeFailure(failure);
  }
}

/** Why a click-to-call was not placed, and whether it may have been placed anyway. */
export function describeCreateFailure(failure: Failure): string {
  const sentence = describeActionFailure(failure);
  if (failure.kind === 'cancelled') return sentence;
  return failure.mayHaveReached
    ? `${sentence} The click-to-call may have been placed anyway: Retry checks ${failure.service} first, so it is never placed twice.`
    : `${sentence} No call was placed.`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
