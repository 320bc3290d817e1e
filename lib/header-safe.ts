/**
 * Secrets travel in request headers (tokens) or Basic credentials. A character a header cannot
 * carry — a zero-width space or a line break pasted with the token — makes `fetch` throw, which
 * would read as "cannot reach the service" forever. So a secret is checked when it is saved, and
 * every header once more before a request goes out (lib/http.ts).
 */

/** The first position (1-based) holding a character outside visible ASCII, with its code point. */
export function unsafeCharacter(value: string): { position: number; codePoint: string } | undefined {
  let position = 0;
  for (const char of value) {
    position += 1;
    const code = char.codePointAt(0)!;
    if (code < 0x21 || code > 0x7e) {
      return { position, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
    }
  }
  return undefined;
}

/** "The Upcall API token has a character … at position 17 (U+200B). Paste it again without it." */
export function describeUnsafeSecret(label: string, value: string): string | undefined {
  const found = unsafeCharacter(value);
  if (!found) return undefined;
  const what = found.codePoint === 'U+0020' ? 'a space' : `a character a request header cannot carry`;
  return `The ${label} has ${what} at position ${found.position} (${found.codePoint}). Paste it again without it.`;
}

/** Whether `fetch` can send this header value (Latin-1, no line breaks or NUL). */
export function isSendableHeaderValue(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code > 0xff || code === 0x0a || code === 0x0d || code === 0x00) return false;
  }
  return true;
}
