/**
 * In the refined-github spirit: every service in the registry has its unit test and its sandbox
 * simulator, so adding a service without them fails here.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignProviders, services } from '../../lib/providers/index.ts';
import { SERVICE_IDS, SERVICE_NAMES } from '../../lib/services.ts';
import { SERVICE_PREFIXES } from '../../sandbox/credentials.ts';
import { createSimulators } from '../../sandbox/services/index.ts';

const root = resolve(import.meta.dirname, '../..');
const UNIT_TESTS: Record<string, string> = {
  upcall: 'test/unit/providers/upcall.test.ts',
  sipcaller: 'test/unit/providers/sipcaller.test.ts',
  callemall: 'test/unit/providers/callemall.test.ts',
  multisender: 'test/unit/providers/multisender.test.ts',
  crm: 'test/unit/crm/client.test.ts',
};

describe('the service registry', () => {
  it('lists exactly the five services, each under its own id and name', () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICE_IDS].sort());
    for (const id of SERVICE_IDS) {
      expect(services[id].id).toBe(id);
      expect(services[id].name).toBe(SERVICE_NAMES[id]);
    }
    for (const [id, provider] of Object.entries(campaignProviders)) expect(provider.id).toBe(id);
  });

  it.each(SERVICE_IDS)('%s has a unit test and a sandbox simulator under its own prefix', (id) => {
    expect(existsSync(resolve(root, UNIT_TESTS[id] ?? `test/unit/providers/${id}.test.ts`))).toBe(true);
    const simulator = createSimulators().find((s) => s.id === id);
    expect(simulator).toBeDefined();
    expect(simulator?.prefix).toBe(SERVICE_PREFIXES[id]);
  });
});
