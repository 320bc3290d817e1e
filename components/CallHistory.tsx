import { useEffect, useState } from 'preact/hooks';
import { describeFailure } from '../lib/errors.ts';
import { displayPhone } from '../lib/log-call/phone.ts';
import { sendMessage } from '../lib/messaging.ts';
import { CALL_RESULT_LABELS } from '../lib/outbox/crm-call.ts';
import type { HistoryView } from '../lib/protocol/outbox.ts';
import type { CallResult } from '../lib/crm/client.ts';
import { formatWhen } from './time-format.ts';

export interface CallHistoryProps {
  active: boolean;
}

const POLL_MS = 3_000;

/** The last 200 calls logged to the CRM, newest first, each with a link to its contact. */
export function CallHistory({ active }: CallHistoryProps) {
  const [records, setRecords] = useState<HistoryView[]>();
  const [problem, setProblem] = useState('');

  useEffect(() => {
    if (!active) return;
    const load = async () => {
      const reply = await sendMessage('outbox/history', {});
      if (reply.ok) setRecords(reply.value);
      else setProblem(describeFailure(reply.error));
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [active]);

  if (!records) return <p class="muted">{problem || 'Loading…'}</p>;
  if (records.length === 0) return <p class="muted">No calls logged yet.</p>;

  return (
    <ol class="history" aria-label="Logged calls">
      {records.map((record) => {
        const note = record.text.trim().split('\n')[0] ?? '';
        return (
          <li key={record.id} class="history__item">
            <div class="history__head">
              <span class="history__title">
                {displayPhone(record.phoneNumber)} · {CALL_RESULT_LABELS[record.callResult as CallResult] ?? record.callResult}
              </span>
              <time class="muted" dateTime={new Date(record.calledAt).toISOString()}>
                {formatWhen(record.calledAt)}
              </time>
            </div>
            {note && <p class="history__note">{note.length > 120 ? `${note.slice(0, 119)}…` : note}</p>}
            <p class="muted history__meta">
              {record.calledVia !== 'Other' && `Via ${record.calledVia} · `}
              {record.contactUrl ? (
                <a href={record.contactUrl} target="_blank" rel="noopener noreferrer">
                  Contact {record.contactId.length > 12 ? `${record.contactId.slice(0, 10)}…` : record.contactId} in the CRM
                </a>
              ) : (
                `Contact ${record.contactId}`
              )}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
