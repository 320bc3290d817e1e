import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { callOrderLabels, formatWhen } from '../lib/click-to-call/format.ts';
import { splitNumbers } from '../lib/click-to-call/receivers.ts';
import type { CurrentTab } from '../lib/current-tab.ts';
import { describeFailure } from '../lib/errors.ts';
import { displayPhone } from '../lib/log-call/phone.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { ConfirmationView, CreateResult } from '../lib/protocol/click-to-call.ts';
import { requestPopupView } from './popup-requests.ts';
import './click-to-call.css';

export interface ClickToCallFormProps {
  /** The tab the popup acts on: the number last used on it is offered. */
  tab: CurrentTab | undefined;
  tabReady: boolean;
  /** The popup's address: `?number=` (the right-click menu) opens straight on the confirmation. */
  search?: string;
}

type Step =
  | { kind: 'edit' }
  | { kind: 'checking' }
  | { kind: 'confirm'; view: ConfirmationView }
  | { kind: 'placing'; view: ConfirmationView }
  | { kind: 'done'; view: ConfirmationView; result: CreateResult };

/** An id for one confirmation: a Retry sends the same, so Multisender is never asked twice. */
function newRequestId(): string {
  return crypto.randomUUID();
}

/**
 * The popup's click-to-call via Multisender: a number (and, optionally, further numbers called in
 * turn until one accepts), then a confirmation with the voice file, the hours, each contact's
 * local time and do-not-call screening, then Multisender's answer or the error with Retry.
 */
export function ClickToCallForm({ tab, tabReady, search = location.search }: ClickToCallFormProps) {
  const fromUrl = new URLSearchParams(search).get('number') ?? '';
  const [number, setNumber] = useState(fromUrl);
  const [further, setFurther] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [problem, setProblem] = useState('');
  const [override, setOverride] = useState<Set<string>>(new Set());
  const requestId = useRef(newRequestId());
  const touched = useRef(fromUrl !== '');
  const fromMenu = useRef(fromUrl !== '');

  // From the right-click menu: straight to the number's confirmation (it waits in the background
  // for the popup; ?number= does the same for a link to this page).
  useEffect(() => {
    if (fromUrl) {
      void review(fromUrl);
      return;
    }
    void sendMessage('click-to-call/pending', {}).then((reply) => {
      if (!reply.ok || !reply.value) return;
      touched.current = true;
      fromMenu.current = true;
      setNumber(reply.value.display);
      requestPopupView({ view: 'click-to-call' });
      void review(reply.value.display);
    });
  }, []);

  // Otherwise offer the number last used on the page, as the Log a call form does.
  useEffect(() => {
    if (!tabReady || touched.current) return;
    void sendMessage('log-call/prefill', { tabId: tab?.id, tabUrl: tab?.url }).then((reply) => {
      const offered = reply.ok ? reply.value.prefill.phoneNumber : undefined;
      if (offered && !touched.current) setNumber(offered);
    });
  }, [tabReady]);

  const review = async (first = number) => {
    setProblem('');
    if (!first.trim()) {
      setProblem('Enter the number Multisender should call.');
      return;
    }
    setStep({ kind: 'checking' });
    const reply = await sendMessage('click-to-call/prepare', { numbers: [first, ...splitNumbers(further)] });
    if (!reply.ok) {
      setStep({ kind: 'edit' });
      setProblem(describeFailure(reply.error));
      return;
    }
    requestId.current = newRequestId();
    setOverride(new Set());
    setStep({ kind: 'confirm', view: reply.value });
  };

  const place = async (view: ConfirmationView) => {
    setStep({ kind: 'placing', view });
    const receivers = view.receivers.flatMap((r) => (r.e164 && !r.error ? [r.e164] : []));
    const reply = await sendMessage('click-to-call/create', {
      receivers,
      requestId: requestId.current,
      overrideDoNotCall: [...override],
      source: fromMenu.current ? 'context-menu' : 'popup',
    });
    const result: CreateResult = reply.ok
      ? reply.value
      : { ok: false, reason: 'failed', sentence: describeFailure(reply.error), mayHaveReached: false };
    setStep({ kind: 'done', view, result });
  };

  const back = () => {
    setStep({ kind: 'edit' });
    requestId.current = newRequestId();
  };

  if (step.kind === 'edit' || step.kind === 'checking') {
    return (
      <form
        class="ctc-form"
        aria-label="Click-to-call via Multisender"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void review();
        }}
      >
        <p class="muted ctc-result">
          Multisender calls the number and plays your voice file; whoever presses the accept key is connected.
        </p>
        <div class={`field${problem ? ' field--invalid' : ''}`}>
          <label for="ctc-number">Number to call</label>
          <input
            id="ctc-number"
            type="tel"
            autoComplete="off"
            value={number}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'ctc-number-error' : undefined}
            // Once the field has the focus, an offered number arriving late must not replace
            // what is being typed.
            onFocus={() => {
              touched.current = true;
            }}
            onInput={(event) => {
              touched.current = true;
              setNumber(event.currentTarget.value);
              setProblem('');
            }}
          />
          {problem && (
            <p class="field__error" id="ctc-number-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <div class="field">
          <label for="ctc-further">Further numbers, in order (optional)</label>
          <textarea
            id="ctc-further"
            rows={2}
            value={further}
            aria-describedby="ctc-further-hint"
            onInput={(event) => setFurther(event.currentTarget.value)}
          />
          <p class="field__hint" id="ctc-further-hint">
            One per line. Called in turn until someone accepts.
          </p>
        </div>
        <div class="ctc-actions">
          <button type="submit" class="button button--primary" disabled={step.kind === 'checking'}>
            {step.kind === 'checking' ? 'Checking…' : 'Review call'}
          </button>
        </div>
      </form>
    );
  }

  return (
    <ClickToCallConfirm
      view={step.view}
      override={override}
      onOverride={(e164, on) =>
        setOverride((current) => {
          const next = new Set(current);
          if (on) next.add(e164);
          else next.delete(e164);
          return next;
        })
      }
      placing={step.kind === 'placing'}
      result={step.kind === 'done' ? step.result : undefined}
      onConfirm={() => void place(step.view)}
      onBack={back}
    />
  );
}

export interface ClickToCallConfirmProps {
  view: ConfirmationView;
  override: ReadonlySet<string>;
  onOverride: (e164: string, on: boolean) => void;
  placing: boolean;
  result?: CreateResult;
  onConfirm: () => void;
  onBack: () => void;
}

/** The confirmation: what will be sent, to whom, and what Multisender answered. */
export function ClickToCallConfirm({
  view,
  override,
  onOverride,
  placing,
  result,
  onConfirm,
  onBack,
}: ClickToCallConfirmProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const callable = view.receivers.filter((r) => r.e164 && !r.error);
  const settingsProblems = Object.keys(view.settingsErrors).length > 0;
  const blockedLeft = callable.some((r) => r.screening?.blocked && !override.has(r.e164!));
  const canConfirm = callable.length > 0 && !settingsProblems && !view.setupProblem && !blockedLeft && !placing;
  const placed = result?.ok === true;
  const order = callOrderLabels(view.receivers);

  return (
    <div class="ctc-confirm" role="group" aria-labelledby="ctc-confirm-title">
      <h2 id="ctc-confirm-title" tabIndex={-1} ref={heading}>
        {placed ? 'Click-to-call placed' : 'Confirm click-to-call via Multisender'}
      </h2>
      <ol class="ctc-receivers" aria-label="Numbers, in the order Multisender calls them">
        {view.receivers.map((receiver, index) => (
          <li class="ctc-receiver" key={`${index}-${receiver.input}`}>
            <span class="ctc-receiver__number">
              {receiver.display ?? receiver.input}
              {order[index] && <span class="ctc-receiver__order"> · {order[index]}</span>}
            </span>
            {receiver.error && <p class="field__error">{receiver.error} It is left out.</p>}
            {receiver.note && <p class="muted">{receiver.note}</p>}
            {receiver.localTime && (
              <p class={receiver.localTime.outsideHours ? 'ctc-local ctc-local--outside' : 'ctc-local'}>
                {receiver.localTime.text}
              </p>
            )}
            {receiver.screening?.blocked ? (
              <>
                <p class="ctc-dnc">On a do-not-call list: {receiver.screening.reasons.join('; ')}.</p>
                {!placed && (
                  <label class="ctc-override">
                    <input
                      type="checkbox"
                      checked={override.has(receiver.e164!)}
                      onChange={(event) => onOverride(receiver.e164!, event.currentTarget.checked)}
                    />
                    Call {receiver.display} anyway: I have their consent
                  </label>
                )}
              </>
            ) : (
              receiver.screening && <p class="ctc-dnc-ok">Not on any do-not-call list.</p>
            )}
          </li>
        ))}
      </ol>
      <dl class="ctc-facts">
        <dt>Voice file</dt>
        <dd>{view.voiceFile.name || 'None chosen'}</dd>
        <dt>Hours</dt>
        <dd>
          {view.hours}, {view.weekdays}
        </dd>
        <dt>Keys</dt>
        <dd>
          {view.acceptKey} accepts · {view.declineKey} declines
        </dd>
        <dt>Redials</dt>
        <dd>up to {view.maxRedials}</dd>
        <dt>Expires</dt>
        <dd>{formatWhen(view.expiresAt)}</dd>
      </dl>
      {!view.screened && <p class="muted ctc-result">Do-not-call screening is not available here.</p>}
      {view.setupProblem && (
        <p class="ctc-result ctc-result--failed" role="alert">
          {view.setupProblem}
        </p>
      )}
      {settingsProblems && (
        <div class="ctc-result ctc-result--failed" role="alert">
          Fix the Multisender defaults in options first:
          <ul>
            {Object.entries(view.settingsErrors).map(([field, message]) => (
              <li key={field}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      <ResultLine result={result} view={view} />
      <div class="ctc-actions">
        {placed ? (
          <>
            <button type="button" class="button button--primary" onClick={() => requestPopupView({ view: 'activity' })}>
              Follow it in Activity
            </button>
            <button type="button" class="button" onClick={onBack}>
              Call another number
            </button>
          </>
        ) : (
          <>
            {(settingsProblems || view.setupProblem || result?.reason === 'settings') && (
              <button type="button" class="button" onClick={() => void browser.runtime.openOptionsPage()}>
                Open options
              </button>
            )}
            <button type="button" class="button button--primary" disabled={!canConfirm} onClick={onConfirm}>
              {placing ? 'Placing…' : result && !result.ok && result.reason === 'failed' ? 'Retry' : 'Confirm and call'}
            </button>
            <button type="button" class="button" disabled={placing} onClick={onBack}>
              Back
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function ResultLine({ result, view }: { result: CreateResult | undefined; view: ConfirmationView }) {
  if (!result) return null;
  if (result.ok) {
    const who = displayPhone(result.call.receivers[0]?.phone ?? '');
    const when = `during its active hours (${view.hours}, ${view.weekdays})`;
    return (
      <p class="ctc-result ctc-result--ok" role="status">
        {result.adopted
          ? `Multisender had already placed it, so nothing was sent twice. It will call ${who} ${when}.`
          : `Placed: Multisender will call ${who} ${when}.`}
      </p>
    );
  }
  return (
    <p class="ctc-result ctc-result--failed" role="alert">
      {result.sentence}
    </p>
  );
}
