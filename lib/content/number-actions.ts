/**
 * The in-page menu's actions. Each runs inside the click that chose it. The first three send
 * their intent to the background (lib/protocol/content.ts `number/intent`) and show its answer;
 * the issues that own campaigns, Multisender and call logging change `run` to push their own
 * panel views (see lib/content/panel.ts) in place of the status line.
 */
import { describeFailure } from '../errors.ts';
import { clipboardText, type NumberRef } from '../phone/e164.ts';
import type { ContactDetails, NumberIntentAction } from '../protocol/content.ts';
import type { MenuEntry } from './action-menu.ts';
import { campaignAction } from './campaign-panel.ts';
import { clickToCallAction } from './click-to-call-panel.ts';
import type { sendFromContent } from './messages.ts';
import type { Panel } from './panel.ts';
import { createStatusView, type StatusView } from './status-view.ts';

export interface NumberActionContext {
  ref: NumberRef;
  /** The number as the page shows it. */
  label: string;
  host: HTMLElement;
  panel: Panel;
  /** Name, company, email around the number, read when called. */
  details(): ContactDetails;
  send: typeof sendFromContent;
  /** "Not a phone number": remembered for this site, buttons removed from the page. */
  ignore(): Promise<{ ok: true } | { ok: false; message: string }>;
}

export interface NumberAction extends MenuEntry {
  run(context: NumberActionContext): void;
}

function showStatus(context: NumberActionContext, title: string, message: string, state: 'busy' | 'ok' | 'error'): StatusView {
  const view = createStatusView(context.host.ownerDocument, {
    title,
    message,
    state,
    onDone: () => context.panel.close(true),
  });
  context.panel.push(view);
  return view;
}

function intent(id: NumberIntentAction, label: string): NumberAction {
  return {
    id,
    label,
    run(context) {
      const status = showStatus(context, label, 'Sending…', 'busy');
      const payload = { action: id, e164: context.ref.e164, details: context.details() };
      void context
        .send('number/intent', context.ref.extension ? { ...payload, extension: context.ref.extension } : payload)
        .then((reply) => {
          if (reply.ok) status.update(reply.value.message ?? `Sent ${context.label} to CRM Call Companion.`, 'ok');
          else status.update(describeFailure(reply.error), 'error');
        });
    },
  };
}

/** Copies through a selected textarea when the async clipboard is refused (older pages, http). */
function copyWithSelection(host: HTMLElement, text: string): boolean {
  const root = host.shadowRoot;
  if (!root) return false;
  const area = host.ownerDocument.createElement('textarea');
  area.value = text;
  area.setAttribute('aria-hidden', 'true');
  area.style.cssText = 'position:fixed;opacity:0;pointer-events:none;';
  root.append(area);
  area.select();
  let copied: boolean;
  try {
    copied = host.ownerDocument.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

const copyNumber: NumberAction = {
  id: 'copy',
  label: 'Copy number',
  run(context) {
    const text = clipboardText(context.ref);
    const report = (copied: boolean) =>
      showStatus(
        context,
        'Copy number',
        copied ? `Copied ${text}.` : 'The browser did not allow copying. Select the number on the page and copy it.',
        copied ? 'ok' : 'error',
      );
    const clipboard = globalThis.navigator?.clipboard;
    if (!clipboard) {
      report(copyWithSelection(context.host, text));
      return;
    }
    // Called synchronously inside the click: the browser requires the user's gesture.
    clipboard.writeText(text).then(
      () => report(true),
      () => report(copyWithSelection(context.host, text)),
    );
  },
};

const notANumber: NumberAction = {
  id: 'not-a-number',
  label: 'Not a phone number',
  secondary: true,
  run(context) {
    void context.ignore().then((result) => {
      if (!result.ok) showStatus(context, 'Not a phone number', result.message, 'error');
    });
  },
};

/** In menu order. */
export const NUMBER_ACTIONS: readonly NumberAction[] = [
  campaignAction,
  clickToCallAction,
  intent('log-call', 'Log a call'),
  copyNumber,
  notANumber,
];
