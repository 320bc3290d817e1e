/**
 * The number as it travels: E.164 plus an optional extension, written in a button's `data-e164`
 * as RFC 3966 writes extensions ("+16505550100;ext=45"), as issue 3 asks.
 */

const E164 = /^\+[1-9]\d{1,14}$/;
const EXTENSION = /^\d{1,10}$/;

export interface NumberRef {
  e164: string;
  extension?: string;
}

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** "+16505550100" or "+16505550100;ext=45". */
export function toDataE164({ e164, extension }: NumberRef): string {
  return extension ? `${e164};ext=${extension}` : e164;
}

/** The inverse of toDataE164; undefined for anything else. */
export function fromDataE164(value: string): NumberRef | undefined {
  const [e164 = '', ext, ...rest] = value.split(';ext=');
  if (rest.length > 0 || !isE164(e164)) return undefined;
  if (ext === undefined) return { e164 };
  return EXTENSION.test(ext) ? { e164, extension: ext } : undefined;
}

/** What "Copy number" puts on the clipboard: the E.164, and the extension in words. */
export function clipboardText({ e164, extension }: NumberRef): string {
  return extension ? `${e164} ext. ${extension}` : e164;
}
