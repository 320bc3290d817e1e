/**
 * The toolbar badge: how many entries are waiting to be delivered, red while any needs the
 * user's attention. The title (tooltip) says the same in words, and names a paused service.
 */
import browser from 'webextension-polyfill';
import { SERVICE_NAMES } from '../services.ts';
import type { OutboxCounts } from './store.ts';
import type { ServicePause } from './types.ts';

export const BADGE_COLORS = {
  queued: '#1f6feb',
  attention: '#c62828',
  paused: '#8a6100',
} as const;

export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

/** What the badge shows for these counts (pure, for tests). */
export function badgeView(counts: OutboxCounts, pauses: readonly ServicePause[]): BadgeView {
  const parts: string[] = [];
  if (counts.queued > 0) parts.push(`${counts.queued} queued`);
  if (counts.needsAttention > 0) parts.push(`${counts.needsAttention} need${counts.needsAttention === 1 ? 's' : ''} attention`);
  for (const pause of pauses) parts.push(`${SERVICE_NAMES[pause.service]} paused until its credentials change`);
  const title = parts.length > 0 ? `CRM Call Companion: ${parts.join(' · ')}` : 'CRM Call Companion';
  // The count of queued entries; "!" when only refused ones remain, so red is never blank.
  const text = counts.queued > 0 ? String(Math.min(counts.queued, 9999)) : counts.needsAttention > 0 ? '!' : '';
  const color =
    counts.needsAttention > 0 ? BADGE_COLORS.attention : pauses.length > 0 ? BADGE_COLORS.paused : BADGE_COLORS.queued;
  return { text, color, title };
}

/** Applies a view to the toolbar button. */
export async function showBadge(view: BadgeView): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    browser.action.setBadgeBackgroundColor({ color: view.color }),
    browser.action.setTitle({ title: view.title }),
  ]);
}
