/** The building block of the protocol (kept apart from lib/messaging.ts to avoid an import cycle). */
import { z } from 'zod';

// Extension pages, the worker and content scripts run under a CSP without eval: tell zod not to
// probe for it (its JIT would only be refused, and logged).
z.config({ jitless: true });

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
