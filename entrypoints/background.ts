import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background/main.ts';
import { E2E_SITES } from '../lib/e2e.ts';

export default defineBackground(() => {
  startBackground({ sitesAtInstall: import.meta.env.MODE === 'e2e' ? E2E_SITES : [] });
});
