/**
 * A fresh connection for every request the extension makes (issue 10). Chromium re-sends a
 * request — a POST too — when the keep-alive connection it reused closes before any answer, and
 * `fetch` then reports only the second answer: a note logged twice, a person called twice, with
 * nothing for the outbox to see. Chromium re-sends only on a reused connection (it cannot tell a
 * stale idle socket from a dropped request; a fresh one is "proven" and never re-sent).
 *
 * `fetch` cannot ask for a fresh connection (`Connection` is a forbidden header; a streamed body,
 * which cannot be replayed, is refused over HTTP/1.1; `keepalive: true` is re-sent too — all
 * tried in Chromium 156). A declarativeNetRequest session rule can: it sets `Connection: close` on
 * the extension's own requests, the server closes each connection after its answer, and the next
 * request opens a new one. Where it cannot act (HTTP/2 and HTTP/3, where Chromium retries only
 * streams the server says it never processed, and browsers that refuse the rule), copies are
 * still found and removed afterwards (lib/duplicates/).
 */
import browser from 'webextension-polyfill';

export const FRESH_CONNECTION_RULE_ID = 1;

/** Installs (or, with `on` false, removes) the rule; logs and carries on where the browser refuses it. */
export async function useFreshConnections(on = true): Promise<boolean> {
  const dnr = browser.declarativeNetRequest;
  if (!dnr?.updateSessionRules) return false;
  // The extension's own origin: its id in Chrome, its internal UUID in Firefox.
  const self = new URL(browser.runtime.getURL('/')).host;
  try {
    await dnr.updateSessionRules({
      removeRuleIds: [FRESH_CONNECTION_RULE_ID],
      addRules: on
        ? [
            {
              id: FRESH_CONNECTION_RULE_ID,
              priority: 1,
              action: {
                type: 'modifyHeaders',
                requestHeaders: [{ header: 'connection', operation: 'set', value: 'close' }],
              },
              condition: { initiatorDomains: [self], resourceTypes: ['xmlhttprequest', 'other'] },
            },
          ]
        : [],
    });
    return true;
  } catch (error) {
    console.warn('[connections] the browser refused the fresh-connection rule; duplicates are still removed afterwards', error);
    return false;
  }
}
