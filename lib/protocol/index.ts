/**
 * The whole protocol: one spread per feature file. Adding a feature's messages is adding a file
 * here.
 */
import { campaignMessages } from './campaigns.ts';
import { clickToCallMessages } from './click-to-call.ts';
import { contentMessages } from './content.ts';
import { outboxMessages } from './outbox.ts';
import { settingsMessages } from './settings.ts';
import { sitesMessages } from './sites.ts';

export const protocol = {
  ...settingsMessages,
  ...sitesMessages,
  ...outboxMessages,
  ...contentMessages,
  ...clickToCallMessages,
  ...campaignMessages,
};
