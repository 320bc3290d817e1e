import { describe, expect, it } from 'vitest';
import { findCampaign, readCampaigns } from '../../../lib/campaigns/cache.ts';
import { refreshCampaigns, staleServices, type RefreshDeps } from '../../../lib/campaigns/refresh.ts';
import { ServiceError } from '../../../lib/errors.ts';
import type { CampaignServiceId } from '../../../lib/services.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();

function sandboxConfig(service: CampaignServiceId): unknown {
  const base = `${sandbox.current.url}${SERVICE_PREFIXES[service]}`;
  switch (service) {
    case 'upcall':
      return { baseUrl: base, token: SANDBOX_CREDENTIALS.upcall.token };
    case 'sipcaller':
      return { baseUrl: base, ...SANDBOX_CREDENTIALS.sipcaller, varOrder: ['first_name', 'company'] };
    case 'callemall':
      return { baseUrl: base, ...SANDBOX_CREDENTIALS.callemall };
  }
}

function deps(configured: readonly CampaignServiceId[], now = 1_000): RefreshDeps {
  return {
    async config(service) {
      if (!configured.includes(service)) {
        throw new ServiceError({ kind: 'not-configured', service, message: 'missing API token' });
      }
      return sandboxConfig(service);
    },
    now: () => now,
  };
}

describe('refreshCampaigns', () => {
  it('caches the open campaigns of every configured service, in the services’ order', async () => {
    const result = await refreshCampaigns(deps(['upcall', 'sipcaller', 'callemall']));
    const byService = Object.fromEntries(result.map((r) => [r.service, r]));
    expect(byService.upcall!.cache).toEqual({ state: 'ok', refreshedAt: 1_000 });
    // Upcall: ready and pending only (7 of the 12 seeded), in Upcall's order.
    expect(byService.upcall!.campaigns.map((c) => `${c.name} (${c.status})`)).toEqual([
      'Spring renewals (ready)',
      'Webinar follow-up (pending)',
      'Trial conversions (ready)',
      'Event confirmations (pending)',
      'Enterprise leads (ready)',
      'Appointment reminders (ready)',
      'Partner outreach (pending)',
    ]);
    // SIP Caller: dynamic and active only, by name.
    expect(byService.sipcaller!.campaigns.map((c) => c.name)).toEqual([
      'Appointment reminders',
      'Billing follow-ups',
      'Feedback calls',
    ]);
    // Call-Em-All: user lists, not the system ones.
    expect(byService.callemall!.campaigns.map((c) => c.name)).not.toContain('Everyone');
    expect(byService.callemall!.campaigns).toHaveLength(8);
    expect(await findCampaign('upcall', '1001')).toMatchObject({ name: 'Spring renewals', service: 'upcall' });
  });

  it('shows nothing for a service without credentials, and forgets what it had', async () => {
    await refreshCampaigns(deps(['upcall', 'sipcaller']));
    const result = await refreshCampaigns(deps(['upcall']));
    const sip = result.find((r) => r.service === 'sipcaller')!;
    expect(sip).toEqual({ service: 'sipcaller', cache: { state: 'not-configured' }, campaigns: [] });
    expect(result.find((r) => r.service === 'callemall')!.cache).toEqual({ state: 'not-configured' });
  });

  it('keeps the last list when a read fails, and records why', async () => {
    await refreshCampaigns(deps(['upcall'], 1_000));
    sandbox.current.faults.addRule({ service: 'upcall', mode: 'status', status: 503, count: 5 });
    const result = await refreshCampaigns(deps(['upcall'], 2_000), ['upcall']);
    const upcall = result.find((r) => r.service === 'upcall')!;
    expect(upcall.cache).toMatchObject({
      state: 'error',
      failedAt: 2_000,
      refreshedAt: 1_000,
      failure: { kind: 'server', status: 503 },
    });
    expect(upcall.campaigns).toHaveLength(7);
  });

  it('joins a refresh already under way instead of reading twice', async () => {
    await Promise.all([refreshCampaigns(deps(['upcall']), ['upcall']), refreshCampaigns(deps(['upcall']), ['upcall'])]);
    const listReads = sandbox.current.requests.filter((r) => r.service === 'upcall' && r.path === '/campaigns');
    // Three pages of five, read once.
    expect(listReads).toHaveLength(3);
  });

  it('names the services whose list is old', async () => {
    await refreshCampaigns(deps(['upcall', 'callemall'], 1_000));
    const cached = await readCampaigns();
    expect(staleServices(cached, 1_000 + 29 * 60_000)).toEqual([]);
    expect(staleServices(cached, 1_000 + 30 * 60_000)).toEqual(['upcall', 'callemall']);
  });
});
