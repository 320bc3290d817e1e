/** The remover of each service (./remover.ts). */
import type { ServiceId } from '../services.ts';
import { callEmAllRemover } from './callemall.ts';
import { crmRemover } from './crm.ts';
import { multisenderRemover } from './multisender.ts';
import type { DuplicateRemover } from './remover.ts';
import { sipCallerRemover } from './sipcaller.ts';
import { upcallRemover } from './upcall.ts';

export const duplicateRemovers: Record<ServiceId, DuplicateRemover> = {
  crm: crmRemover,
  upcall: upcallRemover,
  sipcaller: sipCallerRemover,
  callemall: callEmAllRemover,
  multisender: multisenderRemover,
};
