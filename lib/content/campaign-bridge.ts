/**
 * The content script's side of issue 4 outside the in-page menu:
 * - a right-click on a number's button tells the background which number it was (the browser
 *   reports a click in a shadow root as the plain "page" context), with the details around it;
 * - the background's right-click menu asks to open the "Add to campaign" view on a number;
 * - the popup's "This page" tab asks for every number with its details.
 * It reads the running detector's buttons; it never changes the page.
 */
import browser from 'webextension-polyfill';
import type { Envelope, RequestOf } from '../messaging.ts';
import type { ContentRequest, PageNumber, PageNumbersAnswer } from '../protocol/campaigns.ts';
import { setCampaignPreselect } from './campaign-panel.ts';
import { captureContactDetails } from './contact-details.ts';
import { currentDetection } from './lifecycle.ts';
import { buttonOf, hostInfo } from './number-host.ts';
import { HOST_TAG } from './page-rules.ts';
import { clickAsExtension, fromUser } from './user-event.ts';

/** Shared by every injection into this frame (they share the extension's isolated world). */
const BRIDGE = Symbol.for('crm-call-companion/campaign-bridge');

function isRequest(message: unknown): message is ContentRequest {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'campaigns/page-numbers' || type === 'campaigns/open-panel';
}

function hostIn(path: readonly EventTarget[]): HTMLElement | undefined {
  return path.find((node): node is HTMLElement => node instanceof HTMLElement && node.localName === HOST_TAG);
}

/** Every number with a button, in page order, with the details around each. */
export function pageNumbers(): PageNumbersAnswer {
  const detector = currentDetection()?.detector;
  if (!detector) return { settled: false, numbers: [] };
  const hosts = detector.decorations.sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
  const numbers: PageNumber[] = [];
  for (const host of hosts) {
    const info = hostInfo(host);
    if (!info) continue;
    numbers.push({ ...info.ref, label: info.label, details: captureContactDetails(host) });
  }
  return { settled: detector.isSettled(), numbers };
}

/**
 * Starts listening; call once per frame where detection runs. `onInvalidated` is called with a
 * cleanup when the extension goes away.
 */
export function startCampaignBridge(doc: Document, onInvalidated: (callback: () => void) => void): void {
  // The popup may inject the script into a frame that already runs it: listen once per frame
  // (a second "open" would close the panel the first one opened).
  const holder = globalThis as { [BRIDGE]?: true };
  if (holder[BRIDGE]) return;
  holder[BRIDGE] = true;
  let lastRightClicked: HTMLElement | undefined;

  const onContextMenu = (event: MouseEvent) => {
    // A contextmenu event the page dispatched does not choose the number the menu acts on.
    if (!fromUser(event)) return;
    const host = hostIn(event.composedPath());
    const info = host && hostInfo(host);
    if (!host || !info) return;
    lastRightClicked = host;
    const payload: RequestOf<'campaigns/context-number'> = {
      e164: info.ref.e164,
      details: captureContactDetails(host),
      ...(info.ref.extension ? { extension: info.ref.extension } : {}),
    };
    void browser.runtime
      .sendMessage({ type: 'campaigns/context-number', payload } satisfies Envelope)
      .catch(() => undefined);
  };

  /** The button to open: the one right-clicked if it is this number, else the first one on screen. */
  const hostFor = (e164: string, extension: string | undefined): HTMLElement | undefined => {
    const same = (host: HTMLElement) => {
      const ref = hostInfo(host)?.ref;
      return ref?.e164 === e164 && (extension === undefined || ref.extension === extension);
    };
    if (lastRightClicked?.isConnected && same(lastRightClicked)) return lastRightClicked;
    const hosts = currentDetection()?.detector?.decorations.filter(same) ?? [];
    const view = doc.defaultView;
    const onScreen = hosts.find((host) => {
      const rect = host.getBoundingClientRect();
      return view && rect.bottom > 0 && rect.top < view.innerHeight;
    });
    return onScreen ?? hosts[0];
  };

  const onMessage = (message: unknown): Promise<unknown> | undefined => {
    if (!isRequest(message)) return undefined;
    if (message.type === 'campaigns/page-numbers') return Promise.resolve(pageNumbers());
    const host = hostFor(message.e164, message.extension);
    const button = host && buttonOf(host);
    if (!host || !button) return Promise.resolve({ opened: false });
    host.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    // Open the number's own menu, then its "Add to campaign…" entry, as a click would: the view
    // then sits in the number's panel, with Back to the menu.
    // A panel already open on this button is closed first: the menu view is then on top again.
    if (button.getAttribute('aria-expanded') === 'true') clickAsExtension(button);
    clickAsExtension(button);
    const entry = host.shadowRoot?.querySelector<HTMLElement>('[data-action="add-to-campaign"]');
    if (!entry) return Promise.resolve({ opened: false });
    setCampaignPreselect(message.service ? { service: message.service, campaignId: message.campaignId } : undefined);
    clickAsExtension(entry);
    return Promise.resolve({ opened: true });
  };

  doc.addEventListener('contextmenu', onContextMenu, true);
  browser.runtime.onMessage.addListener(onMessage);
  onInvalidated(() => {
    delete holder[BRIDGE];
    doc.removeEventListener('contextmenu', onContextMenu, true);
    browser.runtime.onMessage.removeListener(onMessage);
  });
}
