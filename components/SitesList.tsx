import { useEffect, useState } from 'preact/hooks';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';

/** The sites where detection runs, each with Remove. */
export function SitesList() {
  const [sites, setSites] = useState<string[]>();
  const [message, setMessage] = useState('');

  const load = async () => {
    const reply = await sendMessage('sites/list', {});
    if (reply.ok) setSites(reply.value);
    else setMessage(describeFailure(reply.error));
  };
  useEffect(() => {
    void load();
  }, []);

  const remove = async (site: string) => {
    const reply = await sendMessage('sites/disable', { site });
    setMessage(reply.ok ? `Detection is off on ${new URL(site).hostname}.` : describeFailure(reply.error));
    await load();
  };

  return (
    <section class="card" aria-labelledby="sites-title">
      <header class="card__header">
        <h2 id="sites-title">Sites where numbers are detected</h2>
      </header>
      {sites === undefined ? (
        <p class="muted">Loading…</p>
      ) : sites.length === 0 ? (
        <p class="muted">
          No sites yet. Open a page of your CRM, click the extension's toolbar button and turn on “Detect numbers on
          this site”.
        </p>
      ) : (
        <ul class="sites" aria-label="Sites where numbers are detected">
          {sites.map((site) => (
            <li key={site}>
              <span>{new URL(site).host}</span>
              <span class="muted">{new URL(site).protocol === 'http:' ? ' (http)' : ''}</span>
              <button
                type="button"
                class="button button--quiet"
                aria-label={`Remove ${new URL(site).host}`}
                onClick={() => void remove(site)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" class="muted">
        {message}
      </p>
    </section>
  );
}
