import type { ComponentChildren } from 'preact';

export interface FieldProps {
  id: string;
  /** Names the service and the field: "Upcall base URL". */
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: ComponentChildren;
  type?: 'text' | 'url' | 'password' | 'number' | 'time';
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'url';
  min?: number;
  max?: number;
}

/** A labelled input with its hint and its error under it (announced to screen readers). */
export function Field(props: FieldProps) {
  const { id, label, value, onInput, error, hint, type = 'text', placeholder, autoComplete = 'off' } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        // Preact 11 types each input type apart; all of these take a string value.
        type={type as 'text'}
        value={value}
        placeholder={placeholder}
        autoComplete={autoComplete}
        spellcheck={false}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
