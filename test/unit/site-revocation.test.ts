/**
 * Revoking a site's permission stops detection there at once (issue 7, least privilege), in the
 * real background: the next message from a content script still running on that site gets no
 * answer (the router asks the browser for the permission on every message), the registration is
 * gone so no new page of the site gets the script, and every open tab is told to stop. The e2e
 * test site-opt-in.spec.ts shows the buttons leaving the open page.
 */
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MessageSenderLike } from '../../lib/messaging.ts';
import { CONTENT_SCRIPT_ID, SITES_KEY, listSites } from '../../lib/sites.ts';
import { handlePermissionsRemoved } from '../../lib/background/sites-handlers.ts';
import { startTestBackground, TEST_EXTENSION_ID } from '../support/background-harness.ts';

const SITE = 'https://crm.example.com';
const fromPage: MessageSenderLike = { id: TEST_EXTENSION_ID, url: `${SITE}/contacts/1`, tab: { id: 4, url: `${SITE}/contacts/1` }, frameId: 0 };

describe('a site whose permission the browser takes back', () => {
  it('gets no answer from its next message, loses its registration, and its tabs are told to stop', async () => {
    let granted = true;
    await fakeBrowser.storage.local.set({ [SITES_KEY]: [SITE] });
    await fakeBrowser.tabs.create({ url: `${SITE}/contacts/1` });
    const background = startTestBackground({
      granted: (pattern) => pattern === `${SITE}/*` && granted,
      registered: [{ id: CONTENT_SCRIPT_ID, matches: [`${SITE}/*`], js: ['content-scripts/content.js'] }],
    });
    expect(await background.send({ type: 'content/config', payload: {} }, fromPage)).toMatchObject({ ok: true });

    // The browser revokes it (from its extension settings); before any event, the router already asks.
    granted = false;
    expect(await background.send({ type: 'content/config', payload: {} }, fromPage)).toBeUndefined();
    expect(await background.send({ type: 'number/ignore', payload: { e164: '+16505550100' } }, fromPage)).toBeUndefined();

    // permissions.onRemoved: the site is forgotten, unregistered, and open tabs stop.
    await handlePermissionsRemoved([`${SITE}/*`]);
    expect(await listSites()).toEqual([]);
    const apis = background.effects.map((e) => e.api);
    expect(apis).toContain('scripting.unregisterContentScripts');
    const stops = background.effects.filter((e) => e.api === 'tabs.sendMessage').map((e) => e.args[1]);
    expect(stops).toContainEqual({ type: 'detection/stop', sites: [SITE] });
  });
});
