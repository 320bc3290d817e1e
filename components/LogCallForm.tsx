import { useEffect, useRef, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { CurrentTab } from '../lib/current-tab.ts';
import { describeFailure } from '../lib/errors.ts';
import { parsePhone } from '../lib/log-call/phone.ts';
import type { Prefill } from '../lib/log-call/prefill.ts';
import { toLocalDateTime, validateCallDraft, type CallDraft, type DraftErrors, type DraftField } from '../lib/log-call/validate.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { PrefillView } from '../lib/protocol/outbox.ts';
import { CallFields } from './CallFields.tsx';
import { onPopupRequest } from './popup-requests.ts';

export interface LogCallFormProps {
  /** The tab the popup acts on (prefill reads its address and selection). */
  tab: CurrentTab | undefined;
  /** False while the popup still looks for its tab. */
  tabReady: boolean;
}

type Status = { kind: 'idle' | 'saving' | 'saved' | 'failed'; text: string };

const FIELD_ORDER: DraftField[] = ['phoneNumber', 'contactId', 'callResult', 'text', 'recordingLink', 'calledVia', 'calledAt'];

const PREFILL_HINTS = {
  'page-action': 'The number you used on the page.',
  selection: 'The number selected on the page.',
  tab: 'From the contact page that is open.',
  'last-logged': 'The contact this number was last logged for.',
  'last-action': 'The service last used with this number.',
} as const;

function emptyDraft(now: number, calledVia: CallDraft['calledVia'] = 'Other'): CallDraft {
  return {
    phoneNumber: '',
    contactId: '',
    callResult: 'conversation',
    text: '',
    recordingLink: '',
    calledVia,
    calledAt: toLocalDateTime(now),
  };
}

/**
 * Log a call: the note is validated, then queued in the background's outbox. "Saved" shows only
 * once the background answers, which it does after the note is committed to IndexedDB with
 * strict durability and before any request to the CRM: closing the popup then loses nothing.
 * Ctrl+Enter (⌘+Enter) saves from any field.
 */
export function LogCallForm({ tab, tabReady }: LogCallFormProps) {
  const [draft, setDraft] = useState<CallDraft>(() => emptyDraft(Date.now()));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [hints, setHints] = useState<Partial<Record<DraftField, string>>>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle', text: '' });
  const [context, setContext] = useState<PrefillView>();
  const touched = useRef(new Set<DraftField>());
  const latest = useRef(draft);
  latest.current = draft;
  // The entry id for this form as it stands: a retry of an unchanged form cannot queue it twice.
  const saveId = useRef(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!tabReady) return;
    void sendMessage('log-call/prefill', { tabId: tab?.id, tabUrl: tab?.url }).then((reply) => {
      if (!reply.ok) return;
      setContext(reply.value);
      applyPrefill(reply.value.prefill);
    });
  }, [tabReady]);

  // "Log this call" on a finished click-to-call (components/ClickToCallList.tsx): its values win.
  useEffect(
    () =>
      onPopupRequest((request) => {
        if (request.view !== 'log' || !request.logCall) return;
        const { phoneNumber, callResult, calledVia, calledAt } = request.logCall;
        const fill: Partial<CallDraft> = { phoneNumber, callResult, calledVia };
        if (calledAt !== undefined) fill.calledAt = toLocalDateTime(calledAt);
        for (const field of Object.keys(fill) as DraftField[]) touched.current.add(field);
        setDraft((current) => ({ ...current, ...Object.fromEntries(Object.entries(fill).filter(([, v]) => v !== undefined)) }));
        setErrors({});
        setHints((current) => ({
          ...current,
          phoneNumber: 'From the click-to-call.',
          callResult: callResult ? 'From the click-to-call.' : 'They answered but did not accept: choose what happened.',
        }));
      }),
    [],
  );

  /** Fills the fields the user has not typed in. */
  function applyPrefill(prefill: Prefill) {
    const fill: Partial<CallDraft> = {};
    const hinted: Partial<Record<DraftField, string>> = {};
    if (prefill.phoneNumber && !touched.current.has('phoneNumber')) {
      fill.phoneNumber = prefill.phoneNumber;
      if (prefill.sources.phoneNumber) hinted.phoneNumber = PREFILL_HINTS[prefill.sources.phoneNumber];
    }
    if (prefill.contactId && !touched.current.has('contactId')) {
      fill.contactId = prefill.contactId;
      if (prefill.sources.contactId) hinted.contactId = PREFILL_HINTS[prefill.sources.contactId];
    }
    if (prefill.calledVia && !touched.current.has('calledVia')) {
      fill.calledVia = prefill.calledVia;
      hinted.calledVia = PREFILL_HINTS['last-action'];
    }
    setDraft((current) => ({ ...current, ...fill }));
    setHints((current) => ({ ...current, ...hinted }));
  }

  function change(field: DraftField, value: string) {
    touched.current.add(field);
    saveId.current = crypto.randomUUID();
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
    setHints((current) => ({ ...current, [field]: undefined }));
    if (status.kind === 'saved' || status.kind === 'failed') setStatus({ kind: 'idle', text: '' });
  }

  /** A number typed by hand: offer the contact and service it was last logged with. */
  async function recallNumber() {
    if (!context || !parsePhone(draft.phoneNumber, context.defaultCountry)) return;
    const reply = await sendMessage('log-call/number-memory', { phoneNumber: draft.phoneNumber });
    if (!reply.ok) return;
    const { contactId, calledVia } = reply.value;
    // Only into an empty field: the user may have typed the contact while we asked.
    if (contactId && latest.current.contactId.trim() === '') {
      setDraft((current) => (current.contactId.trim() === '' ? { ...current, contactId } : current));
      setHints((current) => ({ ...current, contactId: PREFILL_HINTS['last-logged'] }));
    }
    if (calledVia && !touched.current.has('calledVia')) {
      setDraft((current) => ({ ...current, calledVia }));
      setHints((current) => ({ ...current, calledVia: PREFILL_HINTS['last-action'] }));
    }
  }

  function showErrors(found: DraftErrors) {
    setErrors(found);
    const first = FIELD_ORDER.find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#log-${first}`)?.focus();
    const count = Object.values(found).filter(Boolean).length;
    setStatus({ kind: 'failed', text: `Not saved: ${count === 1 ? 'one field needs' : `${count} fields need`} attention.` });
  }

  async function save() {
    if (status.kind === 'saving') return;
    if (context) {
      const local = validateCallDraft(draft, {
        defaultCountry: context.defaultCountry,
        contactPagePattern: context.contactPagePattern,
        now: Date.now(),
      });
      if (!local.ok) {
        showErrors(local.errors);
        return;
      }
    }
    setStatus({ kind: 'saving', text: 'Saving…' });
    const reply = await sendMessage('log-call/save', { draft, id: saveId.current });
    if (!reply.ok) {
      setStatus({ kind: 'failed', text: `Not saved: ${describeFailure(reply.error)}` });
      return;
    }
    if (!reply.value.ok) {
      showErrors(reply.value.errors);
      return;
    }
    // Committed: start the next note, keeping the service (calls tend to come in runs).
    touched.current.clear();
    saveId.current = crypto.randomUUID();
    setDraft((current) => emptyDraft(Date.now(), current.calledVia));
    setErrors({});
    setHints({});
    setStatus({ kind: 'saved', text: 'Saved. It is queued for the CRM; Activity shows when it is logged.' });
    form.current?.querySelector<HTMLElement>('#log-phoneNumber')?.focus();
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void save();
    } else if (event.target instanceof HTMLInputElement) {
      // Only Ctrl+Enter or the button saves: a stray Enter in a field must not log a call.
      event.preventDefault();
    }
  };

  return (
    <form
      ref={form}
      class="log-call"
      noValidate
      aria-label="Log a call"
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {context && !context.crmConfigured && (
        <div class="notice notice--warning">
          <p>
            The CRM is not set up yet. Notes are kept here and sent once it is.{' '}
            <button type="button" class="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
              Open options
            </button>
          </p>
        </div>
      )}
      <CallFields
        idPrefix="log"
        draft={draft}
        errors={errors}
        hints={hints}
        onChange={change}
        onPhoneBlur={() => void recallNumber()}
        autoFocusNotes
      />
      <div class="log-call__actions">
        <button type="submit" class="button button--primary" disabled={status.kind === 'saving'}>
          Save
        </button>
        <span class="muted log-call__shortcut" aria-hidden="true">
          Ctrl+Enter
        </span>
        <p id="log-call-status" class={`log-call__status log-call__status--${status.kind}`} role="status" aria-live="polite">
          {status.text}
        </p>
      </div>
    </form>
  );
}
