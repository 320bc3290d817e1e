import { CALL_RESULTS, type CallResult } from '../lib/crm/client.ts';
import type { CallDraft, DraftErrors, DraftField } from '../lib/log-call/validate.ts';
import { CALL_RESULT_LABELS, CALLED_VIA, type CalledVia } from '../lib/outbox/crm-call.ts';

export interface CallFieldsProps {
  /** Prefix of element ids, so an edit form and the main form can coexist. */
  idPrefix: string;
  draft: CallDraft;
  errors: DraftErrors;
  onChange: (field: DraftField, value: string) => void;
  /** Short notes under fields: where a prefilled value came from. */
  hints?: Partial<Record<DraftField, string>>;
  onPhoneBlur?: () => void;
  autoFocusNotes?: boolean;
}

/** The fields of a call note, each with a visible label and its error under it. */
export function CallFields({ idPrefix, draft, errors, onChange, hints = {}, onPhoneBlur, autoFocusNotes }: CallFieldsProps) {
  const id = (field: DraftField) => `${idPrefix}-${field}`;
  const described = (field: DraftField) =>
    [hints[field] ? `${id(field)}-hint` : '', errors[field] ? `${id(field)}-error` : ''].filter(Boolean).join(' ') || undefined;
  const extras = (field: DraftField) => (
    <>
      {hints[field] && !errors[field] && (
        <p class="field__hint" id={`${id(field)}-hint`}>
          {hints[field]}
        </p>
      )}
      {errors[field] && (
        <p class="field__error" id={`${id(field)}-error`}>
          {errors[field]}
        </p>
      )}
    </>
  );
  const fieldClass = (field: DraftField) => `field${errors[field] ? ' field--invalid' : ''}`;
  const invalid = (field: DraftField) => (errors[field] ? 'true' : undefined);

  return (
    <div class="call-fields">
      <div class="call-fields__row">
        <div class={fieldClass('phoneNumber')}>
          <label for={id('phoneNumber')}>Phone number</label>
          <input
            id={id('phoneNumber')}
            type="tel"
            autoComplete="off"
            spellcheck={false}
            value={draft.phoneNumber}
            aria-invalid={invalid('phoneNumber')}
            aria-describedby={described('phoneNumber')}
            onInput={(event) => onChange('phoneNumber', event.currentTarget.value)}
            onBlur={onPhoneBlur}
          />
          {extras('phoneNumber')}
        </div>
        <div class={fieldClass('contactId')}>
          <label for={id('contactId')}>Contact ID</label>
          <input
            id={id('contactId')}
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={draft.contactId}
            aria-invalid={invalid('contactId')}
            aria-describedby={described('contactId')}
            onInput={(event) => onChange('contactId', event.currentTarget.value)}
          />
          {extras('contactId')}
        </div>
      </div>

      <fieldset class="field call-fields__result">
        <legend>Result</legend>
        <div class="call-fields__choices">
          {CALL_RESULTS.map((result: CallResult) => (
            <label key={result} class="choice">
              <input
                type="radio"
                name={id('callResult')}
                value={result}
                checked={draft.callResult === result}
                onChange={() => onChange('callResult', result)}
              />
              {CALL_RESULT_LABELS[result]}
            </label>
          ))}
        </div>
      </fieldset>

      <div class={fieldClass('text')}>
        <label for={id('text')}>Notes</label>
        <textarea
          id={id('text')}
          rows={3}
          value={draft.text}
          autoFocus={autoFocusNotes}
          aria-invalid={invalid('text')}
          aria-describedby={described('text')}
          onInput={(event) => onChange('text', event.currentTarget.value)}
        />
        {extras('text')}
      </div>

      <div class={fieldClass('recordingLink')}>
        <label for={id('recordingLink')}>Recording link</label>
        <input
          id={id('recordingLink')}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          placeholder="https://…"
          value={draft.recordingLink}
          aria-invalid={invalid('recordingLink')}
          aria-describedby={described('recordingLink')}
          onInput={(event) => onChange('recordingLink', event.currentTarget.value)}
        />
        {extras('recordingLink')}
      </div>

      <div class="call-fields__row">
        <div class={fieldClass('calledVia')}>
          <label for={id('calledVia')}>Called via</label>
          <select
            id={id('calledVia')}
            value={draft.calledVia}
            aria-describedby={described('calledVia')}
            onChange={(event) => onChange('calledVia', event.currentTarget.value as CalledVia)}
          >
            {CALLED_VIA.map((via) => (
              <option key={via} value={via}>
                {via}
              </option>
            ))}
          </select>
          {extras('calledVia')}
        </div>
        <div class={fieldClass('calledAt')}>
          <label for={id('calledAt')}>Call time</label>
          <input
            id={id('calledAt')}
            type="datetime-local"
            value={draft.calledAt}
            aria-invalid={invalid('calledAt')}
            aria-describedby={described('calledAt')}
            onInput={(event) => onChange('calledAt', event.currentTarget.value)}
          />
          {extras('calledAt')}
        </div>
      </div>
    </div>
  );
}
