import { defineContentScript } from 'wxt/utils/define-content-script';
import { startCampaignBridge } from '../../lib/content/campaign-bridge.ts';
import { startDetection } from '../../lib/content/lifecycle.ts';

// Registered at run time for the sites the user enabled (lib/sites.ts), in every frame.
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  allFrames: true,
  noScriptStartedPostMessage: true,
  main(ctx) {
    void startDetection({ doc: document, onInvalidated: (callback) => ctx.onInvalidated(callback) });
    startCampaignBridge(document, (callback) => ctx.onInvalidated(callback));
  },
});
