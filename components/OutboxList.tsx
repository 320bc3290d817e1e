import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { describeFailure } from '../lib/errors.ts';
import { displayPhone } from '../lib/log-call/phone.ts';
import { toLocalDateTime, type CallDraft, type DraftErrors, type DraftField } from '../lib/log-call/validate.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { OutboxRequests } from '../lib/outbox/types.ts';
import type { OutboxEntryView, OutboxListView } from '../lib/protocol/outbox.ts';
import { SERVICE_NAMES } from '../lib/services.ts';
import { CallFields } from './CallFields.tsx';
import { formatAge, formatWait } from './time-format.ts';

export interface OutboxListProps {
  /** Polls only while its tab is shown. */
  active: boolean;
}

const POLL_MS = 1_000;

/**
 * The outbox as the user sees it: every note not yet in the CRM with its state, age and last
 * error, and Retry now / Edit / Discard (with confirmation); notes delivered in the last minutes
 * show as Sent.
 */
export function OutboxList({ active }: OutboxListProps) {
  const [view, setView] = useState<OutboxListView>();
  const [problem, setProblem] = useState('');

  const refresh = async () => {
    const reply = await sendMessage('outbox/list', {});
    if (reply.ok) {
      setView(reply.value);
      setProblem('');
    } else setProblem(describeFailure(reply.error));
  };

  useEffect(() => {
    if (!active) return;
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [active]);

  if (!view) return <p class="muted">{problem || 'Loading the outbox…'}</p>;
  const waiting = view.entries.filter((entry) => entry.state !== 'sent').length;

  return (
    <div class="outbox">
      {problem && <p class="field__error">{problem}</p>}
      {view.pauses.map((pause) => (
        <div key={pause.service} class="notice notice--error" role="alert">
          <p>
            <strong>{SERVICE_NAMES[pause.service]} is paused.</strong> {describeFailure(pause.failure)} What waits for it is kept
            and sent once its credentials change.{' '}
            <button type="button" class="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
              Open options
            </button>
          </p>
        </div>
      ))}
      {waiting === 0 && <p class="muted outbox__empty">Nothing waiting: everything you saved has been delivered.</p>}
      <DuplicatesNotes view={view} />
      {view.entries.length > 0 && (
        <ul class="outbox__list" aria-label="Outbox">
          {[...view.entries].reverse().map((entry) => (
            <OutboxEntryRow key={entry.id} entry={entry} now={view.now} onChanged={() => void refresh()} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** How long removals and given-up checks stay listed apart from their entry. */
const DUPLICATE_NOTES_SHOWN_MS = 24 * 60 * 60_000;

/**
 * Copies made beneath us and removed (bulk adds, click-to-calls, and notes no longer listed), and
 * checks that could not be made: said once, plainly, so the user knows what was changed for them.
 */
function DuplicatesNotes({ view }: { view: OutboxListView }) {
  const listed = new Set(view.entries.map((entry) => entry.id));
  const removed = view.duplicates.removed.filter(
    (removal) => view.now - removal.at < DUPLICATE_NOTES_SHOWN_MS && !(removal.sourceKind === 'outbox' && listed.has(removal.sourceId)),
  );
  const abandoned = view.duplicates.abandoned.filter((check) => view.now - check.at < DUPLICATE_NOTES_SHOWN_MS);
  if (removed.length === 0 && abandoned.length === 0) return null;
  return (
    <section class="outbox__duplicates" aria-label="Duplicates removed">
      <ul>
        {abandoned.map((check) => (
          <li key={`a-${check.at}-${check.sentence}`} class="outbox-entry__error">
            {check.sentence}
          </li>
        ))}
        {removed.slice(0, 10).map((removal) => (
          <li key={`r-${removal.at}-${removal.sentence}`} class="outbox-entry__note">
            {removal.sentence} <span class="muted">{formatAge(view.now - removal.at, removal.at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

const STATE_LABELS = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  'needs-attention': 'Needs attention',
} as const;

interface RowProps {
  entry: OutboxEntryView;
  now: number;
  onChanged: () => void;
}

type Mode =
  | { kind: 'view' }
  | { kind: 'confirm-discard' }
  | { kind: 'confirm-send-anyway' }
  | { kind: 'edit'; draft: CallDraft; errors: DraftErrors };

function OutboxEntryRow({ entry, now, onChanged }: RowProps) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const stateLabel = entry.paused ? 'Paused' : STATE_LABELS[entry.state];
  const titleId = `entry-${entry.id}-title`;

  async function act(run: () => Promise<{ ok: true } | { ok: false; reason: string; errors?: DraftErrors }>, done: string) {
    setBusy(true);
    try {
      const result = await run();
      if (result.ok) {
        setMode({ kind: 'view' });
        setMessage(done);
      } else if (result.errors && mode.kind === 'edit') {
        setMode({ ...mode, errors: result.errors });
        setMessage(result.reason);
      } else setMessage(result.reason);
      onChanged();
    } finally {
      setBusy(false);
    }
  }

  const unwrap = async <T,>(promise: Promise<{ ok: true; value: T } | { ok: false; error: Parameters<typeof describeFailure>[0] }>) => {
    const reply = await promise;
    return reply.ok ? reply.value : { ok: false as const, reason: describeFailure(reply.error) };
  };

  const retry = () =>
    act(() => unwrap(sendMessage('outbox/retry', { id: entry.id })), 'It will be tried again now.');
  const discard = () =>
    act(() => unwrap(sendMessage('outbox/discard', { id: entry.id })), 'Discarded.');
  const sendAnyway = () =>
    act(() => unwrap(sendMessage('outbox/send-anyway', { id: entry.id })), 'It will be sent now, without the check.');
  const startEdit = () => {
    if (entry.editBlocker) {
      setMessage(entry.editBlocker);
      return;
    }
    if (entry.kind !== 'crm-call') return;
    const request = entry.request as OutboxRequests['crm-call'];
    setMode({
      kind: 'edit',
      errors: {},
      draft: {
        phoneNumber: displayPhone(request.phoneNumber),
        contactId: request.contactId,
        callResult: request.callResult,
        text: request.text,
        recordingLink: request.recordingLink,
        calledVia: request.calledVia,
        calledAt: toLocalDateTime(request.calledAt),
      },
    });
    setMessage('');
  };
  const saveEdit = () => {
    if (mode.kind !== 'edit') return;
    void act(
      () => unwrap(sendMessage('outbox/edit', { id: entry.id, change: { kind: 'crm-call', draft: mode.draft } })),
      'Saved. It will be sent again now.',
    );
  };

  const pending = entry.state === 'queued' || entry.state === 'sending';
  // Call notes go to the CRM; campaign adds to a calling service. Words differ, actions too:
  // a campaign add has nothing to edit (add the number again from the page instead).
  const isNote = entry.kind === 'crm-call';
  const where = isNote ? 'the CRM' : SERVICE_NAMES[entry.service];
  const progress = entry.inFlight
    ? 'Sending now…'
    : entry.paused
      ? `Waiting for the ${SERVICE_NAMES[entry.service]} credentials.`
      : entry.state === 'sent'
        ? `${isNote ? 'Logged' : 'Delivered'} ${formatAge(now - (entry.sentAt ?? now), entry.sentAt ?? now)}.`
        : entry.state === 'needs-attention'
          ? isNote
            ? 'Edit it and send it again, or discard it.'
            : 'Retry it once the problem is fixed, or discard it.'
          : entry.nextAttemptAt > now
            ? `Next try ${formatWait(entry.nextAttemptAt - now)}.`
            : 'Waiting for its turn.';
  const tries = entry.attempts > 0 ? ` ${entry.attempts} ${entry.attempts === 1 ? 'try' : 'tries'} so far.` : '';

  return (
    <li class={`outbox-entry outbox-entry--${entry.paused ? 'paused' : entry.state}`} aria-labelledby={titleId}>
      <div class="outbox-entry__head">
        <span class={`state state--${entry.paused ? 'paused' : entry.state}`}>{stateLabel}</span>
        <span class="muted outbox-entry__age">Saved {formatAge(now - entry.createdAt, entry.createdAt)}</span>
      </div>
      <p class="outbox-entry__title" id={titleId}>
        {entry.title}
      </p>
      {entry.detail && <p class="outbox-entry__detail">{entry.detail}</p>}
      {entry.lastError && entry.state !== 'sent' && (
        <p class={entry.state === 'needs-attention' ? 'outbox-entry__error' : 'outbox-entry__note'}>
          Last error: {describeFailure(entry.lastError)}
        </p>
      )}
      <p class="muted outbox-entry__progress">
        {progress}
        {pending ? tries : ''}
        {entry.unconfirmed && entry.state !== 'sent'
          ? ` It may already be in ${where}, so it is checked there before it is sent again.`
          : ''}
      </p>
      {entry.setAside && <p class="outbox-entry__error">{entry.setAside}</p>}
      {entry.reconcileBlocked && (
        <p class="outbox-entry__error">
          An earlier try may have reached {where}, and {where} would not let it be checked. Retry now checks again once
          that is fixed; Send anyway sends it without the check.
        </p>
      )}
      {entry.duplicatesRemoved.map((sentence) => (
        <p key={sentence} class="outbox-entry__note">
          {sentence}
        </p>
      ))}

      {mode.kind === 'edit' && (
        <form
          class="outbox-entry__edit"
          noValidate
          aria-label="Edit the note"
          onSubmit={(event) => {
            event.preventDefault();
            saveEdit();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              saveEdit();
            }
          }}
        >
          <CallFields
            idPrefix={`edit-${entry.id}`}
            draft={mode.draft}
            errors={mode.errors}
            onChange={(field: DraftField, value: string) =>
              setMode({ ...mode, draft: { ...mode.draft, [field]: value }, errors: { ...mode.errors, [field]: undefined } })
            }
          />
          <div class="outbox-entry__actions">
            <button type="submit" class="button button--primary" disabled={busy}>
              Save and send again
            </button>
            <button type="button" class="button" onClick={() => setMode({ kind: 'view' })}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {mode.kind === 'confirm-discard' && (
        <div class="outbox-entry__confirm" role="group" aria-label="Confirm discard">
          <p>
            {isNote
              ? 'Discard this note? It will not be logged to the CRM, and this cannot be undone.'
              : `Discard this add? The number will not be added in ${where}.`}
          </p>
          <div class="outbox-entry__actions">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void discard()}>
              {isNote ? 'Discard note' : 'Discard add'}
            </button>
            <button type="button" class="button" autoFocus onClick={() => setMode({ kind: 'view' })}>
              Keep it
            </button>
          </div>
        </div>
      )}

      {mode.kind === 'confirm-send-anyway' && (
        <div class="outbox-entry__confirm" role="group" aria-label="Confirm send anyway">
          <p>
            Send it without checking? If the earlier try did reach {where}, it will be there twice (a copy is removed later
            only if {where} lets the extension look).
          </p>
          <div class="outbox-entry__actions">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void sendAnyway()}>
              Send anyway
            </button>
            <button type="button" class="button" autoFocus onClick={() => setMode({ kind: 'view' })}>
              Keep waiting
            </button>
          </div>
        </div>
      )}

      {mode.kind === 'view' && entry.state !== 'sent' && (
        <div class="outbox-entry__actions">
          <button type="button" class="button" disabled={busy || entry.inFlight} onClick={() => void retry()}>
            Retry now
          </button>
          {entry.reconcileBlocked && (
            <button
              type="button"
              class="button"
              disabled={busy || entry.inFlight}
              onClick={() => {
                setMode({ kind: 'confirm-send-anyway' });
                setMessage('');
              }}
            >
              Send anyway…
            </button>
          )}
          {isNote && (
            <button type="button" class="button" disabled={busy || entry.inFlight} onClick={startEdit}>
              Edit
            </button>
          )}
          <button
            type="button"
            class="button button--danger"
            disabled={busy || entry.inFlight}
            onClick={() => {
              setMode({ kind: 'confirm-discard' });
              setMessage('');
            }}
          >
            Discard
          </button>
        </div>
      )}
      <p class="outbox-entry__message" role="status" aria-live="polite">
        {message}
      </p>
    </li>
  );
}
