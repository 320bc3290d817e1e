/** Every simulator the sandbox serves. A meta-test checks each provider in lib/ has one here. */
import type { ServiceSimulator } from '../types.ts';
import { createCallEmAllSimulator } from './callemall.ts';
import { createCrmSimulator } from './crm.ts';
import { createMultisenderSimulator } from './multisender.ts';
import { createSipCallerSimulator } from './sipcaller.ts';
import { createUpcallSimulator } from './upcall.ts';

export function createSimulators(): ServiceSimulator[] {
  return [
    createUpcallSimulator(),
    createSipCallerSimulator(),
    createCallEmAllSimulator(),
    createMultisenderSimulator(),
    createCrmSimulator(),
  ];
}
