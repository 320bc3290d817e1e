/**
 * Host permissions: every service and site origin is optional and asked for at run time, from a
 * user gesture (saving or testing a service, enabling a site).
 */
import browser from 'webextension-polyfill';

/** "https://api.upcall.com/api/v1" → "https://api.upcall.com/*" (match patterns have no port). */
export function originPattern(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return `${parsed.protocol}//${parsed.hostname}/*`;
  } catch {
    return undefined;
  }
}

export async function hasOrigins(patterns: string[]): Promise<boolean> {
  if (patterns.length === 0) return true;
  return browser.permissions.contains({ origins: patterns });
}

/**
 * Asks for the patterns not yet granted. Call it first thing in a click handler: browsers only
 * show the prompt during a user gesture.
 */
export function requestOrigins(patterns: string[]): Promise<boolean> {
  const unique = [...new Set(patterns)];
  if (unique.length === 0) return Promise.resolve(true);
  // No await before request(): Firefox only honours it synchronously inside the gesture. Already
  // granted origins resolve true without a prompt.
  return browser.permissions.request({ origins: unique });
}
