/**
 * One number's button: a host element carrying `data-e164`, an OPEN shadow root (DESIGN.md
 * "Contracts") with the styles and a <button> that has no text of its own, so selecting and
 * copying the page's text is unchanged. Built cheaply (a cloned icon, shared listeners): a CRM
 * grid gets ten thousand of them.
 */
import { toDataE164, type NumberRef } from '../phone/e164.ts';
import { HOST_TAG } from './page-rules.ts';
import { applyStyles, HOST_CSS } from './styles.ts';
import { clickAsExtension, fromUser } from './user-event.ts';

export interface HostInfo {
  ref: NumberRef;
  /** The number as the page shows it. */
  label: string;
}

/** What a button does when activated; the detector sets it. */
export interface HostActivation {
  open(host: HTMLElement, button: HTMLButtonElement): void;
}

const infos = new WeakMap<HTMLElement, HostInfo>();
let activation: HostActivation | undefined;
let iconTemplate: SVGSVGElement | undefined;

export function setHostActivation(handler: HostActivation | undefined): void {
  activation = handler;
}

export function hostInfo(host: HTMLElement): HostInfo | undefined {
  return infos.get(host);
}

export function buttonOf(host: HTMLElement): HTMLButtonElement | null {
  return host.shadowRoot?.querySelector('button.button') ?? null;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
// Feather's "phone" icon (MIT licence), drawn with the text colour.
const PHONE_PATH =
  'M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72 12.84 12.84 0 0 0 .7 2.81 2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45 12.84 12.84 0 0 0 2.81.7A2 2 0 0 1 22 16.92z';

function icon(doc: Document): SVGSVGElement {
  if (!iconTemplate || iconTemplate.ownerDocument !== doc) {
    iconTemplate = doc.createElementNS(SVG_NS, 'svg');
    iconTemplate.setAttribute('viewBox', '0 0 24 24');
    iconTemplate.setAttribute('aria-hidden', 'true');
    iconTemplate.setAttribute('focusable', 'false');
    const path = doc.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', PHONE_PATH);
    iconTemplate.append(path);
  }
  return iconTemplate.cloneNode(true) as SVGSVGElement;
}

// Shared listeners (not one closure per button). Clicks and keys stop at the button: a CRM row
// that opens its record on click must not navigate when the user meant our button.
function onClick(this: HTMLButtonElement, event: Event): void {
  // The page's script clicking our button opens nothing (lib/content/user-event.ts).
  if (!fromUser(event)) return;
  event.preventDefault();
  event.stopPropagation();
  const host = (this.getRootNode() as ShadowRoot).host as HTMLElement;
  activation?.open(host, this);
}

function onKeydown(this: HTMLButtonElement, event: KeyboardEvent): void {
  if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && fromUser(event)) {
    event.preventDefault();
    clickAsExtension(this);
  }
  if (event.key === 'Enter' || event.key === ' ' || event.key.startsWith('Arrow')) event.stopPropagation();
}

export function accessibleName(label: string): string {
  return `Call actions for ${label}`;
}

/** A new host for `info` (not yet in the page). */
export function createHost(doc: Document, info: HostInfo): HTMLElement {
  const host = doc.createElement(HOST_TAG);
  host.dataset.e164 = toDataE164(info.ref);
  const root = host.attachShadow({ mode: 'open' });
  applyStyles(root, HOST_CSS);
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', accessibleName(info.label));
  button.title = `${info.label}: call, log or add to a campaign`;
  button.append(icon(doc));
  button.addEventListener('click', onClick);
  button.addEventListener('keydown', onKeydown);
  root.append(button);
  infos.set(host, info);
  return host;
}

/** Whether the user is busy with this host (focus inside, or its panel open). */
export function isHostInUse(host: HTMLElement): boolean {
  return host.shadowRoot?.activeElement != null || buttonOf(host)?.getAttribute('aria-expanded') === 'true';
}
