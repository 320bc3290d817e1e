/** Unit tests: `import browser from 'webextension-polyfill'` resolves here (vitest.config.ts). */
import { fakeBrowser } from 'wxt/testing/fake-browser';

export default fakeBrowser;
