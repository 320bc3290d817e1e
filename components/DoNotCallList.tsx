import { useEffect, useState } from 'preact/hooks';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { DoNotCallListView } from '../lib/protocol/campaigns.ts';
import './campaigns.css';

function ago(epochMs: number, now: number): string {
  const minutes = Math.round((now - epochMs) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return new Date(epochMs).toLocaleDateString();
}

/**
 * The do-not-call list in options (issue 4): the user's own numbers, added and removed at once
 * (they live in the background's IndexedDB, not in the settings saved by the page's Save), and
 * what else screening uses.
 */
export function DoNotCallList() {
  const [view, setView] = useState<DoNotCallListView>();
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const reply = await sendMessage('dnc/list', {});
    if (reply.ok) setView(reply.value);
    else setStatus(describeFailure(reply.error));
  };
  useEffect(() => {
    void load();
  }, []);

  const add = async () => {
    setBusy(true);
    const reply = await sendMessage('dnc/add', { number, ...(note.trim() ? { note: note.trim() } : {}) });
    setBusy(false);
    const result = reply.ok ? reply.value : { ok: false as const, error: describeFailure(reply.error) };
    if (!result.ok) {
      setError(result.error);
      setStatus('');
      return;
    }
    setError(undefined);
    setNumber('');
    setNote('');
    setStatus(`Added ${result.entry.display}. It will not be added to campaigns or called unless you override it.`);
    await load();
  };

  const remove = async (e164: string, display: string) => {
    const reply = await sendMessage('dnc/remove', { e164 });
    setStatus(reply.ok ? `Removed ${display}.` : describeFailure(reply.error));
    await load();
  };

  const now = Date.now();
  const cea = view?.callEmAll;
  return (
    <section class="card" aria-labelledby="dnc-title">
      <header class="card__header">
        <h2 id="dnc-title">Do-not-call list</h2>
      </header>
      <p class="card__description">
        Numbers here are never added to a campaign or called unless you override them, one at a time. Changes apply at
        once.
      </p>
      <form
        class="dnc-add"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <div class={`field${error ? ' field--invalid' : ''}`}>
          <label for="dnc-number">Do-not-call number</label>
          <input
            id="dnc-number"
            value={number}
            inputMode="tel"
            autoComplete="off"
            placeholder="+1 650 555 0100"
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'dnc-number-error' : undefined}
            onInput={(event) => {
              setNumber(event.currentTarget.value);
              setError(undefined);
            }}
          />
        </div>
        <div class="field">
          <label for="dnc-note">Do-not-call note (optional)</label>
          <input
            id="dnc-note"
            value={note}
            maxLength={200}
            autoComplete="off"
            onInput={(event) => setNote(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button" disabled={busy}>
          Add
        </button>
      </form>
      {error && (
        <p class="field__error" id="dnc-number-error" role="alert">
          {error}
        </p>
      )}
      <p class="save-bar__status" role="status" aria-live="polite">
        {status}
      </p>

      {view && view.local.length === 0 && <p class="dnc-empty">Your list is empty.</p>}
      {view && view.local.length > 0 && (
        <ul class="dnc-list" aria-label="Numbers you added">
          {view.local.map((entry) => (
            <li key={entry.e164}>
              <span>
                <span class="dnc-list__number">{entry.display}</span>
                {entry.note && <span class="dnc-list__note"> · {entry.note}</span>}
                <span class="dnc-list__note"> · added {ago(entry.addedAt, now)}</span>
              </span>
              <button
                type="button"
                class="button button--quiet button--danger"
                aria-label={`Remove ${entry.display}`}
                onClick={() => void remove(entry.e164, entry.display)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}

      {view && (
        <ul class="dnc-sources" aria-label="Other sources screened">
          <li>
            {cea?.configured || (cea?.count ?? 0) > 0
              ? cea?.error
                ? `Call-Em-All opt-outs: ${cea.count} held; the last sync failed: ${cea.error}`
                : `Call-Em-All opt-outs: ${cea?.count ?? 0} ${cea?.count === 1 ? 'number' : 'numbers'}${cea?.lastSyncAt ? `, synced ${ago(cea.lastSyncAt, now)}` : ', not synced yet'}.`
              : 'Call-Em-All opt-outs are used once Call-Em-All is set up.'}
          </li>
          <li>
            {view.upcallSeen === 0
              ? 'Upcall: no number marked do-not-call has been seen yet.'
              : `Upcall: ${view.upcallSeen} ${view.upcallSeen === 1 ? 'number' : 'numbers'} marked do-not-call seen when adding.`}
          </li>
        </ul>
      )}
    </section>
  );
}
