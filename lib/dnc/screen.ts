/**
 * Do-not-call screening (issue 4): before any add to a campaign or any click-to-call, a number is
 * checked against Call-Em-All's opt-outs (synced), the numbers Upcall marked `dnc`, and the user's
 * own list. A blocked number says why and where it was found; the caller decides whether the user
 * may override it (one number at a time, deliberately). Background only (reads IndexedDB).
 */
import { recordsForNumber, type DoNotCallRecord, type DoNotCallSource } from './store.ts';

export interface DoNotCallReason {
  source: DoNotCallSource;
  /** Where it was found, in words: "Call-Em-All opt-outs (opted out 2020-10-05)". */
  detail: string;
}

export type ScreenResult = { blocked: false } | { blocked: true; reasons: DoNotCallReason[] };

const SOURCE_ORDER: readonly DoNotCallSource[] = ['local', 'callemall-optout', 'upcall-dnc'];

/** Screens one number (E.164; an extension, ";ext=45" or not, is ignored: the line is what counts). */
export async function screenNumber(e164: string): Promise<ScreenResult> {
  const line = e164.split(';')[0]!;
  return screenRecords(await recordsForNumber(line));
}

/** The screening answer for a number's records (pure; bulk adds read all records at once). */
export function screenRecords(records: readonly DoNotCallRecord[]): ScreenResult {
  if (records.length === 0) return { blocked: false };
  const sorted = [...records].sort((a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source));
  return {
    blocked: true,
    reasons: sorted.map((record) => ({ source: record.source, detail: describeRecord(record) })),
  };
}

function describeRecord(record: DoNotCallRecord): string {
  switch (record.source) {
    case 'local': {
      const note = record.note ? `: “${record.note}”` : '';
      return `your do-not-call list (added ${day(record.addedAt)}${note})`;
    }
    case 'callemall-optout': {
      const date = record.sourceDate?.slice(0, 10);
      return `Call-Em-All opt-outs${date ? ` (opted out ${date})` : ''}`;
    }
    case 'upcall-dnc':
      return `Upcall marked it do-not-call${record.note ? ` in ${record.note}` : ''} (seen ${day(record.addedAt)})`;
  }
}

function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** One sentence: "+16505550100 is on the do-not-call list: your do-not-call list (added …); Call-Em-All opt-outs." */
export function describeBlock(number: string, reasons: readonly DoNotCallReason[]): string {
  return `${number} is on the do-not-call list: ${reasons.map((r) => r.detail).join('; ')}.`;
}
