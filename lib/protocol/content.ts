/**
 * Messages of the content script (issue 3): its configuration on a page, "Not a phone number",
 * and the intents behind the in-page menu. Content scripts send intents only; the background
 * decides what happens. The content script imports this file for types only, so zod stays out
 * of its bundle.
 */
import { z } from 'zod';
import { CONTACT_DETAIL_FIELDS } from '../settings.ts';
import { defineMessage } from './define.ts';

/** The menu actions whose work belongs to the background (and to later issues). */
export const NUMBER_INTENT_ACTIONS = ['add-to-campaign', 'click-to-call', 'log-call'] as const;
export type NumberIntentAction = (typeof NUMBER_INTENT_ACTIONS)[number];

export type ContactDetailField = (typeof CONTACT_DETAIL_FIELDS)[number];

/**
 * Who the number belongs to, as read from the page around it (the table row, the card, or the
 * record's header): see lib/content/contact-details.ts. Every field is optional.
 */
export type ContactDetails = Partial<Record<ContactDetailField, string>>;

export interface ContentConfig {
  /** For numbers written without a country code (a CountryCode of libphonenumber-js). */
  defaultCountry: string;
  /** E.164 numbers the user marked "Not a phone number" on this site. */
  ignored: string[];
}

export interface NumberIntent {
  action: NumberIntentAction;
  /** E.164 without the extension. */
  e164: string;
  extension?: string;
  details: ContactDetails;
}

/** What the background answers an intent; later issues add what their panels need. */
export interface NumberIntentResult {
  ok: true;
  /** A sentence for the person, shown in the panel. */
  message?: string;
}

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/);
const detail = z.string().trim().min(1).max(200);

export const contactDetailsSchema = z
  .object(Object.fromEntries(CONTACT_DETAIL_FIELDS.map((field) => [field, detail.optional()])))
  .strict() as z.ZodType<ContactDetails>;

export const numberIntentSchema = z
  .object({
    action: z.enum(NUMBER_INTENT_ACTIONS),
    e164,
    extension: z.string().regex(/^\d{1,10}$/).optional(),
    details: contactDetailsSchema,
  })
  .strict() as z.ZodType<NumberIntent>;

export const contentMessages = {
  /** The page's site is the sender's origin: a content script only learns about its own site. */
  'content/config': defineMessage<ContentConfig>()({ request: z.object({}).strict(), senders: ['content'] }),
  /** "Not a phone number": ignored on the sender's site from then on. */
  'number/ignore': defineMessage<{ ok: true }>()({
    request: z.object({ e164 }).strict(),
    senders: ['content'],
  }),
  'number/intent': defineMessage<NumberIntentResult>()({ request: numberIntentSchema, senders: ['content'] }),
};
