import { useEffect, useRef, useState } from 'preact/hooks';
import {
  formatAge,
  formatDuration,
  formatHours,
  formatWhen,
  replyLabel,
  STATE_LABELS,
} from '../lib/click-to-call/format.ts';
import { logPrefillOf } from '../lib/click-to-call/log-prefill.ts';
import { describeFailure } from '../lib/errors.ts';
import { displayPhone } from '../lib/log-call/phone.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { ClickToCallView } from '../lib/protocol/click-to-call.ts';
import { requestPopupView } from './popup-requests.ts';
import './click-to-call.css';

export interface ClickToCallListProps {
  /** Polls only while its tab is shown. */
  active: boolean;
}

/**
 * While the popup shows Activity and a click-to-call is in progress, Multisender is asked this
 * often (the background's alarm, every 30 s, covers the time the popup is closed).
 */
export const POPUP_POLL_MS = 3_000;

/**
 * Activity's click-to-calls created from this browser, newest first, with what Multisender last
 * said: each receiver's answer and reply, calls dialled, duration; Cancel (with confirmation)
 * while it calls, "Log this call" once it has ended.
 */
export function ClickToCallList({ active }: ClickToCallListProps) {
  const [calls, setCalls] = useState<ClickToCallView[]>();
  const [now, setNow] = useState(Date.now());
  const [problem, setProblem] = useState('');
  const anyActive = calls?.some((call) => call.active) ?? false;
  const inFlight = useRef(false);

  const refresh = async (ask: boolean) => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const reply = await sendMessage('click-to-call/list', { refresh: ask });
      if (reply.ok) {
        setCalls(reply.value.calls);
        setNow(reply.value.now);
        setProblem('');
      } else setProblem(describeFailure(reply.error));
    } finally {
      inFlight.current = false;
    }
  };

  useEffect(() => {
    if (active) void refresh(true);
  }, [active]);

  useEffect(() => {
    if (!active || !anyActive) return;
    const timer = setInterval(() => void refresh(true), POPUP_POLL_MS);
    return () => clearInterval(timer);
  }, [active, anyActive]);

  if (!calls) return <p class="muted">{problem || 'Loading click-to-calls…'}</p>;
  return (
    <div class="ctc">
      {problem && <p class="field__error">{problem}</p>}
      {calls.length === 0 ? (
        <p class="muted outbox__empty">
          No click-to-calls from this browser yet. Choose “Click-to-call via Multisender” on a number, or use the
          Click-to-call tab.
        </p>
      ) : (
        <ul class="ctc-list" aria-label="Click-to-calls">
          {calls.map((call) => (
            <ClickToCallRow key={call.id} call={call} now={now} onChanged={() => void refresh(false)} />
          ))}
        </ul>
      )}
    </div>
  );
}

interface RowProps {
  call: ClickToCallView;
  now: number;
  onChanged: () => void;
}

function ClickToCallRow({ call, now, onChanged }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; failed: boolean }>();
  // Keyboard users land on the safe choice when asked, and back on Cancel… when they keep it.
  const keepButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (asked.current) cancelButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const titleId = `ctc-${call.id}-title`;
  const first = call.receivers[0]?.phone ?? '';
  const others = call.receivers.length - 1;
  const { totals } = call;

  const cancel = async () => {
    setBusy(true);
    const reply = await sendMessage('click-to-call/cancel', { id: call.id });
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) setMessage({ text: `Not cancelled. ${describeFailure(reply.error)}`, failed: true });
    else if (!reply.value.ok) setMessage({ text: reply.value.sentence, failed: true });
    else setMessage({ text: 'Cancelled: Multisender will not call anyone for it.', failed: false });
    onChanged();
  };

  const logIt = () => {
    const prefill = logPrefillOf(call);
    requestPopupView({ view: 'log', logCall: { ...prefill, phoneNumber: displayPhone(prefill.phoneNumber) } });
  };

  return (
    <li class={`ctc-item ctc-item--${call.state}`} aria-labelledby={titleId} data-click-to-call={call.id}>
      <div class="ctc-item__head">
        <span class="ctc-item__title" id={titleId}>
          {displayPhone(first)}
          {others > 0 && <span class="muted"> +{others} more</span>}
        </span>
        <span class={`ctc-state ctc-state--${call.state}`}>{STATE_LABELS[call.state]}</span>
      </div>
      <p class="ctc-item__meta">
        {summary(call)} · placed {formatAge(call.createdAt, now)}
      </p>
      <ul class="ctc-rows" aria-label="Receivers, in the order they are called">
        {call.receivers.map((receiver) => (
          <li key={receiver.phone}>
            <span class="ctc-rows__phone">{displayPhone(receiver.phone)}</span>
            <span>
              {replyLabel(receiver)} · {receiver.dialledCalls} {receiver.dialledCalls === 1 ? 'call' : 'calls'}
              {receiver.callDuration > 0 && ` · ${formatDuration(receiver.callDuration)}`}
            </span>
          </li>
        ))}
      </ul>
      <p class="ctc-item__meta">
        {totals.dialledCalls} dialled · {totals.answeredCalls} answered · {formatDuration(totals.durationSeconds)} ·{' '}
        {call.voiceFileName || `voice file ${call.voiceFileId}`} · {formatHours(call.activeFrom, call.activeTo)}
      </p>
      {call.checkError && (
        <p class="ctc-item__error">
          Could not check it: {call.checkError} Shown as Multisender said {formatAge(call.checkedAt, now)}.
        </p>
      )}
      {confirming ? (
        <p class="ctc-item__confirm" role="group" aria-label="Confirm cancelling">
          <span>Cancel this click-to-call? Multisender stops calling.</span>
          <button type="button" class="button button--danger" disabled={busy} onClick={() => void cancel()}>
            {busy ? 'Cancelling…' : 'Yes, cancel it'}
          </button>
          <button type="button" class="button" ref={keepButton} disabled={busy} onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <div class="ctc-item__actions">
          {call.state === 'calling' && (
            <button type="button" class="button" ref={cancelButton} onClick={() => setConfirming(true)}>
              Cancel…
            </button>
          )}
          {call.state !== 'calling' && call.state !== 'removed' && (
            <button type="button" class="button" onClick={logIt}>
              Log this call
            </button>
          )}
        </div>
      )}
      {message && (
        <p class={`ctc-item__meta${message.failed ? ' ctc-item__error' : ''}`} role="status">
          {message.text}
        </p>
      )}
    </li>
  );
}

/** "Calling until Tue 14 May, 17:00", "Accepted by +44 20 7946 0958", … */
function summary(call: ClickToCallView): string {
  switch (call.state) {
    case 'calling':
      return call.expiresAt ? `Calling until ${formatWhen(call.expiresAt)}` : 'Calling';
    case 'accepted':
      return `Accepted by ${displayPhone(call.acceptedBy ?? '')}`;
    case 'not-accepted':
      return 'Everyone declined or did not answer';
    case 'expired':
      return 'Expired with no accept';
    case 'cancelled':
      return 'Cancelled from this browser';
    case 'removed':
      return 'No longer at Multisender (deleted there)';
  }
}
