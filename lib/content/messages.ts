/**
 * The content script's side of the typed protocol. It imports the protocol for types only (the
 * router and zod stay in the background). `ContentMessageType` lists what the content script may
 * send; the router checks each message's allowed senders again in the background.
 */
import browser from 'webextension-polyfill';
import type { Envelope, Reply, RequestOf, ResponseOf } from '../messaging.ts';
import type { contentMessages } from '../protocol/content.ts';

export type ContentMessageType =
  | keyof typeof contentMessages
  | 'campaigns/list'
  | 'campaigns/check'
  | 'campaigns/add'
  | 'click-to-call/prepare'
  | 'click-to-call/create'
  | 'click-to-call/open-options';

/** Sends an intent to the background; a missing answer becomes an "unexpected" failure. */
export async function sendFromContent<K extends ContentMessageType>(
  type: K,
  payload: RequestOf<K>,
): Promise<Reply<ResponseOf<K>>> {
  try {
    const reply = (await browser.runtime.sendMessage({ type, payload } satisfies Envelope)) as Reply<ResponseOf<K>> | undefined;
    if (reply) return reply;
  } catch (error) {
    // The extension was reloaded or updated: this page's script is orphaned.
    return { ok: false, error: { kind: 'unexpected', service: 'CRM Call Companion', message: String(error) } };
  }
  return { ok: false, error: { kind: 'unexpected', service: 'CRM Call Companion', message: 'no answer from the extension' } };
}
