import { useEffect, useRef } from 'preact/hooks';
import type { SecretMove } from '../lib/protocol/settings.ts';
import { SECRET_FIELDS, SERVICE_NAMES } from '../lib/services.ts';

export interface SecretMoveConfirmProps {
  moves: SecretMove[];
  /** What confirming does: "save" the settings, or "test" the connection. */
  action: 'save' | 'test';
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Asks before saved secrets go to a host they were not saved for (a changed base URL), naming
 * both hosts. Focus moves to it; Cancel is the default, as sending a token to a typo'd or
 * imported host cannot be undone.
 */
export function SecretMoveConfirm({ moves, action, onConfirm, onCancel }: SecretMoveConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), [moves]);
  const hosts = [...new Set(moves.map((m) => m.to))].join(', ');
  return (
    <div class="notice notice--warning secret-move" role="alertdialog" aria-labelledby="secret-move-title" aria-describedby="secret-move-text">
      <h2 id="secret-move-title">Send saved credentials to {hosts}?</h2>
      <ul id="secret-move-text">
        {moves.map((move) => {
          const fields = SECRET_FIELDS[move.service];
          const what = fields.length === 1 ? `your saved ${fields[0]!.label}` : `your saved ${SERVICE_NAMES[move.service]} keys`;
          return (
            <li key={move.service}>
              {SERVICE_NAMES[move.service]} now points at <strong>{move.to}</strong>, but {what} {fields.length === 1 ? 'was' : 'were'} saved
              for <strong>{move.from}</strong>. Confirm only if {move.to} is your {SERVICE_NAMES[move.service]}; a wrong address would
              receive {fields.length === 1 ? 'it' : 'them'}.
            </li>
          );
        })}
      </ul>
      <div class="secret-move__actions">
        <button type="button" class="button button--danger" onClick={onConfirm}>
          {action === 'save' ? `Send to ${hosts} and save` : `Send to ${hosts} and test`}
        </button>
        <button type="button" class="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
