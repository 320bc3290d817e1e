import { useEffect, useState } from 'preact/hooks';
import { describeFailure } from '../lib/errors.ts';
import { sendMessage } from '../lib/messaging.ts';
import { requestOrigins } from '../lib/permissions.ts';
import { sitePattern } from '../lib/sites.ts';
import type { CurrentTab } from '../lib/current-tab.ts';

export interface SiteToggleProps {
  tab: CurrentTab | undefined;
}

/** "Detect numbers on this site": asks for the site's permission and registers detection. */
export function SiteToggle({ tab }: SiteToggleProps) {
  const [status, setStatus] = useState<{ site?: string; enabled: boolean }>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!tab) return;
    void sendMessage('sites/status', { url: tab.url }).then((reply) => {
      if (reply.ok) setStatus(reply.value);
      else setMessage(describeFailure(reply.error));
    });
  }, [tab?.url]);

  if (!tab || !status) return null;
  const site = status.site;
  if (!site) {
    return <p class="muted site-toggle">Numbers can only be detected on web pages (http or https).</p>;
  }
  const host = new URL(site).hostname;

  const toggle = async (on: boolean) => {
    // First thing in the gesture: the browser shows its permission prompt.
    const granting = on ? requestOrigins([sitePattern(site)]).catch(() => false) : Promise.resolve(true);
    setBusy(true);
    try {
      if (on) {
        if (!(await granting)) {
          setMessage(`The browser did not allow the extension on ${host}, so detection stays off.`);
          return;
        }
        const reply = await sendMessage('sites/enable', { site, tabId: tab.id });
        if (!reply.ok) setMessage(describeFailure(reply.error));
        else if (!reply.value.ok) setMessage(reply.value.reason ?? 'Detection could not be turned on.');
        else {
          setStatus({ site, enabled: true });
          setMessage(`Numbers on ${host} are now detected.`);
        }
      } else {
        const reply = await sendMessage('sites/disable', { site });
        if (!reply.ok) setMessage(describeFailure(reply.error));
        else {
          setStatus({ site, enabled: false });
          setMessage(`Detection is off on ${host}.`);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="site-toggle">
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          checked={status.enabled}
          disabled={busy}
          onChange={(event) => void toggle(event.currentTarget.checked)}
        />
        <span>Detect numbers on this site</span>
      </label>
      <span class="muted site-toggle__host">{host}</span>
      <p class="site-toggle__message" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  );
}
