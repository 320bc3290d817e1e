/**
 * How numbers and outcomes of campaign adds read to people: "+1 650-555-0100", "Added +1
 * 650-555-0100 to Spring renewals (Upcall)". Pure; shared by the background (notifications), the
 * page panel and the popup.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A number for people: North American numbers as "+1 650-555-0100" (the way issue 4 writes
 * them), others in libphonenumber-js's international format; " ext. 45" when there is one.
 */
export function displayNumber(e164: string, extension?: string): string {
  const ext = extension ? ` ext. ${extension}` : '';
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (nanp) return `+1 ${nanp[1]}-${nanp[2]}-${nanp[3]}${ext}`;
  const parsed = parsePhoneNumberFromString(e164);
  return `${parsed ? parsed.formatInternational() : e164}${ext}`;
}

/** "Spring renewals (Upcall)" */
export function campaignLabel(campaignName: string, serviceName: string): string {
  return `${campaignName} (${serviceName})`;
}
