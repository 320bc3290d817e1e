/**
 * System notifications of campaign adds and bulk runs (issue 4): plain text only (title and
 * message are never HTML). The e2e build also keeps the last ones in IndexedDB, because a test
 * cannot read the system's notification centre; production builds drop that code.
 */
import browser from 'webextension-polyfill';
import { openDatabase } from '../db.ts';

export interface Notice {
  /** Reusing an id replaces that notification instead of stacking another. */
  id?: string;
  title: string;
  message: string;
}

export interface RecordedNotice extends Notice {
  id: string;
  at: number;
}

const E2E_KEY = 'e2e/notifications';
const E2E_KEPT = 200;

// Chrome cuts a basic notification's text at a few hundred characters anyway.
const MAX_MESSAGE = 400;

/** Shows a notification; never throws (a notification that cannot be shown must not undo an add). */
export async function notify(notice: Notice): Promise<string> {
  const id = notice.id ?? `campaigns:${crypto.randomUUID()}`;
  const message = notice.message.length > MAX_MESSAGE ? `${notice.message.slice(0, MAX_MESSAGE - 1)}…` : notice.message;
  try {
    await browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: notice.title,
      message,
    });
  } catch (error) {
    console.warn('[notifications] could not show', error);
  }
  if (import.meta.env.MODE === 'e2e') await recordForTests({ id, title: notice.title, message, at: Date.now() });
  return id;
}

async function recordForTests(notice: RecordedNotice): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('meta', 'readwrite');
  const list = ((await tx.store.get(E2E_KEY)) as RecordedNotice[] | undefined) ?? [];
  list.push(notice);
  await tx.store.put(list.slice(-E2E_KEPT), E2E_KEY);
  await tx.done;
}

/** The notifications shown in this profile, oldest first (e2e builds only; empty otherwise). */
export async function recentNotifications(): Promise<RecordedNotice[]> {
  const db = await openDatabase();
  return ((await db.get('meta', E2E_KEY)) as RecordedNotice[] | undefined) ?? [];
}
