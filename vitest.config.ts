import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  resolve: {
    alias: {
      // Our code imports the polyfill; in unit tests it is WXT's fake browser.
      'webextension-polyfill': fileURLToPath(new URL('./test/support/fake-polyfill.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/support/setup.ts'],
    testTimeout: 20_000,
  },
});
