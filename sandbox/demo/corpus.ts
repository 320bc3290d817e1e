/**
 * Serves the detection corpus (test/fixtures/detection/: CRM-like pages with their expected
 * numbers in expected.json) under /demo/corpus/, so e2e tests and people load it like any page.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimResponse } from '../types.ts';

export const CORPUS_DIR = fileURLToPath(new URL('../../test/fixtures/detection/', import.meta.url));

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export function handleCorpus(path: string): SimResponse | undefined {
  // Flat names only: no way out of the corpus folder.
  const match = /^\/demo\/corpus\/([a-z0-9-]+)\.(html|css|json)$/.exec(path);
  if (!match) return undefined;
  try {
    return {
      status: 200,
      headers: { 'Content-Type': TYPES[match[2]!]! },
      body: readFileSync(`${CORPUS_DIR}${match[1]}.${match[2]}`, 'utf8'),
    };
  } catch {
    return undefined;
  }
}
