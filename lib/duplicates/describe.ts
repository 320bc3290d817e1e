/** Sentences for Activity about copies made beneath us (pure, shared by the background and pages). */
import { describeFailure } from '../errors.ts';
import { SERVICE_NAMES } from '../services.ts';
import type { AbandonedCheck, RemovalRecord } from './types.ts';

/**
 * "Duplicate removed: a second copy of the note for +1 650-555-0100 on contact 5f3 was deleted
 * from the CRM (call 66a1…); the first one is kept."
 */
export function describeRemoval(removal: RemovalRecord): string {
  const count = removal.removed.length;
  const copies = count === 1 ? 'a second copy' : `${count} extra copies`;
  const ids = removal.removed.join(', ');
  const what = removal.service === 'crm' ? 'call' : removal.service === 'multisender' ? 'click-to-call' : 'record';
  const action =
    removal.service === 'multisender'
      ? `${count === 1 ? 'was' : 'were'} cancelled at Multisender before it could call`
      : `${count === 1 ? 'was' : 'were'} deleted from ${removal.service === 'crm' ? 'the CRM' : SERVICE_NAMES[removal.service]}`;
  const kept = removal.kept ? `; ${removal.kept} is kept` : '';
  return `Duplicate removed: ${copies} of ${removal.label} ${action} (${what} ${ids})${kept}.`;
}

export function describeAbandoned(check: AbandonedCheck): string {
  return `Could not check ${SERVICE_NAMES[check.service]} for copies of ${check.label}: ${describeFailure(check.failure)} Look there for a second copy.`;
}
