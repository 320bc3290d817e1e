/**
 * Detection on one page (one frame): find every number in idle slices without touching the page,
 * then put all buttons in at once (one relayout). On a huge page the numbers on screen come first,
 * as floating buttons that cost no relayout. Afterwards one MutationObserver keeps up with the
 * page: small changes (a few appended rows) are decorated in the same task, before the page's
 * own relayout; bigger ones in idle slices. Issue 3, DESIGN.md "Where it must be strong".
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { ContentConfig } from '../protocol/content.ts';
import type { NumberRef } from '../phone/e164.ts';
import { createMenuView } from './action-menu.ts';
import { announce, removeAnnouncer } from './announcer.ts';
import { captureContactDetails } from './contact-details.ts';
import { createIdleQueue, type IdleQueue } from './idle.ts';
import type { sendFromContent } from './messages.ts';
import { emptySummary, OBSERVE_OPTIONS, outermost, summarize, type MutationSummary } from './mutations.ts';
import { NUMBER_ACTIONS } from './number-actions.ts';
import { accessibleName, createHost, hostInfo, isHostInUse, setHostActivation } from './number-host.ts';
import { OverlayLayer } from './overlay.ts';
import { HOST_TAG, isInsideExcluded } from './page-rules.ts';
import { Panel } from './panel.ts';
import { existingHostFor, insertHost, insertionPointFor, isStillThere, removeHost } from './placement.ts';
import { defaultIsVisible, Scanner, type FoundNumber, type ScanOptions } from './scanner.ts';
import { firstVisibleElement, placeOnScreen, rectsOf } from './viewport.ts';

export interface DetectorOptions {
  doc: Document;
  config: ContentConfig;
  send: typeof sendFromContent;
  idle?: IdleQueue;
  isVisible?: (element: Element) => boolean;
  /** Pages with more elements than this get the on-screen-first pass. */
  hugePageElements?: number;
  /** Time allowed, inside a MutationObserver callback, to decorate a change at once. */
  syncBudgetMs?: number;
  now?: () => number;
  /** Instrumentation for the bench (User Timing marks in the e2e build); nothing by default. */
  mark?: (name: string, detail?: Record<string, number>) => void;
}

type Phase = 'idle' | 'initial' | 'live' | 'stopped';

const MAX_HIDDEN = 5000;
const VISIBLE_PASS_BUDGET_MS = 150;

export class Detector {
  private readonly doc: Document;
  private readonly win: Window;
  private readonly idle: IdleQueue;
  private readonly ignored: Set<string>;
  private readonly scanOptions: ScanOptions;
  private readonly observer: MutationObserver;
  private readonly observed = new WeakSet<Node>();
  private readonly hosts = new Set<HTMLElement>();
  private readonly overlay: OverlayLayer;
  /** Floating buttons by the node and offset where their number ends. */
  private readonly overlays = new Map<Node, Map<number, HTMLElement>>();
  /** Buttons built ahead of the initial batch, by the number they are for. */
  private readonly prepared = new Map<FoundNumber, HTMLElement>();
  private summary: MutationSummary = emptySummary();
  private hidden: FoundNumber[] = [];
  private phase: Phase = 'idle';
  private panel: Panel | undefined;
  private busyScanning = false;
  private readonly now: () => number;

  constructor(private readonly options: DetectorOptions) {
    this.doc = options.doc;
    this.win = options.doc.defaultView!;
    this.now = options.now ?? (() => performance.now());
    this.idle = options.idle ?? createIdleQueue(this.win);
    this.ignored = new Set(options.config.ignored);
    this.scanOptions = {
      defaultCountry: options.config.defaultCountry as CountryCode,
      ignored: this.ignored,
      isVisible: options.isVisible ?? defaultIsVisible,
      onShadowRoot: (root) => this.observe(root),
    };
    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.overlay = new OverlayLayer(this.doc);
  }

  get running(): boolean {
    return this.phase === 'initial' || this.phase === 'live';
  }

  /** The buttons currently in the page. */
  get decorations(): HTMLElement[] {
    return [...this.hosts].filter((host) => host.isConnected);
  }

  /** Nothing left to scan or place: every number the page shows right now has its button. */
  isSettled(): boolean {
    // Changes not yet delivered to the observer count as work to do.
    const undelivered = this.observer.takeRecords();
    if (undelivered.length > 0) this.onMutations(undelivered);
    return this.phase === 'live' && !this.busyScanning && this.idle.pending === 0 && this.summary.roots.size === 0;
  }

  /** The numbers with a button, in page order. */
  numbers(): { e164: string; extension?: string; label: string }[] {
    const hosts = this.decorations.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
    return hosts.flatMap((host) => {
      const info = hostInfo(host);
      return info ? [{ ...info.ref, label: info.label }] : [];
    });
  }

  start(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'initial';
    setHostActivation({ open: (host, button) => this.openPanel(host, button) });
    this.observe(this.doc);
    const body = this.doc.body ?? this.doc.documentElement;
    if (isInsideExcluded(body)) {
      this.phase = 'live';
      return;
    }
    const mark = this.options.mark ?? (() => undefined);
    const huge = this.doc.getElementsByTagName('*').length > (this.options.hugePageElements ?? 3000);
    if (huge) this.decorateScreenFirst(body);
    const scanner = new Scanner([body], this.scanOptions);
    let busyMs = 0;
    let slices = 0;
    const step = (shouldYield: () => boolean) => {
      if (this.phase !== 'initial') return;
      const began = this.now();
      const finished = scanner.run(shouldYield);
      busyMs += this.now() - began;
      slices += 1;
      if (!finished) {
        this.idle.schedule(step);
        return;
      }
      mark('crm-companion:scanned', { busyMs, slices, found: scanner.found.length });
      this.idle.schedule(prepare);
    };
    // Buttons are built in idle slices too (they are not in the page yet), so the one task that
    // inserts them all does little more than the insertion itself.
    let prepared = 0;
    const prepare = (shouldYield: () => boolean) => {
      if (this.phase !== 'initial') return;
      const found = scanner.found;
      for (; prepared < found.length; prepared += 1) {
        const item = found[prepared]!;
        if (!this.overlayOf(item)) this.prepared.set(item, createHost(this.doc, { ref: item.ref, label: item.label }));
        if (shouldYield()) {
          prepared += 1;
          this.idle.schedule(prepare);
          return;
        }
      }
      // Everything found and built: one batch, in a fresh idle period, for one relayout.
      this.idle.schedule(() => {
        if (this.phase !== 'initial') return;
        const began = this.now();
        this.keepHidden(scanner.hidden);
        this.mutate(() => this.placeAll(found, true));
        this.prepared.clear();
        this.phase = 'live';
        mark('crm-companion:committed', { ms: this.now() - began, placed: this.hosts.size });
        this.flushChanges();
      });
    };
    this.idle.schedule(step);
  }

  /** Removes every button, stops observing; the page is as it was. */
  stop(): void {
    if (this.phase === 'stopped') return;
    this.phase = 'stopped';
    this.observer.disconnect();
    this.idle.cancel();
    this.panel?.close(false);
    this.panel = undefined;
    for (const host of this.hosts) removeHost(host);
    this.hosts.clear();
    this.prepared.clear();
    this.overlays.clear();
    this.overlay.remove();
    this.hidden = [];
    removeAnnouncer(this.doc);
    setHostActivation(undefined);
  }

  /** "Not a phone number": remembered for the site by the background, gone from this page. */
  async ignore(ref: NumberRef, label: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const reply = await this.options.send('number/ignore', { e164: ref.e164 });
    if (!reply.ok) return { ok: false, message: 'The extension could not save this. Reload the page and try again.' };
    this.ignored.add(ref.e164);
    this.panel?.close(false);
    this.mutate(() => {
      for (const host of this.hosts) {
        if (hostInfo(host)?.ref.e164 === ref.e164) {
          removeHost(host);
          this.hosts.delete(host);
        }
      }
    });
    this.hidden = this.hidden.filter((f) => f.ref.e164 !== ref.e164);
    announce(this.doc, `${label} is no longer marked as a phone number on this site.`);
    return { ok: true };
  }

  // --- Observing -------------------------------------------------------------------------

  private observe(root: Node): void {
    if (this.observed.has(root) || this.phase === 'stopped') return;
    this.observed.add(root);
    this.observer.observe(root, OBSERVE_OPTIONS);
  }

  /** Runs our own DOM changes so that the observer never reports them back to us. */
  private mutate(change: () => void): void {
    const pending = this.observer.takeRecords();
    if (pending.length > 0) summarize(pending, this.summary);
    change();
    this.observer.takeRecords();
  }

  private onMutations(records: MutationRecord[]): void {
    if (this.phase === 'stopped') return;
    summarize(records, this.summary);
    if (this.phase === 'live') this.flushChanges();
  }

  /** Scans what changed: at once when small (same task as the page's change), else when idle. */
  private flushChanges(): void {
    if (this.busyScanning || this.phase !== 'live') return;
    const { roots, visibilityChanged, removed } = this.summary;
    this.summary = emptySummary();
    if (removed) this.forgetDetachedHosts();
    if (visibilityChanged && this.hidden.length > 0) this.idle.schedule(() => this.recheckHidden());
    if (roots.size === 0) return;

    const dirty = outermost(roots);
    const excluded = dirty.filter((root) => isInsideExcluded(root));
    const scanRoots = dirty.filter((root) => !excluded.includes(root));
    const shadowRoots: Node[] = [];
    const scanner = new Scanner(scanRoots, {
      ...this.scanOptions,
      onShadowRoot: (root) => {
        this.observe(root);
        shadowRoots.push(root);
      },
    });
    const finish = () => {
      this.busyScanning = false;
      if (this.phase !== 'live') return;
      this.keepHidden(scanner.hidden);
      this.mutate(() => this.reconcile([...scanRoots, ...shadowRoots], excluded, scanner.found));
      if (this.summary.roots.size > 0 || this.summary.removed) this.flushChanges();
    };
    this.busyScanning = true;
    const deadline = this.now() + (this.options.syncBudgetMs ?? 40);
    if (scanner.run(() => this.now() > deadline)) {
      finish();
      return;
    }
    const step = (shouldYield: () => boolean) => {
      if (this.phase !== 'live') {
        this.busyScanning = false;
        return;
      }
      if (scanner.run(shouldYield)) finish();
      else this.idle.schedule(step);
    };
    this.idle.schedule(step);
  }

  private forgetDetachedHosts(): void {
    for (const host of this.hosts) if (!host.isConnected) this.hosts.delete(host);
  }

  // --- Placing buttons ---------------------------------------------------------------------

  private keepHidden(found: FoundNumber[]): void {
    if (found.length === 0) return;
    this.hidden = this.hidden.filter(isStillThere).concat(found).slice(-MAX_HIDDEN);
  }

  private recheckHidden(): void {
    if (this.phase !== 'live') return;
    const shown: FoundNumber[] = [];
    const still: FoundNumber[] = [];
    for (const found of this.hidden) {
      if (!isStillThere(found)) continue;
      const element = found.kind === 'tel' ? found.link : found.end.node.parentElement;
      if (element && this.scanOptions.isVisible(element)) shown.push(found);
      else still.push(found);
    }
    this.hidden = still;
    if (shown.length > 0) this.mutate(() => this.placeAll(shown, false));
  }

  /** Puts a button after each number (reusing a floating one); returns the hosts in place. */
  private placeAll(found: FoundNumber[], releaseOverlays: boolean): Set<HTMLElement> {
    const placed = new Set<HTMLElement>();
    // Last first: splitting a text node for a number leaves the earlier numbers' offsets valid,
    // so two numbers in one text node ("650-555-0142 / 650-555-0143") both get their button.
    for (let i = found.length - 1; i >= 0; i -= 1) {
      const host = this.place(found[i]!);
      if (host) placed.add(host);
    }
    if (releaseOverlays) {
      for (const byOffset of this.overlays.values()) {
        for (const host of byOffset.values()) {
          if (placed.has(host) || isHostInUse(host)) continue;
          removeHost(host);
          this.hosts.delete(host);
        }
      }
      this.overlays.clear();
    }
    return placed;
  }

  private place(found: FoundNumber): HTMLElement | undefined {
    if (!isStillThere(found) || this.ignored.has(found.ref.e164)) return undefined;
    const point = insertionPointFor(found);
    if (!point) return undefined;
    const existing = existingHostFor(found, point);
    if (existing) return existing;
    const floating = this.takeOverlay(found);
    if (floating === null) return undefined; // in use where it floats; it stays there for now
    const host = floating ?? this.prepared.get(found) ?? createHost(this.doc, { ref: found.ref, label: found.label });
    insertHost(host, point);
    this.hosts.add(host);
    return host;
  }

  private overlayOf(found: FoundNumber): HTMLElement | undefined {
    const key = found.kind === 'tel' ? found.link : found.end.node;
    return this.overlays.get(key)?.get(found.kind === 'tel' ? -1 : found.end.offset);
  }

  /** The floating button of this number, made inline-ready; null when the user is on it. */
  private takeOverlay(found: FoundNumber): HTMLElement | null | undefined {
    const key = found.kind === 'tel' ? found.link : found.end.node;
    const offset = found.kind === 'tel' ? -1 : found.end.offset;
    const byOffset = this.overlays.get(key);
    const host = byOffset?.get(offset);
    if (!host) return undefined;
    if (isHostInUse(host)) {
      // Moving it would drop the user's focus and menu. Once they are done, its block is
      // scanned again and the button goes inline.
      const container = found.kind === 'tel' ? found.link.parentNode : found.end.node.parentNode;
      host.addEventListener(
        'focusout',
        () => {
          this.win.setTimeout(() => {
            if (this.phase !== 'live' || isHostInUse(host)) return;
            this.mutate(() => {
              removeHost(host);
              this.hosts.delete(host);
            });
            if (container) this.summary.roots.add(container);
            this.flushChanges();
          }, 0);
        },
        { once: true },
      );
      return null;
    }
    byOffset!.delete(offset);
    this.overlay.release(host);
    return host;
  }

  /** After a rescan of `roots`: new numbers get buttons, buttons whose number is gone go. */
  private reconcile(roots: Node[], excluded: Node[], found: FoundNumber[]): void {
    const placed = this.placeAll(found, false);
    const stale = (host: Element) => {
      const h = host as HTMLElement;
      if (placed.has(h) || isHostInUse(h) || h.hasAttribute('data-overlay')) return;
      removeHost(h);
      this.hosts.delete(h);
    };
    for (const root of [...roots, ...excluded]) {
      if (root.nodeType === 1 || root.nodeType === 9 || root.nodeType === 11) {
        (root as ParentNode).querySelectorAll(HOST_TAG).forEach(stale);
      }
    }
  }

  /**
   * On a huge page: find the numbers from the top of the screen down to its bottom, in one short
   * task, and float their buttons over the page at once.
   */
  private decorateScreenFirst(body: Element): void {
    const start = firstVisibleElement(this.doc);
    if (!start || !body.contains(start)) return;
    const scanner = new Scanner([body], this.scanOptions, start);
    const deadline = this.now() + VISIBLE_PASS_BUDGET_MS;
    const onScreen: { found: FoundNumber; rect: DOMRect }[] = [];
    let seen = 0;
    let finished = false;
    while (!finished) {
      finished = scanner.run(() => true);
      for (; seen < scanner.found.length; seen += 1) {
        const found = scanner.found[seen]!;
        const rects = rectsOf(found);
        const where = placeOnScreen(rects, this.win);
        if (where === 'below') finished = true;
        else if (where === 'on') onScreen.push({ found, rect: rects[rects.length - 1]! });
      }
      const last = scanner.lastNode?.parentElement;
      if (last && last.getBoundingClientRect().top > this.win.innerHeight) finished = true;
      if (this.now() > deadline) finished = true;
    }
    this.options.mark?.('crm-companion:on-screen', { count: onScreen.length });
    if (onScreen.length === 0) return;
    this.mutate(() => {
      for (const { found, rect } of onScreen) {
        const element = found.kind === 'tel' ? found.link : found.end.node.parentElement!;
        const host = createHost(this.doc, { ref: found.ref, label: found.label });
        this.overlay.place(host, rect, this.win.getComputedStyle(element).fontSize);
        this.hosts.add(host);
        const key = found.kind === 'tel' ? found.link : found.end.node;
        const byOffset = this.overlays.get(key) ?? new Map<number, HTMLElement>();
        byOffset.set(found.kind === 'tel' ? -1 : found.end.offset, host);
        this.overlays.set(key, byOffset);
      }
    });
  }

  // --- The menu ----------------------------------------------------------------------------

  private openPanel(host: HTMLElement, button: HTMLButtonElement): void {
    const info = hostInfo(host);
    const root = host.shadowRoot;
    if (!info || !root || this.phase === 'stopped') return;
    if (this.panel?.isOpen) {
      const sameHost = this.panel.container.getRootNode() === root;
      this.panel.close(sameHost);
      this.panel = undefined;
      if (sameHost) return;
    }
    const panel = new Panel(root, button, () => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    const context = {
      ref: info.ref,
      label: info.label,
      host,
      panel,
      details: () => captureContactDetails(host),
      send: this.options.send,
      ignore: () => this.ignore(info.ref, info.label),
    };
    panel.show(
      createMenuView(this.doc, {
        label: accessibleName(info.label).replace(/^Call actions/, 'Actions'),
        title: info.label,
        entries: NUMBER_ACTIONS,
        onChoose: (action) => action.run(context),
      }),
    );
  }
}
