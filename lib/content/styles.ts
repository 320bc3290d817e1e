/**
 * The styles of everything the content script puts in a page, all inside shadow roots. `:host`
 * rules are !important because, across shadow boundaries, the inner !important wins: no page
 * rule can restyle the button, and `all: initial` stops inherited page styles at the host. One
 * stylesheet object is shared by every root (10,000 buttons, one parse).
 */

export const HOST_CSS = `
:host {
  all: initial !important;
  display: inline-block !important;
  position: relative !important;
  font-size: inherit !important;
  line-height: 1 !important;
  /* One em tall, sitting on the bottom of the text: never taller than the line it joins, so
     the page's line and row heights stay as they were. The button overflows it evenly. */
  width: 1.3em !important;
  height: 1em !important;
  margin: 0 0 0 0.25em !important;
  vertical-align: text-bottom !important;
  user-select: none !important;
  -webkit-user-select: none !important;
  color-scheme: light !important;
}
/* While a huge page is scanned, the buttons on screen float over it (no relayout); they move
   inline with the rest in one batch. */
:host([data-overlay]) {
  position: absolute !important;
  left: var(--crm-x) !important;
  top: var(--crm-y) !important;
  font-size: var(--crm-font-size) !important;
  margin: 0 !important;
  z-index: 2147483646 !important;
}
.button {
  all: unset;
  box-sizing: border-box;
  position: absolute;
  left: 0;
  top: -0.22em;
  display: flex;
  align-items: center;
  justify-content: center;
  width: 1.3em;
  height: 1.3em;
  border-radius: 0.3em;
  color: #3e6ea8;
  background: transparent;
  cursor: pointer;
}
.button:hover { color: #174a8b; background: #e6eefa; }
.button[aria-expanded="true"] { color: #174a8b; background: #dbe6f7; }
.button:focus-visible { outline: 2px solid #1a66d2; outline-offset: 1px; background: #e6eefa; }
.button svg { width: 0.9em; height: 0.9em; fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; stroke-linejoin: round; pointer-events: none; }

.panel {
  position: fixed;
  inset: auto;
  margin: 0;
  box-sizing: border-box;
  min-width: 232px;
  max-width: min(340px, calc(100vw - 16px));
  padding: 4px;
  border: 1px solid #c5cfdb;
  border-radius: 8px;
  background: #ffffff;
  color: #1f2933;
  box-shadow: 0 10px 28px rgba(16, 30, 54, 0.18), 0 2px 6px rgba(16, 30, 54, 0.08);
  font: 400 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  text-align: start;
  overflow: visible;
  z-index: 2147483647;
}
.panel:not([popover]) { display: none; }
.panel[data-open]:not([popover]) { display: block; }
.title {
  margin: 0;
  padding: 6px 10px 6px;
  font-size: 12px;
  font-weight: 600;
  letter-spacing: 0.02em;
  color: #52606d;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.menu { display: flex; flex-direction: column; gap: 1px; }
.item {
  all: unset;
  box-sizing: border-box;
  display: block;
  width: 100%;
  padding: 7px 10px;
  border-radius: 5px;
  color: #1f2933;
  cursor: pointer;
  white-space: nowrap;
}
.item:hover { background: #eef3fa; }
.item:focus { background: #e1ebf8; color: #0f2f5c; }
.item:focus-visible { outline: 2px solid #1a66d2; outline-offset: -2px; }
.separator { height: 1px; margin: 4px 6px; background: #e4e7eb; }
.item.quiet { color: #52606d; }
.status { margin: 0; padding: 6px 10px 6px; white-space: normal; max-width: 300px; }
.status[data-state="error"] { color: #9b1c1c; }
.actions { display: flex; justify-content: flex-end; padding: 4px 6px 4px; }
.action {
  all: unset;
  box-sizing: border-box;
  padding: 5px 12px;
  border: 1px solid #9fb3c8;
  border-radius: 6px;
  background: #ffffff;
  color: #1f2933;
  cursor: pointer;
}
.action:hover { background: #f0f4f8; }
.action:focus-visible { outline: 2px solid #1a66d2; outline-offset: 1px; }
`;

export const ANNOUNCER_CSS = `
:host {
  all: initial !important;
  position: fixed !important;
  width: 1px !important;
  height: 1px !important;
  overflow: hidden !important;
  clip-path: inset(50%) !important;
  white-space: nowrap !important;
}
`;

const sheets = new Map<string, CSSStyleSheet | null>();

/**
 * Gives a shadow root its styles: the shared constructed sheet where the browser lets a content
 * script adopt it, else a <style> element (Firefox's content-script wrappers may refuse).
 */
export function applyStyles(root: ShadowRoot, css: string): void {
  let sheet = sheets.get(css);
  if (sheet === undefined) {
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    } catch {
      sheet = null;
    }
    sheets.set(css, sheet);
  }
  if (sheet) {
    try {
      root.adoptedStyleSheets = [sheet];
      return;
    } catch {
      sheets.set(css, null);
    }
  }
  const style = root.ownerDocument.createElement('style');
  style.textContent = css;
  root.append(style);
}
