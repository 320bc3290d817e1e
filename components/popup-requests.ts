/**
 * Requests between the popup's tabs, without threading callbacks through every component: a
 * section of one tab asks for another tab (optionally with values for its form), and the popup
 * and that form each listen. All tabs stay mounted (components/PopupTabs.tsx), so a listener is
 * there whichever tab is showing.
 */
import type { CallResult } from '../lib/crm/client.ts';
import type { CalledVia } from '../lib/outbox/crm-call.ts';

/** Values for the Log a call form ("Log this call" on a finished click-to-call). */
export interface LogCallRequest {
  phoneNumber: string;
  callResult?: CallResult;
  calledVia?: CalledVia;
  /** Epoch ms. */
  calledAt?: number;
}

export type PopupRequest = { view: 'log'; logCall?: LogCallRequest } | { view: 'activity' } | { view: 'click-to-call' };

type Listener = (request: PopupRequest) => void;
const listeners = new Set<Listener>();

/** Asks the popup to show a tab (and the Log a call form to take the values, if given). */
export function requestPopupView(request: PopupRequest): void {
  for (const listener of [...listeners]) listener(request);
}

/** Listens for requests; returns the unsubscribe function (a useEffect cleanup). */
export function onPopupRequest(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
