/**
 * Whether an event on our buttons came from the person. The shadow roots are open and sit in the
 * page's DOM, so the page's own script can reach in and call `button.click()` or dispatch keys:
 * it could open a number's menu and press "Confirm and call" or "Add to …" with the user's
 * credentials, without the user. The browser marks such events `isTrusted: false`; they are
 * ignored wherever an action would follow. (A DOM without `isTrusted`, as in unit tests, counts
 * as the person.)
 */

/** The element our own code is clicking right now (the right-click menu opening a panel). */
let ownClick: EventTarget | undefined;

/** Clicks `target` from the extension's own code, which `fromUser` lets through. */
export function clickAsExtension(target: HTMLElement): void {
  const previous = ownClick;
  ownClick = target;
  try {
    target.click();
  } finally {
    ownClick = previous;
  }
}

export function fromUser(event: Event): boolean {
  return event.isTrusted !== false || (ownClick !== undefined && event.currentTarget === ownClick);
}
