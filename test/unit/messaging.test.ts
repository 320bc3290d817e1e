import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ServiceError } from '../../lib/errors.ts';
import { createRouter, defineMessage, type Handlers, type MessageSenderLike, type Protocol } from '../../lib/messaging.ts';

const defs = {
  'page/only': defineMessage<{ echoed: number }>()({ request: z.object({ n: z.number() }).strict(), senders: ['extension'] }),
  'content/ok': defineMessage<string>()({ request: z.object({}).strict(), senders: ['extension', 'content'] }),
  'fails': defineMessage<never>()({ request: z.object({}).strict(), senders: ['extension'] }),
} as unknown as Protocol;

const EXT = 'chrome-extension://abcdefgh';
const policy = {
  extensionId: 'abcdefgh',
  extensionOrigin: EXT,
  isSiteEnabled: (origin: string) => origin === 'https://crm.example.com',
};
const page: MessageSenderLike = { id: 'abcdefgh', url: `${EXT}/popup.html` };
const content: MessageSenderLike = { id: 'abcdefgh', url: 'https://crm.example.com/contacts/1', tab: { id: 3 }, frameId: 0 };

function setup() {
  const log = vi.fn();
  const calls: unknown[] = [];
  const handlers = {
    'page/only': (payload: { n: number }) => {
      calls.push(payload);
      return { echoed: payload.n };
    },
    'content/ok': (_: unknown, ctx: { kind: string; origin: string }) => {
      calls.push(ctx);
      return `${ctx.kind}:${ctx.origin}`;
    },
    fails: () => {
      throw new ServiceError({ kind: 'auth', service: 'Upcall', status: 401 });
    },
  } as unknown as Handlers;
  const router = createRouter(handlers, { ...policy, log }, defs);
  return { router, log, calls };
}

describe('router', () => {
  it('dispatches valid messages from allowed senders', async () => {
    const { router } = setup();
    expect(await router({ type: 'page/only', payload: { n: 2 } }, page)).toEqual({ ok: true, value: { echoed: 2 } });
    expect(await router({ type: 'content/ok', payload: {} }, content)).toEqual({
      ok: true,
      value: 'content:https://crm.example.com',
    });
  });

  it('turns a thrown ServiceError into a failure value', async () => {
    const { router } = setup();
    expect(await router({ type: 'fails', payload: {} }, page)).toEqual({
      ok: false,
      error: { kind: 'auth', service: 'Upcall', status: 401 },
    });
  });

  it('rejects, without running a handler, what it must not trust', async () => {
    const { router, calls, log } = setup();
    const rejected: [unknown, MessageSenderLike][] = [
      [{ type: 'page/only', payload: { n: 'x' } }, page], // wrong type
      [{ type: 'page/only', payload: { n: 1, extra: true } }, page], // extra key
      [{ type: 'page/only', payload: { n: 1 }, more: 1 }, page], // extra envelope key
      [{ type: 'nope', payload: {} }, page], // unknown
      [{ type: 'toString', payload: {} }, page], // prototype name
      [{ type: '__proto__', payload: {} }, page],
      ['page/only', page], // not an envelope
      [{ type: 'page/only', payload: { n: 1 } }, content], // content may not send it
      [{ type: 'content/ok', payload: {} }, { ...content, url: 'https://evil.example/x' }], // site not enabled
      [{ type: 'content/ok', payload: {} }, { ...content, id: 'other-extension' }], // another extension
      [{ type: 'content/ok', payload: {} }, { id: 'abcdefgh', url: 'https://crm.example.com/' }], // no tab, not ours
      [{ type: 'content/ok', payload: {} }, { ...content, url: 'file:///etc/passwd' }],
      [{ type: 'page/only', payload: { n: 1 } }, { id: 'abcdefgh', url: 'chrome-extension://abcdefgh.evil/popup.html' }],
    ];
    for (const [message, sender] of rejected) {
      expect(await router(message, sender), JSON.stringify([message, sender])).toBeUndefined();
    }
    expect(calls).toEqual([]);
    expect(log).toHaveBeenCalled();
  });

  it('logs each kind of rejection once', async () => {
    const { router, log } = setup();
    for (let i = 0; i < 50; i += 1) await router({ type: 'nope', payload: {} }, page);
    expect(log).toHaveBeenCalledTimes(1);
  });
});
