/** Messages about where detection runs (per-site opt-in). */
import { z } from 'zod';
import { defineMessage } from './define.ts';

export interface SiteStatus {
  /** "https://crm.example.com", or undefined for pages detection can never run on. */
  site?: string;
  enabled: boolean;
}

const site = z.string().max(300);

export const sitesMessages = {
  'sites/list': defineMessage<string[]>()({ request: z.object({}).strict(), senders: ['extension'] }),
  'sites/status': defineMessage<SiteStatus>()({ request: z.object({ url: z.string().max(4096) }).strict(), senders: ['extension'] }),
  /** The page must have obtained the host permission (a gesture) before sending this. */
  'sites/enable': defineMessage<{ ok: boolean; reason?: string }>()({
    request: z.object({ site, tabId: z.number().int().nonnegative().optional() }).strict(),
    senders: ['extension'],
  }),
  'sites/disable': defineMessage<{ ok: true }>()({ request: z.object({ site }).strict(), senders: ['extension'] }),
};
