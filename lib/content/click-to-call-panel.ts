/**
 * "Click-to-call via Multisender" in the in-page menu (issue 5): a confirmation view in the
 * number's panel — the number, further numbers (optional, called in turn until one accepts),
 * each contact's local time and do-not-call screening, the voice file, the hours — then Confirm
 * and Multisender's answer, or the error with Retry. Nothing is queued: a click-to-call is
 * time-bound. Page text only ever reaches the DOM through textContent.
 *
 * Content scripts import the protocol for types only (zod and the router stay in the background).
 */
import { callOrderLabels, formatWhen } from '../click-to-call/format.ts';
import type { ConfirmationView, CreateResult, ReceiverCheck } from '../click-to-call/types.ts';
import { describeFailure } from '../errors.ts';
import type { NumberAction, NumberActionContext } from './number-actions.ts';
import { sendFromContent } from './messages.ts';
import type { PanelView } from './panel.ts';
import { fromUser } from './user-event.ts';

const send = sendFromContent;

/** crypto.randomUUID needs a secure context; CRMs on plain http get the same from random bytes. */
function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const CSS = `
/* Page text may be one very long word: it wraps anywhere instead of widening the panel. */
.ctc { display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px; padding: 0 8px 6px; width: 316px; max-width: calc(100vw - 40px); box-sizing: border-box; overflow-wrap: anywhere; }
.ctc p { margin: 0; }
.ctc .who { color: #52606d; font-size: 12.5px; }
.ctc ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.ctc .number { font-weight: 600; font-variant-numeric: tabular-nums; }
.ctc .order { color: #52606d; font-weight: 400; }
.ctc .line { font-size: 12.5px; color: #52606d; }
.ctc .line.warn { color: #8a4b00; font-weight: 600; }
.ctc .line.bad { color: #9b1c1c; font-weight: 600; }
.ctc .line.good { color: #1a6b34; }
.ctc label { display: block; font-weight: 600; font-size: 12.5px; margin-bottom: 3px; }
.ctc .override { display: flex; gap: 6px; align-items: flex-start; font-weight: 400; }
.ctc textarea { box-sizing: border-box; width: 100%; font: inherit; font-size: 13px; padding: 5px 7px; border: 1px solid #9fb3c8; border-radius: 6px; resize: vertical; color: #1f2933; background: #fff; }
.ctc textarea:focus-visible, .ctc input:focus-visible { outline: 2px solid #1a66d2; outline-offset: 1px; }
.ctc dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 10px; margin: 0; font-size: 13px; }
.ctc dt { color: #52606d; }
.ctc dd { margin: 0; overflow-wrap: anywhere; }
.ctc ul { margin: 2px 0 0; padding-left: 18px; }
.ctc .status { padding: 0; }
.ctc .status:empty { display: none; }
.ctc .status[data-state="ok"] { color: #1a6b34; font-weight: 600; }
.ctc .status[data-state="error"] { color: #9b1c1c; font-weight: 600; }
.ctc .actions { padding: 0; gap: 6px; flex-wrap: wrap; }
.ctc .action.primary { background: #1a66d2; border-color: #1a66d2; color: #fff; font-weight: 600; }
.ctc .action.primary:hover { background: #174f9e; }
.ctc .action[disabled] { opacity: 0.55; cursor: default; }
.ctc .further-row { display: flex; gap: 6px; align-items: flex-start; }
.ctc .further-row textarea { flex: 1; }
`;

type State =
  | { kind: 'loading' }
  | { kind: 'unavailable'; sentence: string }
  | { kind: 'confirm'; view: ConfirmationView; result?: CreateResult }
  | { kind: 'placing'; view: ConfirmationView };

export interface ClickToCallPanelOptions {
  /** E.164 and its extension, as the page's button knows it. */
  e164: string;
  extension?: string;
  /** The number as the page shows it. */
  label: string;
  /** "Alex Rivera, Acme": who the number belongs to, from the page around it. */
  who?: string;
  onClose: () => void;
}

/** The confirmation as a panel view (lib/content/panel.ts). */
export function createClickToCallView(doc: Document, options: ClickToCallPanelOptions): PanelView {
  const element = doc.createElement('div');
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', `Click-to-call ${options.label} via Multisender`);
  const style = doc.createElement('style');
  style.textContent = CSS;
  const title = doc.createElement('p');
  title.className = 'title';
  title.textContent = 'Click-to-call via Multisender';
  const body = doc.createElement('div');
  body.className = 'ctc';
  element.append(style, title, body);

  const primary = options.extension ? `${options.e164} ext. ${options.extension}` : options.e164;
  let state: State = { kind: 'loading' };
  let further = '';
  /** The further numbers the confirmation shows; typed ones must be checked before Confirm. */
  let checkedFurther = '';
  let requestId = newRequestId();
  const override = new Set<string>();
  let focusTarget: HTMLElement | undefined;

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const button = (text: string, onClick: () => void, primaryStyle = false) => {
    const node = el('button', primaryStyle ? 'action primary' : 'action', text);
    node.type = 'button';
    node.addEventListener('click', (event) => {
      event.preventDefault();
      // "Confirm and call" is the person's decision, never the page script's (lib/content/user-event.ts).
      if (fromUser(event)) onClick();
    });
    return node;
  };

  /** Re-renders and moves focus where the new state wants it (the old controls are gone). */
  const update = (next: State) => {
    state = next;
    render();
    focusTarget?.focus();
  };

  const prepare = async (fromFurther = false) => {
    checkedFurther = further;
    const numbers = [
      primary,
      ...further
        .split(/[\n;,]+/)
        .map((n) => n.trim())
        .filter(Boolean),
    ];
    const reply = await send('click-to-call/prepare', { numbers });
    requestId = newRequestId();
    update(
      reply.ok
        ? { kind: 'confirm', view: reply.value }
        : { kind: 'unavailable', sentence: describeFailure(reply.error) },
    );
    // Adding numbers keeps the user where they were typing.
    if (fromFurther) body.querySelector<HTMLTextAreaElement>('textarea')?.focus();
  };

  const place = async (view: ConfirmationView) => {
    update({ kind: 'placing', view });
    const receivers = view.receivers.flatMap((r) => (r.e164 && !r.error ? [r.e164] : []));
    const reply = await send('click-to-call/create', {
      receivers,
      requestId,
      overrideDoNotCall: [...override],
      source: 'page',
    });
    const result: CreateResult = reply.ok
      ? reply.value
      : { ok: false, reason: 'failed', sentence: describeFailure(reply.error), mayHaveReached: false };
    update({ kind: 'confirm', view, result });
  };

  function receiverItem(receiver: ReceiverCheck, order: string | undefined, done: boolean): HTMLLIElement {
    const item = el('li');
    const number = el('p', 'number', receiver.display ?? receiver.input);
    if (order) number.append(el('span', 'order', ` · ${order}`));
    item.append(number);
    if (receiver.error) item.append(el('p', 'line bad', `${receiver.error} It is left out.`));
    if (receiver.note) item.append(el('p', 'line', receiver.note));
    if (receiver.localTime) {
      item.append(el('p', receiver.localTime.outsideHours ? 'line warn' : 'line', receiver.localTime.text));
    }
    if (receiver.screening?.blocked) {
      item.append(el('p', 'line bad', `On a do-not-call list: ${receiver.screening.reasons.join('; ')}.`));
      if (!done && receiver.e164) {
        const e164 = receiver.e164;
        const label = el('label', 'override');
        const box = el('input');
        box.type = 'checkbox';
        box.checked = override.has(e164);
        // Only the person may override do-not-call. The change event that follows a page
        // script's click is the browser's own (trusted), so the click itself is refused.
        box.addEventListener('click', (event) => {
          if (!fromUser(event)) event.preventDefault();
        });
        box.addEventListener('change', () => {
          if (box.checked) override.add(e164);
          else override.delete(e164);
          // Confirm depends on it: re-render, and keep the focus on this box.
          render();
          [...body.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')]
            .find((b) => b.dataset.e164 === e164)
            ?.focus();
        });
        box.dataset.e164 = e164;
        label.append(box, doc.createTextNode(`Call ${receiver.display ?? e164} anyway: I have their consent`));
        item.append(label);
      }
    } else if (receiver.screening) {
      item.append(el('p', 'line good', 'Not on any do-not-call list.'));
    }
    return item;
  }

  let syncConfirm = () => {};

  function render(): void {
    body.replaceChildren();
    syncConfirm = () => {};
    focusTarget = undefined;
    if (options.who) body.append(el('p', 'who', options.who));

    if (state.kind === 'loading') {
      const status = el('p', 'status', 'Checking the number…');
      status.setAttribute('role', 'status');
      status.dataset.state = 'busy';
      const cancel = button('Cancel', options.onClose);
      const actions = el('div', 'actions');
      actions.append(cancel);
      body.append(status, actions);
      focusTarget = cancel;
      return;
    }
    if (state.kind === 'unavailable') {
      const status = el('p', 'status', state.sentence);
      status.setAttribute('role', 'alert');
      status.dataset.state = 'error';
      const actions = el('div', 'actions');
      const retry = button(
        'Retry',
        () => {
          update({ kind: 'loading' });
          void prepare();
        },
        true,
      );
      actions.append(retry, button('Close', options.onClose));
      body.append(status, actions);
      focusTarget = retry;
      return;
    }

    const { view } = state;
    const result = state.kind === 'confirm' ? state.result : undefined;
    const placing = state.kind === 'placing';
    const placed = result?.ok === true;

    const list = el('ol');
    list.setAttribute('aria-label', 'Numbers, in the order Multisender calls them');
    const order = callOrderLabels(view.receivers);
    view.receivers.forEach((receiver, index) =>
      list.append(receiverItem(receiver, order[index], placed)),
    );
    body.append(list);

    if (!placed) {
      const wrap = el('div');
      const label = el('label', undefined, 'Further numbers, in order (optional)');
      label.htmlFor = 'ctc-further';
      const row = el('div', 'further-row');
      const area = el('textarea');
      area.id = 'ctc-further';
      area.rows = 2;
      area.value = further;
      area.placeholder = 'One per line';
      const check = button('Update list', () => {
        void prepare(true);
      });
      const stale = el('p', 'line warn', 'Press Update list to check the numbers you typed before calling.');
      stale.id = 'ctc-further-stale';
      stale.hidden = further === checkedFurther;
      area.addEventListener('input', () => {
        further = area.value;
        // Only the checked numbers are ever sent: Confirm waits until the list shows these.
        stale.hidden = further === checkedFurther;
        syncConfirm();
      });
      row.append(area, check);
      wrap.append(label, row, stale);
      body.append(wrap);
    }

    const facts = el('dl');
    const fact = (term: string, value: string) => facts.append(el('dt', undefined, term), el('dd', undefined, value));
    fact('Voice file', view.voiceFile.name || 'None chosen');
    fact('Hours', `${view.hours}, ${view.weekdays}`);
    fact('Keys', `${view.acceptKey} accepts · ${view.declineKey} declines`);
    fact('Expires', formatWhen(view.expiresAt));
    body.append(facts);

    const settingsProblems = Object.values(view.settingsErrors);
    if (view.setupProblem) {
      const problem = el('p', 'status', view.setupProblem);
      problem.dataset.state = 'error';
      problem.setAttribute('role', 'alert');
      body.append(problem);
    }
    if (settingsProblems.length > 0) {
      const problem = el('div', 'status', 'Fix the Multisender defaults in options first:');
      problem.dataset.state = 'error';
      problem.setAttribute('role', 'alert');
      const items = el('ul');
      for (const message of settingsProblems) items.append(el('li', undefined, message));
      problem.append(items);
      body.append(problem);
    }
    if (!view.screened) body.append(el('p', 'line', 'Do-not-call screening is not available.'));

    const status = el('p', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    if (placing) {
      status.textContent = 'Placing the click-to-call…';
      status.dataset.state = 'busy';
    } else if (result?.ok) {
      const phone = result.call.receivers[0]?.phone ?? options.e164;
      const who = view.receivers.find((r) => r.e164 === phone)?.display ?? phone;
      const when = `during its active hours (${view.hours}, ${view.weekdays})`;
      status.textContent = result.adopted
        ? `Multisender had already placed it, so nothing was sent twice. It will call ${who} ${when}. Follow it in the extension's Activity tab.`
        : `Placed: Multisender will call ${who} ${when}. Follow it in the extension's Activity tab.`;
      status.dataset.state = 'ok';
    } else if (result) {
      status.textContent = result.sentence;
      status.dataset.state = 'error';
      status.setAttribute('role', 'alert');
    }
    body.append(status);

    const actions = el('div', 'actions');
    if (placed) {
      const done = button('Done', options.onClose, true);
      actions.append(done);
      focusTarget = done;
    } else {
      const callable = view.receivers.filter((r) => r.e164 && !r.error);
      const blockedLeft = callable.some((r) => r.screening?.blocked && !override.has(r.e164!));
      const ready = callable.length > 0 && settingsProblems.length === 0 && !view.setupProblem && !blockedLeft;
      const confirmLabel = result && !result.ok && result.reason === 'failed' ? 'Retry' : 'Confirm and call';
      const confirm = button(placing ? 'Placing…' : confirmLabel, () => void place(view), true);
      syncConfirm = () => {
        confirm.disabled = placing || !ready || further !== checkedFurther;
      };
      syncConfirm();
      actions.append(confirm);
      if (settingsProblems.length > 0 || view.setupProblem || result?.reason === 'settings') {
        actions.append(button('Open options', () => void send('click-to-call/open-options', {})));
      }
      const cancel = button('Cancel', options.onClose);
      cancel.disabled = placing;
      actions.append(cancel);
      // Reading first: after loading, focus goes to the title, never straight to Confirm. After a
      // failure, Retry is where the user is.
      focusTarget = !placing && result && !confirm.disabled ? confirm : title;
    }
    body.append(actions);
  }

  // The panel closes on Tab (a menu is left with Tab); this view is a small form, so Tab moves
  // between its controls and wraps around instead.
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    event.stopPropagation();
    const controls = [...element.querySelectorAll<HTMLElement>('button, input, textarea')].filter(
      (node) => !(node as HTMLButtonElement).disabled,
    );
    if (controls.length === 0) return;
    const root = element.getRootNode() as ShadowRoot;
    const index = controls.indexOf(root.activeElement as HTMLElement);
    const next = event.shiftKey ? (index <= 0 ? controls.length - 1 : index - 1) : (index + 1) % controls.length;
    event.preventDefault();
    controls[next]!.focus();
  });

  title.tabIndex = -1;
  render();
  void prepare();
  return {
    element,
    focus: () => (focusTarget ?? title).focus(),
  };
}

function whoOf(context: NumberActionContext): string | undefined {
  const details = context.details();
  const name = details.full_name ?? [details.first_name, details.last_name].filter(Boolean).join(' ');
  const parts = [name, details.company].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The menu entry: pushes the confirmation onto the number's panel. */
export const clickToCallAction: NumberAction = {
  id: 'click-to-call',
  label: 'Click-to-call via Multisender',
  run(context) {
    context.panel.push(
      createClickToCallView(context.host.ownerDocument, {
        e164: context.ref.e164,
        extension: context.ref.extension,
        label: context.label,
        who: whoOf(context),
        onClose: () => context.panel.close(true),
      }),
    );
  },
};
