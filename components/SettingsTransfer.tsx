import { useState } from 'preact/hooks';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';
import type { SettingsView } from '../lib/protocol/settings.ts';

export interface SettingsTransferProps {
  onImported: (view: SettingsView) => void;
}

const MAX_FILE_BYTES = 100_000;

/** Export settings to a file (never the secrets) and import them back, all or nothing. */
export function SettingsTransfer({ onImported }: SettingsTransferProps) {
  const [message, setMessage] = useState<{ text: string; error?: boolean; details?: string[] }>();

  const exportSettings = async () => {
    const reply = await sendMessage('settings/export', {});
    if (!reply.ok) {
      setMessage({ text: describeFailure(reply.error), error: true });
      return;
    }
    const url = URL.createObjectURL(new Blob([reply.value.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `crm-call-companion-settings-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setMessage({ text: 'Settings exported. Tokens and keys are not in the file.' });
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setMessage({ text: `That file is too large (${Math.round(file.size / 1024)} KB) to be a settings export; nothing was changed.`, error: true });
      return;
    }
    const reply = await sendMessage('settings/import', { json: await file.text() });
    if (!reply.ok) {
      setMessage({ text: describeFailure(reply.error), error: true });
      return;
    }
    if (!reply.value.ok) {
      const { file: summary, ...fields } = reply.value.errors;
      setMessage({
        text: summary ?? 'The file was not imported; nothing was changed.',
        error: true,
        details: Object.entries(fields).map(([path, problem]) => `${path}: ${problem}`),
      });
      return;
    }
    onImported(reply.value.view);
    // A service pointed elsewhere by the file lost its saved credentials: say which, and why.
    const notices = reply.value.notices ?? [];
    setMessage({ text: notices.length > 0 ? 'Settings imported. Some credentials need entering again:' : 'Settings imported.', details: notices });
  };

  return (
    <section class="card" aria-labelledby="transfer-title">
      <header class="card__header">
        <h2 id="transfer-title">Export and import</h2>
      </header>
      <div class="card__actions">
        <button type="button" class="button" onClick={() => void exportSettings()}>
          Export settings
        </button>
        <label class="button" for="import-file">
          Import settings file
        </label>
        <input
          id="import-file"
          class="visually-hidden"
          type="file"
          accept="application/json,.json"
          onChange={(event) => {
            const input = event.currentTarget;
            void importFile(input.files?.[0]).finally(() => {
              input.value = '';
            });
          }}
        />
      </div>
      <div role="status" aria-live="polite" class={message?.error ? 'notice notice--error' : 'muted'}>
        {message?.text}
        {message?.details && message.details.length > 0 && (
          <ul>
            {message.details.slice(0, 10).map((detail) => (
              <li key={detail}>{detail}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
