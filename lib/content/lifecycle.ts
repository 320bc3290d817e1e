/**
 * Starting and stopping detection in one frame: one instance per frame even when the popup
 * injects the script into a tab that already runs it, configuration from the background, and a
 * clean stop when the user turns the site off (`detection/stop` from lib/background/sites-handlers.ts)
 * or the extension goes away.
 */
import browser from 'webextension-polyfill';
import { siteOf } from '../sites.ts';
import { Detector } from './detector.ts';
import { sendFromContent } from './messages.ts';

/** Shared by every injection into this frame (they share the extension's isolated world). */
const INSTANCE = Symbol.for('crm-call-companion/detection');

interface Instance {
  detector?: Detector;
  stop(): void;
}

type Holder = { [INSTANCE]?: Instance };

export interface LifecycleOptions {
  doc: Document;
  /** Called when the extension context goes away (update, reload, uninstall). */
  onInvalidated(callback: () => void): void;
}

/** Asked by extension pages (the popup's "This page", tests) with tabs.sendMessage. */
export const DETECTION_STATUS = { type: 'detection/status' } as const;

export interface DetectionStatus {
  /** Every number on the page has its button (nothing left to scan or place). */
  settled: boolean;
  numbers: { e164: string; extension?: string; label: string }[];
}

function isStopMessage(message: unknown): message is { type: 'detection/stop'; sites: string[] } {
  if (typeof message !== 'object' || message === null) return false;
  const { type, sites } = message as { type?: unknown; sites?: unknown };
  return type === 'detection/stop' && Array.isArray(sites);
}

function isStatusMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === DETECTION_STATUS.type;
}

/** The running instance of this frame, if any (tests and the double-injection guard use it). */
export function currentDetection(): Instance | undefined {
  return (globalThis as Holder)[INSTANCE];
}

export async function startDetection({ doc, onInvalidated }: LifecycleOptions): Promise<void> {
  const holder = globalThis as Holder;
  if (holder[INSTANCE]) return;
  const site = siteOf(doc.location?.href ?? '');
  if (!site) return;

  let stopped = false;
  const onMessage = (message: unknown): Promise<DetectionStatus> | undefined => {
    if (isStopMessage(message) && message.sites.includes(site)) instance.stop();
    if (isStatusMessage(message) && instance.detector) {
      const detector = instance.detector;
      return Promise.resolve({ settled: detector.isSettled(), numbers: detector.numbers() });
    }
    return undefined;
  };
  const instance: Instance = {
    stop() {
      if (stopped) return;
      stopped = true;
      instance.detector?.stop();
      browser.runtime.onMessage.removeListener(onMessage);
      if (holder[INSTANCE] === instance) delete holder[INSTANCE];
    },
  };
  // Claimed before the first await, so a second injection arriving meanwhile backs off.
  holder[INSTANCE] = instance;
  browser.runtime.onMessage.addListener(onMessage);
  onInvalidated(() => instance.stop());

  // The bench (bench/detection.ts) reads these User Timing marks; only the e2e build sets them.
  const mark =
    import.meta.env.MODE === 'e2e'
      ? (name: string, detail?: Record<string, number>) => performance.mark(name, { detail })
      : undefined;
  mark?.('crm-companion:start');
  const config = await sendFromContent('content/config', {});
  if (stopped) return;
  if (!config.ok) {
    // The site is not (or no longer) enabled, or the extension was reloaded: stay out of the way.
    instance.stop();
    return;
  }
  mark?.('crm-companion:config');
  instance.detector = new Detector({ doc, config: config.value, send: sendFromContent, mark });
  instance.detector.start();
}
