/**
 * A single add from the panel or the right-click menu, through the real outbox and clients to the
 * sandbox: what each service receives, duplicates and do-not-call reported with nothing sent,
 * screening and its override, an unreachable service queued then delivered, a lost answer
 * reconciled, a refused token explained; and the notification each ends with.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { addToCampaign, createCampaignAddOutboxExecutor } from '../../../lib/background/campaign-handlers.ts';
import { configFor } from '../../../lib/background/service-config.ts';
import { contactFromDetails } from '../../../lib/campaigns/contact.ts';
import { refreshCampaigns } from '../../../lib/campaigns/refresh.ts';
import { screenNumber } from '../../../lib/dnc/screen.ts';
import { addLocalDoNotCall } from '../../../lib/dnc/store.ts';
import { createCrmCallExecutor } from '../../../lib/outbox/crm-call-executor.ts';
import { createDelivery, type Delivery } from '../../../lib/outbox/delivery.ts';
import { getEntry, listEntries } from '../../../lib/outbox/store.ts';
import { updateSecrets } from '../../../lib/secrets.ts';
import { storeSettings } from '../../../lib/settings-storage.ts';
import { settingsSchema } from '../../../lib/settings.ts';
import { sandboxSecrets, sandboxSettings } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();
let delivery: Delivery;

const ada = {
  e164: '+16505550177',
  firstName: 'Ada',
  lastName: 'Abbott',
  company: 'Northwind',
  email: 'ada@northwind.example',
};

beforeEach(async () => {
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => true;
  await storeSettings(settingsSchema.parse(sandboxSettings(sandbox.current.url)));
  await updateSecrets(sandboxSecrets());
  delivery = createDelivery({
    executors: {
      'crm-call': createCrmCallExecutor({ config: () => configFor('crm') }),
      'campaign-add': createCampaignAddOutboxExecutor(),
    },
    random: () => 0.5,
  });
  await refreshCampaigns({ config: (s) => configFor(s), now: Date.now });
  sandbox.current.requests.length = 0;
});

const writes = (service: string) => sandbox.current.requests.filter((r) => r.service === service && r.method !== 'GET');
const notifications = () =>
  Object.values(
    (
      fakeBrowser.notifications as unknown as {
        getAllCreateOptions(): Record<string, { title: string; message: string }>;
      }
    ).getAllCreateOptions(),
  );

describe('addToCampaign', () => {
  it('adds to Upcall with the contact details, as the reference asks, and says so', async () => {
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result).toEqual({
      status: 'added',
      title: 'Added to Spring renewals',
      sentence: 'Added +1 650-555-0177 to Spring renewals (Upcall).',
    });
    const posts = writes('upcall');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      path: '/campaigns/1001/numbers',
      body: {
        data: {
          type: 'campaign_numbers',
          attributes: {
            phone: '+16505550177',
            first_name: 'Ada',
            last_name: 'Abbott',
            company: 'Northwind',
            email: 'ada@northwind.example',
          },
        },
      },
      status: 201,
    });
    // The duplicate check came first, without the "+".
    const check = sandbox.current.requests.find(
      (r) => r.service === 'upcall' && r.method === 'GET' && r.path === '/campaigns/1001/numbers',
    );
    expect(check?.query.phone).toBe('16505550177');
    expect(notifications()).toContainEqual(
      expect.objectContaining({ message: 'Added +1 650-555-0177 to Spring renewals (Upcall).' }),
    );
    const [entry] = await listEntries();
    expect(entry).toMatchObject({ kind: 'campaign-add', state: 'sent', service: 'upcall' });
  });

  it('reports a number already in the campaign and sends nothing', async () => {
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: { e164: '+16507991144' },
      overrideDoNotCall: false,
    });
    expect(result).toMatchObject({
      status: 'duplicate',
      title: 'Already in Spring renewals',
      sentence: '+1 650-799-1144 is already in Spring renewals (Upcall); it was not added again.',
    });
    expect(writes('upcall')).toEqual([]);
  });

  it('reports Upcall’s dnc, sends nothing, and remembers it for screening', async () => {
    sandbox.current.simulators.find((s) => s.id === 'upcall')!.control!('mark-dnc', {
      campaignId: '1001',
      phone: ada.e164,
    });
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result.status).toBe('do-not-call');
    expect(result.sentence).toContain('do-not-call');
    expect(writes('upcall')).toEqual([]);
    const screening = await screenNumber(ada.e164);
    expect(screening.blocked && screening.reasons[0]).toMatchObject({ source: 'upcall-dnc' });
    expect(screening.blocked && screening.reasons[0]!.detail).toContain('Spring renewals');
  });

  it('blocks a number on the do-not-call list before any request; the user may override it', async () => {
    await addLocalDoNotCall(ada.e164, 'asked not to be called', Date.now());
    const blocked = await addToCampaign(delivery, {
      service: 'sipcaller',
      campaignId: 'cmp-101',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(blocked.status).toBe('blocked');
    expect(blocked.sentence).toMatch(
      /^\+1 650-555-0177 is on the do-not-call list: your do-not-call list \(added .*“asked not to be called”\)\. Nothing was sent\.$/,
    );
    expect(sandbox.current.requests.filter((r) => r.service === 'sipcaller')).toEqual([]);
    expect(await listEntries()).toEqual([]);

    const overridden = await addToCampaign(delivery, {
      service: 'sipcaller',
      campaignId: 'cmp-101',
      contact: ada,
      overrideDoNotCall: true,
    });
    expect(overridden.status).toBe('added');
  });

  it('adds to a SIP Caller campaign with the variables in the order set in options', async () => {
    const result = await addToCampaign(delivery, {
      service: 'sipcaller',
      campaignId: 'cmp-101',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result.sentence).toBe('Added +1 650-555-0177 to Appointment reminders (SIP Caller).');
    expect(writes('sipcaller')).toEqual([
      expect.objectContaining({
        path: '/accounts/acc-5001/campaigns/cmp-101/numbers',
        body: { number: '+16505550177', varValues: ['Ada', 'Northwind'] },
      }),
    ]);
  });

  it('creates the Call-Em-All contact and adds it to the list; refuses a number outside North America without a request', async () => {
    const result = await addToCampaign(delivery, {
      service: 'callemall',
      campaignId: '31',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result.sentence).toBe('Added +1 650-555-0177 to Spring Renewals (Call-Em-All).');
    const posts = writes('callemall');
    expect(posts.map((r) => [r.path, r.body])).toEqual([
      [
        '/contacts',
        {
          PrimaryPhone: '6505550177',
          FirstName: 'Ada',
          LastName: 'Abbott',
          Notes: 'Northwind',
          // Our marker, so a copy made by a re-sent create is recognised as ours.
          IntegrationData: expect.stringMatching(/^crm-call-companion:[0-9a-f]{8}$/),
        },
      ],
      ['/lists/31/contacts', [{ PersonID: expect.any(Number) }]],
    ]);

    sandbox.current.requests.length = 0;
    const abroad = await addToCampaign(delivery, {
      service: 'callemall',
      campaignId: '31',
      contact: { e164: '+442079460123' },
      overrideDoNotCall: false,
    });
    expect(abroad).toMatchObject({
      status: 'failed',
      sentence: 'Call-Em-All only calls US and Canadian (+1) numbers; +44 20 7946 0123 was not added.',
    });
    expect(sandbox.current.requests).toEqual([]);
  });

  it('queues an add the service cannot receive, and delivers it when the service is back', async () => {
    sandbox.current.faults.addRule({ service: 'upcall', mode: 'drop-before', count: 1000 });
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result).toMatchObject({
      status: 'queued',
      sentence: 'Queued: +1 650-555-0177 will be added to Spring renewals when Upcall can be reached.',
    });
    expect(notifications()).toContainEqual(expect.objectContaining({ title: 'Queued for Upcall' }));
    expect(await getEntry(result.entryId!)).toMatchObject({ state: 'queued', kind: 'campaign-add' });

    sandbox.current.faults.reset();
    await vi.waitFor(async () => expect((await getEntry(result.entryId!))?.state).toBe('sent'), {
      timeout: 15_000,
      interval: 200,
    });
    expect(writes('upcall').filter((r) => r.status === 201)).toHaveLength(1);
    expect(notifications()).toContainEqual(
      expect.objectContaining({ message: 'Added +1 650-555-0177 to Spring renewals (Upcall).' }),
    );
  });

  it('after an add whose answer was lost, finds the number there and counts it as added, never adding it twice', async () => {
    sandbox.current.faults.addRule({ service: 'upcall', method: 'POST', mode: 'drop-after', count: 1 });
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result.status).toBe('queued');
    await vi.waitFor(async () => expect((await getEntry(result.entryId!))?.state).toBe('sent'), {
      timeout: 15_000,
      interval: 200,
    });
    expect(await getEntry(result.entryId!)).toMatchObject({ delivered: { via: 'reconciled' } });
    const numbers = (
      sandbox.current.simulators.find((s) => s.id === 'upcall')!.state() as { numbers: { phone: string }[] }
    ).numbers;
    expect(numbers.filter((n) => n.phone === ada.e164)).toHaveLength(1);
    expect(notifications()).toContainEqual(
      expect.objectContaining({ message: 'Added +1 650-555-0177 to Spring renewals (Upcall).' }),
    );
  });

  it('says in words when the token is refused; the add waits for new credentials', async () => {
    await updateSecrets({ upcall: { token: 'not-the-token' } });
    const result = await addToCampaign(delivery, {
      service: 'upcall',
      campaignId: '1001',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result.status).toBe('queued');
    expect(result.title).toBe('Upcall rejected the credentials');
    expect(result.sentence).toBe(
      'Upcall rejected the token (401). Check the Upcall settings in options. +1 650-555-0177 waits in Activity and is added to Spring renewals once that is fixed.',
    );
  });

  it('answers at once when the service is not set up, with nothing queued', async () => {
    await updateSecrets({ callemall: { appKey: null } });
    const result = await addToCampaign(delivery, {
      service: 'callemall',
      campaignId: '31',
      contact: ada,
      overrideDoNotCall: false,
    });
    expect(result).toMatchObject({
      status: 'failed',
      sentence: 'Call-Em-All is not set up: missing app key. Open options to add it.',
    });
    expect(await listEntries()).toEqual([]);
  });
});

describe('contactFromDetails', () => {
  it('splits a full name when first and last are not given, and keeps what the page had', () => {
    expect(contactFromDetails('+16505550100', '45', { full_name: 'Rafael de la Cruz', company: 'Initech' })).toEqual({
      e164: '+16505550100',
      extension: '45',
      firstName: 'Rafael de la',
      lastName: 'Cruz',
      company: 'Initech',
    });
    expect(
      contactFromDetails('+16505550100', undefined, { first_name: 'Ada', last_name: 'Abbott', email: 'a@b.example' }),
    ).toEqual({
      e164: '+16505550100',
      firstName: 'Ada',
      lastName: 'Abbott',
      email: 'a@b.example',
    });
    expect(contactFromDetails('+16505550100', undefined, {})).toEqual({ e164: '+16505550100' });
  });
});
