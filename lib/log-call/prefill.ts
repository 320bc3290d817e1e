/**
 * What the Log a call form opens with. The number: the one just used from a page (its button
 * menu or the right-click menu), else the page's selection when it is a number, else one used
 * from a page in the last half hour. The contact ID: from the open tab when it is a contact page
 * of the CRM (options: contact page pattern), else the contact the number was last logged
 * against. "Called via": the service last used with the number.
 */
import type { CountryCode } from 'libphonenumber-js/min';
import type { CalledVia } from '../outbox/crm-call.ts';
import { contactIdFromUrl } from './contact-page.ts';
import { calledViaFromMemory, type NumberMemory, type NumberUse } from './number-memory.ts';
import { parsePhone } from './phone.ts';

/** A number used from a page this recently is what the user opened the form for. */
export const JUST_USED_MS = 2 * 60_000;
/** Older than this, a number used from a page is no longer a good guess. */
export const RECENTLY_USED_MS = 30 * 60_000;

export interface PrefillInput {
  now: number;
  defaultCountry: CountryCode;
  contactPagePattern: string;
  /** The popup's target tab. */
  tabUrl?: string;
  /** The text selected in that tab, if the extension may read it. */
  selection?: string;
  lastUsed?: NumberUse;
  memoryOf(e164: string): Promise<NumberMemory | undefined>;
}

export interface Prefill {
  phoneNumber?: string;
  contactId?: string;
  calledVia?: CalledVia;
  /** Where each value came from, for a short hint under the field. */
  sources: {
    phoneNumber?: 'page-action' | 'selection';
    contactId?: 'tab' | 'last-logged';
    calledVia?: 'last-action';
  };
}

export async function choosePrefill(input: PrefillInput): Promise<Prefill> {
  const prefill: Prefill = { sources: {} };
  const age = input.lastUsed ? input.now - input.lastUsed.at : Infinity;
  const fromPage = input.lastUsed ? parsePhone(input.lastUsed.e164, input.defaultCountry) : undefined;
  const fromSelection = input.selection ? parsePhone(input.selection, input.defaultCountry) : undefined;

  const number =
    fromPage && age >= 0 && age <= JUST_USED_MS
      ? { phone: fromPage, source: 'page-action' as const }
      : fromSelection
        ? { phone: fromSelection, source: 'selection' as const }
        : fromPage && age >= 0 && age <= RECENTLY_USED_MS
          ? { phone: fromPage, source: 'page-action' as const }
          : undefined;

  const memory = number ? await input.memoryOf(number.phone.e164) : undefined;
  if (number) {
    prefill.phoneNumber = number.phone.display;
    prefill.sources.phoneNumber = number.source;
  }

  const fromTab = input.tabUrl ? contactIdFromUrl(input.tabUrl, input.contactPagePattern) : undefined;
  if (fromTab) {
    prefill.contactId = fromTab;
    prefill.sources.contactId = 'tab';
  } else if (memory?.contactId) {
    prefill.contactId = memory.contactId;
    prefill.sources.contactId = 'last-logged';
  }

  const calledVia = calledViaFromMemory(memory);
  if (calledVia) {
    prefill.calledVia = calledVia;
    prefill.sources.calledVia = 'last-action';
  }
  return prefill;
}
