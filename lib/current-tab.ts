/**
 * The tab the popup acts on: the active tab of the window, or the one named by `?tab=` (the
 * popup opened as a page, as the e2e tests and the keyboard-first flow do).
 */
import browser from 'webextension-polyfill';

export interface CurrentTab {
  id: number;
  url: string;
  title: string;
}

export async function currentTab(search: string = location.search): Promise<CurrentTab | undefined> {
  const named = Number(new URLSearchParams(search).get('tab'));
  const tab = Number.isInteger(named) && named > 0
    ? await browser.tabs.get(named).catch(() => undefined)
    : (await browser.tabs.query({ active: true, currentWindow: true }))[0];
  if (!tab || tab.id === undefined) return undefined;
  return { id: tab.id, url: tab.url ?? '', title: tab.title ?? '' };
}
