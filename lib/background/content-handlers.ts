/**
 * The background's side of the content script (issue 3): its configuration, numbers marked
 * "Not a phone number" per site, and the intents of the in-page menu: "Log a call" opens the
 * form prefilled with the number; other intents record it as the last one used (campaign adds
 * and click-to-calls have their own panels and messages).
 */
import browser from 'webextension-polyfill';
import { openDatabase } from '../db.ts';
import type { Handlers } from '../messaging.ts';
import type { NumberIntent } from '../protocol/content.ts';
import { loadSettings } from '../settings-storage.ts';
import { siteOf } from '../sites.ts';
import { rememberAndOpen } from './context-menus.ts';

export const IGNORED_NUMBERS_KEY = 'ignoredNumbers';
export const LAST_NUMBER_KEY = 'lastNumber';
/** Oldest entries go first beyond this, so a site's list stays small to send to every page. */
export const MAX_IGNORED_PER_SITE = 2000;

export interface LastNumber extends NumberIntent {
  /** Epoch milliseconds. */
  at: number;
}

const LOG_CALL_OPENED = {
  popup: 'Log a call is open in the toolbar popup, with this number.',
  window: 'Log a call opened in a new window, with this number.',
  none: 'The number is ready: click the CRM Call Companion button in the toolbar to log the call.',
} as const;

type ContentHandlers = Pick<Handlers, 'content/config' | 'number/ignore' | 'number/intent'>;
type IgnoredBySite = Record<string, string[]>;

async function readIgnored(): Promise<IgnoredBySite> {
  const stored = (await browser.storage.local.get(IGNORED_NUMBERS_KEY))[IGNORED_NUMBERS_KEY];
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const clean: IgnoredBySite = {};
  for (const [site, list] of Object.entries(stored as Record<string, unknown>)) {
    if (Array.isArray(list)) clean[site] = list.filter((n): n is string => typeof n === 'string');
  }
  return clean;
}

/** The numbers a user marked "Not a phone number" on `site` ("https://crm.example.com"). */
export async function ignoredNumbersFor(site: string): Promise<string[]> {
  return (await readIgnored())[site] ?? [];
}

// Read-modify-write of one storage key: serialised so two quick clicks cannot lose one.
let writing: Promise<unknown> = Promise.resolve();

export function ignoreNumber(site: string, e164: string): Promise<void> {
  const next = writing.then(async () => {
    const all = await readIgnored();
    const list = (all[site] ?? []).filter((n) => n !== e164);
    list.push(e164);
    all[site] = list.slice(-MAX_IGNORED_PER_SITE);
    await browser.storage.local.set({ [IGNORED_NUMBERS_KEY]: all });
  });
  writing = next.catch(() => undefined);
  return next;
}

export async function recordLastNumber(intent: NumberIntent, at = Date.now()): Promise<LastNumber> {
  const record: LastNumber = { ...intent, at };
  const db = await openDatabase();
  await db.put('meta', record, LAST_NUMBER_KEY);
  return record;
}

export async function readLastNumber(): Promise<LastNumber | undefined> {
  const db = await openDatabase();
  return (await db.get('meta', LAST_NUMBER_KEY)) as LastNumber | undefined;
}

function siteOrThrow(origin: string): string {
  const site = siteOf(origin);
  // The router only lets content scripts of enabled http(s) sites through; this cannot happen.
  if (!site) throw new Error(`not a web page: ${origin}`);
  return site;
}

export function createContentHandlers(): ContentHandlers {
  return {
    'content/config': async (_payload, context) => {
      const site = siteOrThrow(context.origin);
      const [{ settings }, ignored] = await Promise.all([loadSettings(), ignoredNumbersFor(site)]);
      return { defaultCountry: settings.defaultCountry, ignored };
    },
    'number/ignore': async ({ e164 }, context) => {
      await ignoreNumber(siteOrThrow(context.origin), e164);
      return { ok: true };
    },
    'number/intent': async (intent, context) => {
      if (intent.action !== 'log-call') {
        await recordLastNumber(intent);
        return { ok: true };
      }
      // The in-page "Log a call": the form opens prefilled with this number.
      const opened = await rememberAndOpen({ ...intent, source: 'button' }, context.tabId, 'log-call', 'log');
      return { ok: true, message: LOG_CALL_OPENED[opened] };
    },
  };
}
