/**
 * The panel a number's button opens, inside the button's own shadow root: a small stack of
 * views. The action menu is the first view; an action may push another (a status line today; a
 * campaign picker with a filter box, a confirmation… in later issues) and Escape goes back one
 * view, then closes and returns focus to the button. The panel sits in the top layer (popover)
 * so no page overflow or z-index hides it.
 */

export interface PanelView {
  /** The view's root element; the panel shows one view at a time. */
  readonly element: HTMLElement;
  /** Moves focus into the view (its first control). */
  focus(): void;
  /** Escape in this view: return true when the view handled it (e.g. cleared a filter box). */
  onEscape?(): boolean;
  /** Called when the view leaves the stack for good. */
  dispose?(): void;
}

const GAP = 4;
const MARGIN = 8;

/** Events that must not reach the page's own handlers (grid keyboard navigation, row clicks). */
const CONTAINED_EVENTS = ['keydown', 'keyup', 'keypress', 'click', 'dblclick', 'input', 'change', 'wheel'] as const;

export class Panel {
  readonly container: HTMLDivElement;
  private readonly stack: PanelView[] = [];
  private open = false;
  private frame = 0;
  private readonly onOutside = (event: Event) => {
    if (!event.composedPath().includes(this.root.host)) this.close(false);
  };
  private readonly onReposition = () => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.open) this.position();
    });
  };
  /**
   * A view grows after it is placed (a list read from the background, a choice that shows more
   * fields, long page text wrapping): it is placed again, or its foot would leave the screen.
   */
  private readonly resizes =
    typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.onReposition()) : undefined;

  constructor(
    private readonly root: ShadowRoot,
    private readonly anchor: HTMLElement,
    private readonly onClosed: () => void = () => undefined,
  ) {
    const doc = root.ownerDocument;
    this.container = doc.createElement('div');
    this.container.className = 'panel';
    if (typeof this.container.showPopover === 'function') this.container.setAttribute('popover', 'manual');
    this.container.addEventListener('keydown', (event) => this.onKeydown(event));
    for (const type of CONTAINED_EVENTS) this.container.addEventListener(type, (event) => event.stopPropagation());
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** The view on top, if any. */
  get current(): PanelView | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Opens the panel next to its button with `view` as the only view. */
  show(view: PanelView): void {
    if (this.open) this.clear();
    this.open = true;
    this.root.append(this.container);
    if (this.container.hasAttribute('popover')) this.container.showPopover();
    else this.container.setAttribute('data-open', '');
    this.anchor.setAttribute('aria-expanded', 'true');
    const doc = this.root.ownerDocument;
    doc.addEventListener('pointerdown', this.onOutside, true);
    doc.defaultView?.addEventListener('scroll', this.onReposition, { capture: true, passive: true });
    doc.defaultView?.addEventListener('resize', this.onReposition, { passive: true });
    this.resizes?.observe(this.container);
    this.push(view);
  }

  /** Shows `view` on top of the current one. */
  push(view: PanelView): void {
    const previous = this.current;
    this.stack.push(view);
    this.container.append(view.element);
    view.focus();
    previous?.element.remove();
    this.position();
  }

  /** Back to the previous view; closes the panel when there is none. */
  pop(): void {
    if (this.stack.length <= 1) {
      this.close(true);
      return;
    }
    const top = this.stack.pop()!;
    const previous = this.current!;
    this.container.append(previous.element);
    previous.focus();
    top.element.remove();
    top.dispose?.();
    this.position();
  }

  /** Closes the panel; focus goes back to the button unless the user moved it elsewhere. */
  close(restoreFocus: boolean): void {
    if (!this.open) return;
    this.open = false;
    if (restoreFocus) this.anchor.focus();
    this.clear();
    if (this.container.hasAttribute('popover')) {
      try {
        this.container.hidePopover();
      } catch {
        // Already hidden (its host was removed from the page).
      }
    }
    this.container.removeAttribute('data-open');
    this.container.remove();
    this.anchor.setAttribute('aria-expanded', 'false');
    const doc = this.root.ownerDocument;
    doc.removeEventListener('pointerdown', this.onOutside, true);
    doc.defaultView?.removeEventListener('scroll', this.onReposition, { capture: true });
    doc.defaultView?.removeEventListener('resize', this.onReposition);
    this.resizes?.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.onClosed();
  }

  private clear(): void {
    for (const view of this.stack.splice(0)) {
      view.element.remove();
      view.dispose?.();
    }
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!this.current?.onEscape?.()) this.pop();
    } else if (event.key === 'Tab') {
      // A menu is left with Escape or Tab; either way focus goes back to its button.
      event.preventDefault();
      this.close(true);
    }
  }

  /**
   * Below the button, or above it when there is no room; kept inside the viewport (over the
   * button, when it fits on neither side). Called again whenever the panel changes size.
   */
  position(): void {
    const view = this.root.ownerDocument.defaultView;
    if (!view) return;
    const anchor = this.anchor.getBoundingClientRect();
    const width = this.container.offsetWidth;
    const height = this.container.offsetHeight;
    const left = Math.max(MARGIN, Math.min(anchor.left, view.innerWidth - width - MARGIN));
    let top = anchor.bottom + GAP;
    if (top + height > view.innerHeight - MARGIN && anchor.top - GAP - height >= MARGIN) top = anchor.top - GAP - height;
    // Neither side has room: its foot stays on screen (it scrolls within itself), over the
    // button. A button scrolled out of sight takes its panel with it, as before.
    if (anchor.bottom > 0 && anchor.top < view.innerHeight) {
      top = Math.max(MARGIN, Math.min(top, view.innerHeight - height - MARGIN));
    }
    this.container.style.left = `${Math.round(left)}px`;
    this.container.style.top = `${Math.round(top)}px`;
  }
}
