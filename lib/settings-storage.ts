/** Reads and writes settings in storage.local; only the background writes. */
import browser from 'webextension-polyfill';
import { parseSettings, SETTINGS_KEY, type LoadedSettings, type Settings } from './settings.ts';

export async function loadSettings(): Promise<LoadedSettings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  const loaded = parseSettings(stored[SETTINGS_KEY]);
  if (loaded.problems.length > 0) console.warn('[settings] fell back to defaults:', loaded.problems);
  return loaded;
}

export async function storeSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}
