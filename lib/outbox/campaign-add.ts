/**
 * The 'campaign-add' kind (issue 4): one number for one Upcall campaign, SIP Caller campaign or
 * Call-Em-All list. What it carries and how it reads in Activity; its network side is
 * ./campaign-add-executor.ts (background only).
 */
import { z } from 'zod';
import { campaignLabel, displayNumber } from '../campaigns/format.ts';
import { CAMPAIGN_SERVICE_IDS, SERVICE_NAMES } from '../services.ts';

const text = (max: number) => z.string().trim().min(1).max(max).optional();

export const campaignContactSchema = z
  .object({
    e164: z.string().regex(/^\+[1-9]\d{6,14}$/),
    extension: z
      .string()
      .regex(/^\d{1,10}$/)
      .optional(),
    firstName: text(100),
    lastName: text(100),
    company: text(200),
    email: text(254),
  })
  .strict();

export const campaignAddRequestSchema = z
  .object({
    service: z.enum(CAMPAIGN_SERVICE_IDS),
    campaignId: z.string().min(1).max(100),
    /** As the user chose it, for sentences ("Added … to Spring renewals"). */
    campaignName: z.string().min(1).max(300),
    contact: campaignContactSchema,
    /** The user added it although do-not-call screening blocked it (one number, deliberately). */
    overrideDoNotCall: z.boolean(),
  })
  .strict();

export type CampaignAddRequest = z.output<typeof campaignAddRequestSchema>;

/** One line for Activity: "+1 650-555-0100 → Spring renewals (Upcall)", and who it is. */
export function summariseCampaignAdd(request: CampaignAddRequest): { title: string; detail: string } {
  const { contact } = request;
  const who = [[contact.firstName, contact.lastName].filter(Boolean).join(' '), contact.company]
    .filter(Boolean)
    .join(', ');
  return {
    title: `${displayNumber(contact.e164, contact.extension)} → ${campaignLabel(request.campaignName, SERVICE_NAMES[request.service])}`,
    detail: who === '' ? 'Add to campaign' : `Add to campaign: ${who}`,
  };
}
