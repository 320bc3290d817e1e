import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  createClickToCallHandlers,
  openConfirmation,
  startClickToCall,
} from '../../../lib/background/click-to-call-handlers.ts';
import { createFollower } from '../../../lib/click-to-call/follow.ts';
import { PENDING_FRESH_MS, setPendingConfirmation } from '../../../lib/click-to-call/store.ts';
import { readNumberMemory } from '../../../lib/log-call/number-memory.ts';
import type { SenderContext } from '../../../lib/messaging.ts';

const ctx: SenderContext = {
  kind: 'extension',
  origin: 'chrome-extension://x',
  url: 'chrome-extension://x/popup.html',
};
let handlers: ReturnType<typeof createClickToCallHandlers>;

beforeEach(() => {
  const follower = createFollower({
    config: () => Promise.reject(new Error('unused')),
    notify: async () => undefined,
    schedule: async () => undefined,
    now: Date.now,
  });
  handlers = createClickToCallHandlers(follower);
});

describe('the right-click menu route', () => {
  it('leaves the number for the popup, which shows it once, and opens the popup', async () => {
    const openPopup = vi.fn(async () => undefined);
    (fakeBrowser.action as unknown as Record<string, unknown>).openPopup = openPopup;
    await openConfirmation({ e164: '+16505550100', extension: '45', details: {}, source: 'selection' }, 7);
    expect(openPopup).toHaveBeenCalledTimes(1);
    expect((await readNumberMemory('+16505550100'))?.lastUse).toMatchObject({
      e164: '+16505550100;ext=45',
      action: 'click-to-call',
      service: 'multisender',
    });

    expect(await handlers['click-to-call/pending']({}, ctx)).toEqual({
      e164: '+16505550100',
      display: '+1 650 555 0100 ext. 45',
    });
    expect(await handlers['click-to-call/pending']({}, ctx)).toBeNull();
  });

  it('falls back to a small window on the click-to-call tab when the popup cannot open', async () => {
    (fakeBrowser.action as unknown as Record<string, unknown>).openPopup = async () => {
      throw new Error('no focused window');
    };
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    create.mockClear();
    await openConfirmation({ e164: '+442079460958', details: {}, source: 'link' }, 12);
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ type: 'popup' }));
    const url = new URL((create.mock.calls[0]![0] as { url: string }).url);
    expect(url.pathname).toBe('/popup.html');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tab: '12', view: 'click-to-call' });
  });

  it('a number left long ago is not shown', async () => {
    await setPendingConfirmation({ e164: '+16505550100', at: Date.now() - PENDING_FRESH_MS - 1 });
    expect(await handlers['click-to-call/pending']({}, ctx)).toBeNull();
  });

  it('a click on a click-to-call notification opens Activity', async () => {
    (fakeBrowser.action as unknown as Record<string, unknown>).openPopup = async () => {
      throw new Error('no focused window');
    };
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    create.mockClear();
    startClickToCall();
    await fakeBrowser.notifications.onClicked.trigger('campaigns:123');
    expect(create).not.toHaveBeenCalled();
    await fakeBrowser.notifications.onClicked.trigger('click-to-call:9003:accepted');
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(new URL((create.mock.calls[0]![0] as { url: string }).url).searchParams.get('view')).toBe('activity');
  });
});
