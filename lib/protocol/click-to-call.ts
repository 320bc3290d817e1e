/**
 * Messages of click-to-call via Multisender (issue 5): the confirmation (from the in-page panel
 * and the popup), create, the Activity list with live status, cancel; and the voice files the
 * options page offers as defaults. The token never leaves the background: pages send intents
 * and, in options, the values typed but not saved yet.
 */
import { z } from 'zod';
import type { CancelResult } from '../click-to-call/follow.ts';
import {
  MAX_RECEIVERS,
  type ClickToCallView,
  type ConfirmationView,
  type CreateResult,
} from '../click-to-call/types.ts';
import { defineMessage } from './define.ts';

export type { CancelResult } from '../click-to-call/follow.ts';
export type { ClickToCallView, ConfirmationView, CreateResult } from '../click-to-call/types.ts';

/** A voice file as options lists it. */
export interface VoiceFileView {
  voiceFileId: string;
  name: string;
  /** Seconds; 0 until it is ready. */
  duration: number;
  /** "pending" | "ready" | "failed" (Multisender's words). */
  status: string;
}

export interface VoiceCodeView {
  voiceCode: string;
  description: string;
}

export type TextToSpeechResult =
  | { ok: true; file: VoiceFileView }
  | { ok: false; errors: Partial<Record<'name' | 'text' | 'voiceCode', string>>; sentence: string };

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

/**
 * The Multisender base URL and token typed in options but not saved yet (saved values fill the
 * blanks), so voice files can be chosen before the first save.
 */
export const multisenderDraftSchema = z
  .object({ baseUrl: z.string().max(2000), token: z.string().max(4096).optional() })
  .strict()
  .optional();
export type MultisenderDraft = z.output<typeof multisenderDraftSchema>;

export const clickToCallMessages = {
  /** What the confirmation shows: numbers read and screened, the defaults, what is missing. */
  'click-to-call/prepare': defineMessage<ConfirmationView>()({
    request: z
      .object({
        numbers: z
          .array(z.string().max(60))
          .min(1)
          .max(MAX_RECEIVERS + 5),
      })
      .strict(),
    senders: ['extension', 'content'],
  }),
  /** Places it now or says why not; never queued. A retry sends the same requestId. */
  'click-to-call/create': defineMessage<CreateResult>()({
    request: z
      .object({
        receivers: z.array(e164).min(1).max(MAX_RECEIVERS),
        requestId: z.string().regex(/^[\w-]{8,64}$/),
        overrideDoNotCall: z.array(e164).max(MAX_RECEIVERS).default([]),
        // A content script's calls are always 'page', whatever it says.
        source: z.enum(['page', 'popup', 'context-menu']).default('popup'),
      })
      .strict(),
    senders: ['extension', 'content'],
  }),
  /** The click-to-calls created from this browser, newest first; `refresh` asks Multisender first. */
  'click-to-call/list': defineMessage<{ calls: ClickToCallView[]; now: number }>()({
    request: z.object({ refresh: z.boolean().optional() }).strict(),
    senders: ['extension'],
  }),
  'click-to-call/cancel': defineMessage<CancelResult>()({
    request: z.object({ id: z.string().min(1).max(100) }).strict(),
    senders: ['extension'],
  }),
  /**
   * The number the right-click menu chose, once (reading clears it): the popup opens on its
   * confirmation. `display` is the number as people read it, with its extension.
   */
  'click-to-call/pending': defineMessage<{ e164: string; display: string } | null>()({
    request: z.object({}).strict(),
    senders: ['extension'],
  }),
  /** The in-page panel's "Open options" (content scripts cannot open it themselves). */
  'click-to-call/open-options': defineMessage<{ ok: true }>()({
    request: z.object({}).strict(),
    senders: ['content'],
  }),
  'multisender/voice-files': defineMessage<VoiceFileView[]>()({
    request: z.object({ draft: multisenderDraftSchema }).strict(),
    senders: ['extension'],
  }),
  'multisender/voice-file': defineMessage<VoiceFileView>()({
    request: z.object({ draft: multisenderDraftSchema, voiceFileId: z.string().min(1).max(100) }).strict(),
    senders: ['extension'],
  }),
  'multisender/voice-codes': defineMessage<VoiceCodeView[]>()({
    request: z.object({ draft: multisenderDraftSchema }).strict(),
    senders: ['extension'],
  }),
  /** POST /voice_files/text_to_speech: a new voice file, pending until Multisender has spoken it. */
  'multisender/text-to-speech': defineMessage<TextToSpeechResult>()({
    request: z
      .object({
        draft: multisenderDraftSchema,
        name: z.string().max(500),
        text: z.string().max(5000),
        voiceCode: z.string().max(100),
      })
      .strict(),
    senders: ['extension'],
  }),
};
