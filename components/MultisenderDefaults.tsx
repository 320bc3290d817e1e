import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from '../lib/click-to-call/format.ts';
import { describeActionFailure } from '../lib/click-to-call/failure.ts';
import { sendMessage } from '../lib/messaging.ts';
import { originPattern, requestOrigins } from '../lib/permissions.ts';
import type { MultisenderDraft, VoiceCodeView, VoiceFileView } from '../lib/protocol/click-to-call.ts';
import { countWords, MAX_TTS_WORDS } from '../lib/providers/multisender.ts';
import type { FieldErrors, Settings } from '../lib/settings.ts';
import { Field } from './Field.tsx';
import { WeekdayPicker } from './WeekdayPicker.tsx';
import './click-to-call.css';

type Defaults = Settings['multisender'];
type DefaultField = Exclude<keyof Defaults, 'baseUrl'>;

export interface MultisenderDefaultsProps {
  /** The options page's draft of settings.multisender. */
  value: Defaults;
  onChange: (field: DefaultField, value: unknown) => void;
  /** The options page's save errors, keyed "multisender.<field>". */
  errors: FieldErrors;
  /** The access token typed but not saved yet (the saved one is used otherwise). */
  tokenDraft?: string | null;
}

const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** How often a text-to-speech file is asked about, and for how long, while it is pending. */
const TTS_POLL_MS = 1_500;
const TTS_GIVE_UP_MS = 3 * 60_000;

/**
 * Problems found while typing, before Save: the same rules as lib/settings.ts and the click-to-call
 * body (lib/providers/multisender.ts), in the words shown next to each field.
 */
export function checkDefaults(value: Defaults): Partial<Record<DefaultField, string>> {
  const errors: Partial<Record<DefaultField, string>> = {};
  if (!TIME.test(value.activeFrom)) errors.activeFrom = 'Use 24-hour HH:MM, e.g. 09:00.';
  if (!TIME.test(value.activeTo)) errors.activeTo = 'Use 24-hour HH:MM, e.g. 17:00.';
  else if (TIME.test(value.activeFrom) && value.activeFrom >= value.activeTo)
    errors.activeTo = 'The end of the active hours must be after the start.';
  if (value.activeWeekdays.length === 0) errors.activeWeekdays = 'Choose at least one day.';
  if (value.acceptKey === value.declineKey) errors.declineKey = 'The decline key must differ from the accept key.';
  if (!isWhole(value.maxRedials, 0, 10)) errors.maxRedials = 'Use a whole number from 0 to 10.';
  if (!isWhole(value.expiryHours, 1, 720)) errors.expiryHours = 'Use a whole number of hours from 1 to 720 (30 days).';
  return errors;
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Whole numbers are kept as numbers; anything else stays text so Save refuses it. */
function numberOrText(text: string): number | string {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

type Load<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'ok'; items: T } | { state: 'failed'; sentence: string };

type Speaking =
  | { state: 'idle' }
  | { state: 'sending' }
  | { state: 'pending'; file: VoiceFileView; since: number; elapsed: number }
  | { state: 'ready'; file: VoiceFileView }
  | { state: 'failed'; sentence: string };

/** The click-to-call defaults of the Multisender section of options (issue 5). */
export function MultisenderDefaults({ value, onChange, errors, tokenDraft }: MultisenderDefaultsProps) {
  const [files, setFiles] = useState<Load<VoiceFileView[]>>({ state: 'idle' });
  const [codes, setCodes] = useState<Load<VoiceCodeView[]>>({ state: 'idle' });
  const [ttsName, setTtsName] = useState('');
  const [ttsText, setTtsText] = useState('');
  const [ttsVoice, setTtsVoice] = useState('');
  const [ttsErrors, setTtsErrors] = useState<Partial<Record<'name' | 'text' | 'voiceCode', string>>>({});
  const [speaking, setSpeaking] = useState<Speaking>({ state: 'idle' });
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const draft = (): MultisenderDraft => ({ baseUrl: value.baseUrl, token: tokenDraft || undefined });
  const local = checkDefaults(value);
  const errorOf = (field: DefaultField) => local[field] ?? errors[`multisender.${field}`];

  const loadFiles = async () => {
    setFiles({ state: 'loading' });
    const reply = await sendMessage('multisender/voice-files', { draft: draft() });
    if (!alive.current) return;
    setFiles(
      reply.ok
        ? { state: 'ok', items: reply.value }
        : { state: 'failed', sentence: describeActionFailure(reply.error) },
    );
  };
  const loadCodes = async () => {
    setCodes({ state: 'loading' });
    const reply = await sendMessage('multisender/voice-codes', { draft: draft() });
    if (!alive.current) return;
    if (reply.ok) {
      setCodes({ state: 'ok', items: reply.value });
      setTtsVoice((current) => current || reply.value[0]?.voiceCode || '');
    } else {
      setCodes({ state: 'failed', sentence: describeActionFailure(reply.error) });
    }
  };

  // The saved account's voice files, as soon as the page opens (nothing to ask without an address).
  useEffect(() => {
    if (value.baseUrl.trim()) {
      void loadFiles();
      void loadCodes();
    }
  }, []);

  /** First thing in a click: the browser's prompt for the typed address, if it needs one. */
  const grant = () => {
    const pattern = originPattern(value.baseUrl);
    return pattern ? requestOrigins([pattern]).catch(() => false) : Promise.resolve(true);
  };

  const refresh = async () => {
    const granting = grant();
    await granting;
    await Promise.all([loadFiles(), loadCodes()]);
  };

  const chooseFile = (file: VoiceFileView | undefined) => {
    onChange('voiceFileId', file?.voiceFileId ?? '');
    onChange('voiceFileName', file?.name ?? '');
  };

  const speak = async () => {
    const granting = grant();
    setTtsErrors({});
    setSpeaking({ state: 'sending' });
    await granting;
    const reply = await sendMessage('multisender/text-to-speech', {
      draft: draft(),
      name: ttsName,
      text: ttsText,
      voiceCode: ttsVoice,
    });
    if (!alive.current) return;
    if (!reply.ok) {
      setSpeaking({ state: 'failed', sentence: describeActionFailure(reply.error) });
      return;
    }
    if (!reply.value.ok) {
      setTtsErrors(reply.value.errors);
      setSpeaking({ state: 'failed', sentence: reply.value.sentence });
      return;
    }
    await follow(reply.value.file);
  };

  /** Asks about a new voice file until Multisender has spoken it, then chooses it. */
  const follow = async (file: VoiceFileView) => {
    const since = Date.now();
    let current = file;
    while (alive.current && current.status === 'pending') {
      setSpeaking({ state: 'pending', file: current, since, elapsed: Date.now() - since });
      if (Date.now() - since > TTS_GIVE_UP_MS) {
        setSpeaking({
          state: 'failed',
          sentence: `“${current.name}” is still being prepared after 3 minutes. Use Refresh voice files later and choose it from the list.`,
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, TTS_POLL_MS));
      const reply = await sendMessage('multisender/voice-file', { draft: draft(), voiceFileId: current.voiceFileId });
      if (!alive.current) return;
      if (!reply.ok) {
        setSpeaking({
          state: 'failed',
          sentence: `Could not check “${current.name}”: ${describeActionFailure(reply.error)}`,
        });
        return;
      }
      current = reply.value;
    }
    if (!alive.current) return;
    if (current.status !== 'ready') {
      setSpeaking({
        state: 'failed',
        sentence: `Multisender could not speak “${current.name}” (${current.status}). Try other wording or another voice.`,
      });
      return;
    }
    setSpeaking({ state: 'ready', file: current });
    chooseFile(current);
    await loadFiles();
  };

  const readyFiles = files.state === 'ok' ? files.items.filter((f) => f.status === 'ready') : [];
  const pendingCount = files.state === 'ok' ? files.items.filter((f) => f.status === 'pending').length : 0;
  const savedMissing = value.voiceFileId !== '' && !readyFiles.some((f) => f.voiceFileId === value.voiceFileId);
  const words = countWords(ttsText);
  const wordsOver = words > MAX_TTS_WORDS;
  const busy = speaking.state === 'sending' || speaking.state === 'pending';
  const voiceError = errorOf('voiceFileId');

  return (
    <div class="ms-defaults" aria-labelledby="ms-defaults-title" role="group">
      <h3 id="ms-defaults-title">Click-to-call defaults</h3>
      <p class="field__hint">Every click-to-call is created with these. Nothing here is sent until you place one.</p>

      <div class={`field${voiceError ? ' field--invalid' : ''}`}>
        <label for="multisender-voiceFileId">Multisender voice file</label>
        <div class="field__row">
          <select
            id="multisender-voiceFileId"
            value={value.voiceFileId}
            aria-describedby="multisender-voiceFileId-hint multisender-voiceFiles-status"
            aria-invalid={voiceError ? 'true' : undefined}
            onChange={(event) => chooseFile(readyFiles.find((f) => f.voiceFileId === event.currentTarget.value))}
          >
            <option value="">Choose a voice file…</option>
            {savedMissing && (
              <option value={value.voiceFileId}>
                {value.voiceFileName || `Voice file ${value.voiceFileId}`} (saved; not in the ready list)
              </option>
            )}
            {readyFiles.map((file) => (
              <option key={file.voiceFileId} value={file.voiceFileId}>
                {file.name} ({formatDuration(file.duration)})
              </option>
            ))}
          </select>
          <button type="button" class="button" onClick={() => void refresh()} disabled={files.state === 'loading'}>
            {files.state === 'loading' ? 'Loading…' : 'Refresh voice files'}
          </button>
        </div>
        <p class="field__hint" id="multisender-voiceFileId-hint">
          What the person hears before pressing a key. Only voice files Multisender has finished (ready) are offered.
        </p>
        <p class="field__hint" id="multisender-voiceFiles-status" role="status" aria-live="polite">
          {files.state === 'idle' && 'Enter the Multisender base URL and access token above, then Refresh voice files.'}
          {files.state === 'loading' && 'Loading voice files from Multisender…'}
          {files.state === 'ok' &&
            `${readyFiles.length} ready ${readyFiles.length === 1 ? 'voice file' : 'voice files'}${pendingCount > 0 ? `; ${pendingCount} still being prepared` : ''}.`}
        </p>
        {files.state === 'failed' && (
          <p class="field__error" role="alert">
            {files.sentence}
          </p>
        )}
        {voiceError && (
          <p class="field__error" id="multisender-voiceFileId-error" role="alert">
            {voiceError}
          </p>
        )}
      </div>

      <details class="ms-tts">
        <summary>Create a voice file from text</summary>
        <div class="fields">
          <Field
            id="multisender-tts-name"
            label="Multisender voice file name"
            value={ttsName}
            onInput={setTtsName}
            error={ttsErrors.name}
            placeholder="Callback request"
          />
          <div class={`field${ttsErrors.text || wordsOver ? ' field--invalid' : ''}`}>
            <label for="multisender-tts-text">Text to speak</label>
            <textarea
              id="multisender-tts-text"
              rows={4}
              value={ttsText}
              aria-describedby="multisender-tts-text-count"
              aria-invalid={ttsErrors.text || wordsOver ? 'true' : undefined}
              onInput={(event) => setTtsText(event.currentTarget.value)}
            />
            <p class={wordsOver ? 'field__error' : 'field__hint'} id="multisender-tts-text-count" aria-live="polite">
              {wordsOver
                ? `${words} words: Multisender speaks at most ${MAX_TTS_WORDS}. Remove ${words - MAX_TTS_WORDS}.`
                : `${words} of ${MAX_TTS_WORDS} words.`}
            </p>
            {ttsErrors.text && !wordsOver && (
              <p class="field__error" role="alert">
                {ttsErrors.text}
              </p>
            )}
          </div>
          <div class={`field${ttsErrors.voiceCode ? ' field--invalid' : ''}`}>
            <label for="multisender-tts-voice">Multisender voice</label>
            <select
              id="multisender-tts-voice"
              value={ttsVoice}
              onChange={(event) => setTtsVoice(event.currentTarget.value)}
              aria-invalid={ttsErrors.voiceCode ? 'true' : undefined}
            >
              {codes.state !== 'ok' && (
                <option value="">{codes.state === 'loading' ? 'Loading voices…' : 'No voices loaded'}</option>
              )}
              {codes.state === 'ok' &&
                codes.items.map((code) => (
                  <option key={code.voiceCode} value={code.voiceCode}>
                    {code.description} ({code.voiceCode})
                  </option>
                ))}
            </select>
            {codes.state === 'failed' && <p class="field__error">{codes.sentence}</p>}
            {ttsErrors.voiceCode && <p class="field__error">{ttsErrors.voiceCode}</p>}
          </div>
          <div class="card__actions">
            <button type="button" class="button" onClick={() => void speak()} disabled={busy || wordsOver}>
              {busy ? 'Creating…' : 'Create voice file'}
            </button>
          </div>
          <div class="ms-tts__status" role="status" aria-live="polite">
            {speaking.state === 'sending' && <p>Sending the text to Multisender…</p>}
            {speaking.state === 'pending' && (
              <>
                <progress aria-label="Multisender is speaking the text" />
                <p>
                  Multisender is speaking “{speaking.file.name}”… ({Math.round(speaking.elapsed / 1000)} s). It is
                  chosen as soon as it is ready.
                </p>
              </>
            )}
            {speaking.state === 'ready' && (
              <p class="connection--ok">
                “{speaking.file.name}” is ready ({formatDuration(speaking.file.duration)}) and chosen as the voice file.
                Save settings to keep it.
              </p>
            )}
          </div>
          {speaking.state === 'failed' && (
            <p class="field__error" role="alert">
              {speaking.sentence}
            </p>
          )}
        </div>
      </details>

      <div class="ms-defaults__pair">
        <Field
          id="multisender-activeFrom"
          label="Multisender active from"
          type="time"
          value={value.activeFrom}
          onInput={(text) => onChange('activeFrom', text)}
          error={errorOf('activeFrom')}
        />
        <Field
          id="multisender-activeTo"
          label="Multisender active to"
          type="time"
          value={value.activeTo}
          onInput={(text) => onChange('activeTo', text)}
          error={errorOf('activeTo')}
        />
      </div>
      <p class="field__hint ms-defaults__note">Multisender only dials between these times, on the days below.</p>

      <WeekdayPicker
        id="multisender-activeWeekdays"
        legend="Multisender active weekdays"
        value={value.activeWeekdays}
        onChange={(days) => onChange('activeWeekdays', days)}
        error={errorOf('activeWeekdays')}
      />

      <div class="ms-defaults__pair">
        <KeySelect
          id="multisender-acceptKey"
          label="Multisender accept key"
          value={value.acceptKey}
          onChange={(key) => onChange('acceptKey', key)}
          error={errorOf('acceptKey')}
        />
        <KeySelect
          id="multisender-declineKey"
          label="Multisender decline key"
          value={value.declineKey}
          onChange={(key) => onChange('declineKey', key)}
          error={errorOf('declineKey')}
        />
      </div>

      <div class="ms-defaults__pair">
        <Field
          id="multisender-maxRedials"
          label="Multisender maximum redials"
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          value={String(value.maxRedials)}
          onInput={(text) => onChange('maxRedials', numberOrText(text))}
          error={errorOf('maxRedials')}
          hint="Tries again this many times when someone does not answer (0–10)."
        />
        <Field
          id="multisender-expiryHours"
          label="Multisender expiry (hours)"
          type="number"
          inputMode="numeric"
          min={1}
          max={720}
          value={String(value.expiryHours)}
          onInput={(text) => onChange('expiryHours', numberOrText(text))}
          error={errorOf('expiryHours')}
          hint="Stops calling this long after it is placed if no one accepted (at most 720 h = 30 days)."
        />
      </div>
    </div>
  );
}

interface KeySelectProps {
  id: string;
  label: string;
  value: string;
  onChange: (key: string) => void;
  error?: string;
}

function KeySelect({ id, label, value, onChange, error }: KeySelectProps) {
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {KEYS.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
      {error && (
        <p class="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
