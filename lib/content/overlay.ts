/**
 * Buttons that float over a huge page at the numbers' positions while the rest is scanned: put
 * in an absolutely positioned layer outside the page's flow, they cost no relayout of a 10,000-row
 * table, so the numbers on screen are usable at once (DESIGN.md "Where it must be strong"). They
 * move inline, with all the others, in one batch.
 */
import { LAYER_TAG } from './page-rules.ts';

export class OverlayLayer {
  private layer: HTMLElement | undefined;

  constructor(private readonly doc: Document) {}

  /** Shows `host` at the end of the number whose last box is `rect` (viewport coordinates). */
  place(host: HTMLElement, rect: DOMRect, fontSize: string): void {
    const win = this.doc.defaultView!;
    if (!this.layer) {
      this.layer = this.doc.createElement(LAYER_TAG);
      const layout: [string, string][] = [
        ['position', 'absolute'],
        ['left', '0'],
        ['top', '0'],
        ['width', '0'],
        ['height', '0'],
        ['overflow', 'visible'],
        ['display', 'block'],
      ];
      for (const [name, value] of layout) this.layer.style.setProperty(name, value, 'important');
      this.doc.documentElement.append(this.layer);
    }
    const size = parseFloat(fontSize) || 14;
    // Where the inline host will be: a quarter em after the text, its bottom on the bottom of
    // the text (vertical-align: text-bottom; a text range's box is the text's content area).
    const x = rect.right + win.scrollX + size * 0.25;
    const y = rect.bottom + win.scrollY - size;
    host.setAttribute('data-overlay', '');
    host.style.setProperty('--crm-x', `${Math.round(x)}px`);
    host.style.setProperty('--crm-y', `${Math.round(y)}px`);
    host.style.setProperty('--crm-font-size', `${size}px`);
    this.layer.append(host);
  }

  /** Makes `host` an ordinary inline host again (the caller moves it). */
  release(host: HTMLElement): void {
    host.removeAttribute('data-overlay');
    host.removeAttribute('style');
  }

  remove(): void {
    this.layer?.remove();
    this.layer = undefined;
  }
}
