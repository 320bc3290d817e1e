/** The toolbar badge: the count of queued entries, red while any needs attention. */
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BADGE_COLORS, badgeView, showBadge } from '../../../lib/outbox/badge.ts';

const pause = { service: 'crm' as const, failure: { kind: 'auth' as const, service: 'CRM', status: 401 }, since: 1, settingsFingerprint: '' };

describe('badge', () => {
  it('is blank when nothing waits', () => {
    expect(badgeView({ queued: 0, needsAttention: 0 }, [])).toEqual({ text: '', color: BADGE_COLORS.queued, title: 'CRM Call Companion' });
  });

  it('counts queued entries', () => {
    expect(badgeView({ queued: 3, needsAttention: 0 }, [])).toMatchObject({ text: '3', color: BADGE_COLORS.queued, title: 'CRM Call Companion: 3 queued' });
  });

  it('turns red while any needs attention, never blank', () => {
    expect(badgeView({ queued: 2, needsAttention: 1 }, [])).toMatchObject({ text: '2', color: BADGE_COLORS.attention, title: 'CRM Call Companion: 2 queued · 1 needs attention' });
    expect(badgeView({ queued: 0, needsAttention: 2 }, [])).toMatchObject({ text: '!', color: BADGE_COLORS.attention });
  });

  it('names a paused service', () => {
    expect(badgeView({ queued: 4, needsAttention: 0 }, [pause])).toMatchObject({
      text: '4',
      color: BADGE_COLORS.paused,
      title: 'CRM Call Companion: 4 queued · CRM paused until its credentials change',
    });
  });

  it('is applied to the toolbar button', async () => {
    await showBadge(badgeView({ queued: 5, needsAttention: 1 }, []));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('5');
    expect(await fakeBrowser.action.getTitle({})).toBe('CRM Call Companion: 5 queued · 1 needs attention');
  });
});
