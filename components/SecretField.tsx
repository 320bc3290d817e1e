import { useState } from 'preact/hooks';

export interface SecretFieldProps {
  id: string;
  /** "Upcall API token" */
  label: string;
  /** What the background says is saved: '' or a mask like "••••7f3a". Never the secret. */
  savedMask: string;
  /** What the user typed (replaces the saved value on save), null when clearing, undefined to keep. */
  draft: string | null | undefined;
  onChange: (value: string | null | undefined) => void;
  error?: string;
}

/**
 * A token field that never shows a saved token: the page only knows its mask. Typing replaces
 * it on save; Clear removes it.
 */
export function SecretField({ id, label, savedMask, draft, onChange, error }: SecretFieldProps) {
  const [reveal, setReveal] = useState(false);
  const clearing = draft === null;
  const status = clearing ? 'Will be removed when you save.' : savedMask ? `Saved (${savedMask}). Type to replace it.` : 'Not set.';
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <div class="field__row">
        <input
          id={id}
          name={id}
          type={(reveal ? 'text' : 'password') as 'text'}
          value={typeof draft === 'string' ? draft : ''}
          placeholder={clearing ? 'Cleared' : savedMask || 'Not set'}
          autoComplete="off"
          spellcheck={false}
          aria-describedby={`${id}-status${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? 'true' : undefined}
          onInput={(event) => {
            const value = event.currentTarget.value;
            onChange(value === '' ? undefined : value);
          }}
        />
        {typeof draft === 'string' && draft !== '' && (
          <button type="button" class="button button--quiet" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
            {reveal ? 'Hide' : 'Show'}
          </button>
        )}
        {savedMask && !clearing && (
          <button type="button" class="button button--quiet" onClick={() => onChange(null)}>
            Clear
          </button>
        )}
        {clearing && (
          <button type="button" class="button button--quiet" onClick={() => onChange(undefined)}>
            Keep
          </button>
        )}
      </div>
      <p class="field__hint" id={`${id}-status`}>
        {status}
      </p>
      {error && (
        <p class="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
