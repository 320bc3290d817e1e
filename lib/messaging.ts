/**
 * One typed protocol between the pages, the content script and the background.
 *
 * Each feature declares its messages in `lib/protocol/<feature>.ts` with `defineMessage`: a zod
 * schema for the payload, who may send it, and (as a type) what the background answers. The
 * background's router (`createRouter`) validates every payload and checks every sender before a
 * handler runs; anything else is rejected and logged once.
 */
import browser from 'webextension-polyfill';
import type { Failure } from './errors.ts';
import { toFailure } from './errors.ts';
import { protocol } from './protocol/index.ts';
import type { MessageDef, SenderKind } from './protocol/define.ts';

export { defineMessage, type MessageDef, type SenderKind } from './protocol/define.ts';

export type Protocol = typeof protocol;
export type MessageType = keyof Protocol;
export type RequestOf<K extends MessageType> = Protocol[K] extends MessageDef<infer Req, unknown> ? Req : never;
export type ResponseOf<K extends MessageType> = Protocol[K] extends MessageDef<unknown, infer Res> ? Res : never;

export type Reply<T> = { ok: true; value: T } | { ok: false; error: Failure };

export interface Envelope {
  type: string;
  payload: unknown;
}

/** Sends a message to the background and returns its reply. */
export async function sendMessage<K extends MessageType>(type: K, payload: RequestOf<K>): Promise<Reply<ResponseOf<K>>> {
  const reply = (await browser.runtime.sendMessage({ type, payload } satisfies Envelope)) as
    | Reply<ResponseOf<K>>
    | undefined;
  if (!reply) {
    return { ok: false, error: { kind: 'unexpected', service: 'Extension', message: 'no answer from the background' } };
  }
  return reply;
}

// ---------------------------------------------------------------------------------------------
// The background side.

export interface SenderContext {
  kind: SenderKind;
  /** The origin of the page or frame that sent the message. */
  origin: string;
  url: string;
  tabId?: number;
  frameId?: number;
}

export type Handler<K extends MessageType> = (
  payload: RequestOf<K>,
  context: SenderContext,
) => Promise<ResponseOf<K>> | ResponseOf<K>;

export type Handlers = { [K in MessageType]: Handler<K> };

/** The subset of runtime.MessageSender the router relies on. */
export interface MessageSenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export interface RouterPolicy {
  extensionId: string;
  /** e.g. "chrome-extension://abc" (no trailing slash). */
  extensionOrigin: string;
  /** Whether the user enabled detection on this origin (and the browser still grants it). */
  isSiteEnabled(origin: string): Promise<boolean> | boolean;
  log?: (message: string) => void;
}

export type Router = (message: unknown, sender: MessageSenderLike) => Promise<Reply<unknown> | undefined>;

/**
 * Builds the router. It never throws: a message that is malformed, unknown or from a sender not
 * allowed to send it gets no answer (undefined) and is logged once per reason and type.
 */
export function createRouter(handlers: Handlers, policy: RouterPolicy, defs: Protocol = protocol): Router {
  const logged = new Set<string>();
  const log = policy.log ?? ((line: string) => console.warn(line));
  const reject = (reason: string, type: string): undefined => {
    const key = `${reason}\u0000${type.slice(0, 80)}`;
    if (!logged.has(key) && logged.size < 1000) {
      logged.add(key);
      log(`[messaging] rejected ${JSON.stringify(type.slice(0, 80))}: ${reason}`);
    }
    return undefined;
  };

  return async (message, sender) => {
    if (!isEnvelope(message)) return reject('not an envelope', typeof message);
    const { type } = message;
    if (!Object.prototype.hasOwnProperty.call(defs, type)) return reject('unknown type', type);
    const def = defs[type as MessageType] as MessageDef<unknown, unknown>;

    const context = await classifySender(sender, policy);
    if (!context) return reject('sender not recognised', type);
    if (!def.senders.includes(context.kind)) return reject(`not allowed from ${context.kind}`, type);

    const parsed = def.request.safeParse(message.payload);
    if (!parsed.success) return reject('invalid payload', type);

    const handler = handlers[type as MessageType] as (payload: unknown, ctx: SenderContext) => unknown;
    try {
      const value = await handler(parsed.data, context);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toFailure(error, 'Extension') };
    }
  };
}

function isEnvelope(message: unknown): message is Envelope {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  const keys = Object.keys(message);
  if (keys.length > 2 || !keys.every((k) => k === 'type' || k === 'payload')) return false;
  return typeof (message as { type?: unknown }).type === 'string';
}

async function classifySender(sender: MessageSenderLike, policy: RouterPolicy): Promise<SenderContext | undefined> {
  if (sender.id !== policy.extensionId) return undefined;
  const url = sender.url ?? '';
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  // Firefox reports moz-extension URLs with an opaque "null" origin: compare the prefix instead.
  if (url.startsWith(`${policy.extensionOrigin}/`)) {
    return { kind: 'extension', origin: policy.extensionOrigin, url, tabId: sender.tab?.id, frameId: sender.frameId };
  }
  if (!sender.tab || origin === 'null') return undefined;
  if (!(origin.startsWith('http://') || origin.startsWith('https://'))) return undefined;
  if (!(await policy.isSiteEnabled(origin))) return undefined;
  return { kind: 'content', origin, url, tabId: sender.tab.id, frameId: sender.frameId };
}
