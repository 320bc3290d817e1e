/**
 * A polite live region for news that outlives a button ("… is no longer marked on this site"):
 * one visually hidden element in its own shadow root, made on first use.
 */
import { ANNOUNCER_TAG } from './page-rules.ts';
import { ANNOUNCER_CSS, applyStyles } from './styles.ts';

let region: HTMLElement | undefined;

export function announce(doc: Document, message: string): void {
  if (!region?.isConnected) {
    const host = doc.createElement(ANNOUNCER_TAG);
    const root = host.attachShadow({ mode: 'open' });
    applyStyles(root, ANNOUNCER_CSS);
    region = doc.createElement('div');
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    root.append(region);
    (doc.body ?? doc.documentElement).append(host);
  }
  region.textContent = message;
}

export function removeAnnouncer(doc: Document): void {
  doc.querySelector(ANNOUNCER_TAG)?.remove();
  region = undefined;
}
