/** The building block of the protocol (kept apart from lib/messaging.ts to avoid an import cycle). */
import type { z } from 'zod';

/** Extension pages (popup, options) or content scripts on a site the user enabled. */
export type SenderKind = 'extension' | 'content';

export interface MessageDef<Req, Res> {
  request: z.ZodType<Req>;
  senders: readonly SenderKind[];
  /** Phantom: the answer's type. */
  readonly response?: Res;
}

/** `defineMessage<Answer>()({ request, senders })` */
export function defineMessage<Res>() {
  return <Req>(def: { request: z.ZodType<Req>; senders: readonly SenderKind[] }): MessageDef<Req, Res> => def;
}
