/** What differs in the e2e build (`npm run build:e2e`, mode "e2e"); see lib/manifest.ts. */
export const E2E_SITES = ['http://127.0.0.1', 'http://localhost'];
