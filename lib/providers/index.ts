/**
 * The registry of services. Adding a calling service is adding a file in this folder and a line
 * here; a meta-test checks each has its unit test and its sandbox simulator.
 */
import { crm } from '../crm/client.ts';
import type { CampaignServiceId, ServiceId } from '../services.ts';
import { callEmAll } from './callemall.ts';
import { multisender } from './multisender.ts';
import { sipCaller } from './sipcaller.ts';
import type { CampaignProvider, ServiceDefinition } from './types.ts';
import { upcall } from './upcall.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own config type
type AnyConfig = any;

export const campaignProviders = {
  upcall,
  sipcaller: sipCaller,
  callemall: callEmAll,
} satisfies Record<CampaignServiceId, CampaignProvider<AnyConfig>>;

export const services = {
  ...campaignProviders,
  multisender,
  crm,
} satisfies Record<ServiceId, ServiceDefinition<AnyConfig>>;
