/**
 * "Add to campaign…" in the in-page menu (issue 4): a view in the number's panel with the
 * campaigns grouped by service (a filter box when there are many), the contact details around
 * the number, editable, for the fields the chosen service receives, do-not-call screening with a
 * deliberate one-number override, the contact's local time against calling hours, then the
 * outcome in words. Page text only ever reaches the DOM through textContent and input values.
 *
 * Content scripts import the protocol for types only (zod and the router stay in the background).
 */
import { describeFailure } from '../errors.ts';
import type {
  CampaignAddResult,
  CampaignListView,
  ContactField,
  ContactInput,
  NumberCheckView,
  ServiceCampaignsView,
} from '../protocol/campaigns.ts';
import type { ContactDetails } from '../protocol/content.ts';
import type { CampaignServiceId } from '../services.ts';
import { clipDetail, CONTACT_FIELD_MAX } from '../campaigns/contact.ts';
import { withNameParts } from './contact-details.ts';
import type { NumberAction } from './number-actions.ts';
import { sendFromContent } from './messages.ts';
import type { PanelView } from './panel.ts';
import { fromUser } from './user-event.ts';

const send = sendFromContent;

/** More campaigns than this in all: a filter box is shown above them. */
const FILTER_FROM = 6;

const FIELD_LABELS: Record<ContactField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  company: 'Company',
  email: 'Email',
};

const PANEL_CSS = `
/* Page and service text may be one very long word: it wraps anywhere instead of widening the panel. */
.cmp { display: grid; grid-template-columns: minmax(0, 1fr); gap: 6px; padding: 0 8px 6px; width: 320px; max-width: calc(100vw - 40px); box-sizing: border-box;
  max-height: calc(100vh - 60px); overflow-y: auto; overflow-x: hidden; overscroll-behavior: contain; overflow-wrap: anywhere; }
.cmp-body { display: grid; grid-template-columns: minmax(0, 1fr); gap: 8px; min-width: 0; }
.cmp p { margin: 0; }
.cmp .number { font-weight: 600; font-variant-numeric: tabular-nums; }
.cmp .who { color: #52606d; font-size: 12.5px; }
.cmp .line { font-size: 12.5px; color: #52606d; }
.cmp .line.warn { color: #8a4b00; font-weight: 600; }
.cmp .line.bad { color: #9b1c1c; font-weight: 600; }
.cmp .line.good { color: #1a6b34; }
.cmp .override { display: flex; gap: 6px; align-items: flex-start; font-size: 12.5px; font-weight: 400; }
.cmp label.field { display: grid; gap: 2px; font-size: 12.5px; font-weight: 600; }
.cmp input[type="text"], .cmp input[type="search"], .cmp input[type="email"] {
  box-sizing: border-box; width: 100%; font: inherit; font-size: 13px; font-weight: 400; padding: 4px 7px;
  border: 1px solid #9fb3c8; border-radius: 6px; color: #1f2933; background: #fff;
}
.cmp input:focus-visible, .cmp .choices:focus-visible { outline: 2px solid #1a66d2; outline-offset: 1px; }
.cmp .choices { max-height: 168px; overflow: auto; border: 1px solid #d9e2ec; border-radius: 6px; padding: 2px 6px 4px; }
.cmp fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.cmp legend { padding: 6px 0 2px; font-size: 12px; font-weight: 700; color: #334e68; letter-spacing: 0.02em; }
.cmp .choice { display: flex; gap: 6px; align-items: baseline; padding: 3px 2px; border-radius: 4px; cursor: pointer; }
.cmp .choice:hover { background: #eef3fa; }
.cmp .choice .state { color: #627d98; font-size: 12px; }
.cmp .choice[hidden], .cmp fieldset[hidden] { display: none; }
.cmp .details { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 8px; }
.cmp .details legend { grid-column: 1 / -1; }
.cmp .details .note { grid-column: 1 / -1; font-size: 12px; color: #52606d; }
.cmp .row { display: flex; gap: 8px; justify-content: flex-end; }
.cmp .primary { background: #1a66d2 !important; border-color: #1a66d2 !important; color: #fff !important; }
.cmp .action[disabled] { opacity: 0.55; cursor: default; }
.cmp .outcome { font-size: 13.5px; }
.cmp .outcome[data-state="bad"] { color: #9b1c1c; }
.cmp .outcome[data-state="warn"] { color: #8a4b00; }
.cmp .outcome[data-state="good"] { color: #1a6b34; }
`;

export interface CampaignViewOptions {
  e164: string;
  extension?: string;
  /** The number as the page shows it. */
  label: string;
  /** Read from the page around the number; edited by the user before sending. */
  details: ContactDetails;
  /** A campaign chosen already (the right-click menu): checked when the view opens. */
  preselect?: { service: CampaignServiceId; campaignId?: string };
  /** Closes the panel. */
  onDone(): void;
  /** Goes back to the menu, when there is one. */
  onBack?(): void;
  /** The view changed size (its content arrived): fit it to the room there is and place the panel again. */
  onLayout?(element: HTMLElement): void;
}

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; sentence: string }
  | { kind: 'ready' }
  | { kind: 'sending' }
  | { kind: 'done'; result: CampaignAddResult };

const OUTCOME_STATE: Record<CampaignAddResult['status'], 'good' | 'warn' | 'bad'> = {
  added: 'good',
  duplicate: 'warn',
  queued: 'warn',
  'do-not-call': 'bad',
  blocked: 'bad',
  failed: 'bad',
};

/** The view (lib/content/panel.ts) that adds one number to a campaign. */
export function createCampaignView(doc: Document, options: CampaignViewOptions): PanelView {
  const element = doc.createElement('div');
  element.className = 'cmp';
  element.setAttribute('role', 'group');
  const style = doc.createElement('style');
  style.textContent = PANEL_CSS;
  const title = doc.createElement('p');
  title.className = 'title';
  title.tabIndex = -1;
  title.textContent = 'Add to campaign';
  const body = doc.createElement('div');
  body.className = 'cmp-body';
  element.append(style, title, body);
  element.setAttribute('aria-label', `Add ${options.label} to a campaign`);

  const named = withNameParts(options.details);
  // Cut to what a service takes, so long page text still makes a valid add.
  const contact: Record<ContactField, string> = {
    firstName: clipDetail(named.first_name ?? '', CONTACT_FIELD_MAX.firstName),
    lastName: clipDetail(named.last_name ?? '', CONTACT_FIELD_MAX.lastName),
    company: clipDetail(named.company ?? '', CONTACT_FIELD_MAX.company),
    email: clipDetail(named.email ?? '', CONTACT_FIELD_MAX.email),
  };
  let state: State = { kind: 'loading' };
  let list: CampaignListView | undefined;
  let check: NumberCheckView | undefined;
  let chosen: { service: CampaignServiceId; campaignId: string } | undefined;
  let override = false;
  let filter = '';
  let focusTarget: HTMLElement | undefined;

  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const button = (text: string, onClick: () => void, primary = false): HTMLButtonElement => {
    const node = el('button', primary ? 'action primary' : 'action', text);
    node.type = 'button';
    node.addEventListener('click', (event) => {
      event.preventDefault();
      // "Add to …" is the person's decision, never the page script's (lib/content/user-event.ts).
      if (fromUser(event)) onClick();
    });
    return node;
  };

  const serviceOf = (id: CampaignServiceId | undefined): ServiceCampaignsView | undefined =>
    list?.services.find((s) => s.service === id);
  const campaignOf = () => serviceOf(chosen?.service)?.campaigns.find((c) => c.id === chosen?.campaignId);

  function setState(next: State): void {
    state = next;
    render();
    options.onLayout?.(element);
    focusTarget?.focus();
  }

  async function load(): Promise<void> {
    const [campaigns, screened] = await Promise.all([
      send('campaigns/list', {}),
      send(
        'campaigns/check',
        options.extension ? { e164: options.e164, extension: options.extension } : { e164: options.e164 },
      ),
    ]);
    if (!campaigns.ok) return setState({ kind: 'failed', sentence: describeFailure(campaigns.error) });
    if (!screened.ok) return setState({ kind: 'failed', sentence: describeFailure(screened.error) });
    list = campaigns.value;
    check = screened.value;
    const pre = options.preselect;
    const preService = serviceOf(pre?.service);
    if (pre?.campaignId && preService?.campaigns.some((c) => c.id === pre.campaignId)) {
      chosen = { service: pre.service, campaignId: pre.campaignId };
    }
    setState({ kind: 'ready' });
  }

  async function add(): Promise<void> {
    if (!chosen) return;
    const accepts = serviceOf(chosen.service)?.accepts.fields ?? [];
    const payload: ContactInput = { e164: options.e164 };
    if (options.extension) payload.extension = options.extension;
    for (const field of accepts) {
      const value = clipDetail(contact[field], CONTACT_FIELD_MAX[field]);
      if (value) payload[field] = value;
    }
    setState({ kind: 'sending' });
    const reply = await send('campaigns/add', {
      service: chosen.service,
      campaignId: chosen.campaignId,
      contact: payload,
      overrideDoNotCall: check?.blocked === true && override,
    });
    setState({
      kind: 'done',
      result: reply.ok ? reply.value : { status: 'failed', title: 'Not added', sentence: describeFailure(reply.error) },
    });
  }

  function header(): HTMLElement[] {
    const number = el('p', 'number', check?.display ?? options.label);
    const who = [[contact.firstName, contact.lastName].filter(Boolean).join(' '), contact.company]
      .filter(Boolean)
      .join(', ');
    return who ? [number, el('p', 'who', who)] : [number];
  }

  function checks(): HTMLElement[] {
    if (!check) return [];
    const lines: HTMLElement[] = [];
    if (check.blocked) {
      const blocked = el('p', 'line bad', check.blockSentence ?? 'This number is on the do-not-call list.');
      blocked.setAttribute('role', 'alert');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = override;
      box.id = 'cmp-override';
      // Only the person may override do-not-call. The change event that follows a page
      // script's click is the browser's own (trusted), so the click itself is refused.
      box.addEventListener('click', (event) => {
        if (!fromUser(event)) event.preventDefault();
      });
      box.addEventListener('change', () => {
        override = box.checked;
        render();
        element.querySelector<HTMLInputElement>('#cmp-override')?.focus();
      });
      const label = el('label', 'override');
      label.append(box, doc.createTextNode('Add this number anyway: I have checked that this person may be called.'));
      lines.push(blocked, label);
    }
    const hours = check.localTime;
    const kind = hours.mayBeOutside ? 'line warn' : hours.withinHours === true ? 'line good' : 'line';
    lines.push(el('p', kind, hours.label));
    return lines;
  }

  function choices(): HTMLElement[] {
    if (!list) return [];
    if (list.noneConfigured) {
      return [
        el(
          'p',
          'line',
          'No campaign service is set up. Add Upcall, SIP Caller or Call-Em-All in the extension’s options.',
        ),
      ];
    }
    const total = list.services.reduce((n, s) => n + s.campaigns.length, 0);
    const out: HTMLElement[] = [];
    if (total > FILTER_FROM) {
      const label = el('label', 'field', 'Filter campaigns');
      const input = el('input');
      input.type = 'search';
      input.value = filter;
      input.autocomplete = 'off';
      input.addEventListener('input', () => {
        filter = input.value;
        applyFilter();
      });
      label.append(input);
      out.push(label);
    }
    const box = el('div', 'choices');
    box.setAttribute('role', 'radiogroup');
    box.setAttribute('aria-label', 'Campaigns');
    for (const service of list.services) {
      const group = el('fieldset');
      group.dataset.service = service.service;
      group.append(el('legend', undefined, service.name));
      if (service.note) group.append(el('p', 'line', service.note));
      for (const campaign of service.campaigns) {
        const label = el('label', 'choice');
        label.dataset.name = campaign.name.toLowerCase();
        const radio = el('input');
        radio.type = 'radio';
        radio.name = 'cmp-campaign';
        radio.value = `${service.service}|${campaign.id}`;
        radio.checked = chosen?.service === service.service && chosen.campaignId === campaign.id;
        radio.addEventListener('change', () => {
          if (!radio.checked) return;
          chosen = { service: service.service, campaignId: campaign.id };
          render();
          element.querySelector<HTMLInputElement>(`input[type="radio"][value="${CSS.escape(radio.value)}"]`)?.focus();
        });
        const text = el('span', undefined, campaign.name);
        label.append(radio, text, el('span', 'state', campaign.status));
        group.append(label);
      }
      box.append(group);
    }
    const nothing = el('p', 'line', '');
    nothing.dataset.empty = '';
    nothing.hidden = true;
    box.append(nothing);
    out.push(box);
    return out;
  }

  function applyFilter(needle = filter.trim().toLowerCase()): void {
    let shown = 0;
    for (const group of element.querySelectorAll<HTMLFieldSetElement>('.choices fieldset')) {
      let inGroup = 0;
      for (const label of group.querySelectorAll<HTMLLabelElement>('label.choice')) {
        const match =
          needle === '' ||
          (label.dataset.name ?? '').includes(needle) ||
          label.querySelector('input')?.checked === true;
        label.hidden = !match;
        if (match) inGroup += 1;
      }
      group.hidden = inGroup === 0 && needle !== '';
      shown += inGroup;
    }
    const empty = element.querySelector<HTMLElement>('.choices [data-empty]');
    if (empty) {
      empty.hidden = shown > 0;
      empty.textContent = `No campaign matches “${filter.trim()}”.`;
    }
  }

  function detailsForm(): HTMLElement[] {
    const service = serviceOf(chosen?.service);
    if (!service) return [];
    const set = el('fieldset', 'details');
    set.append(el('legend', undefined, `Details sent to ${service.name}`));
    for (const field of service.accepts.fields) {
      const label = el('label', 'field', FIELD_LABELS[field]);
      const input = el('input');
      input.type = field === 'email' ? 'email' : 'text';
      input.value = contact[field];
      input.maxLength = CONTACT_FIELD_MAX[field];
      input.autocomplete = 'off';
      input.spellcheck = false;
      input.addEventListener('input', () => {
        contact[field] = input.value;
      });
      label.append(input);
      set.append(label);
    }
    set.append(el('p', 'note', service.accepts.note));
    return [set];
  }

  function render(): void {
    body.replaceChildren();
    focusTarget = undefined;
    switch (state.kind) {
      case 'loading': {
        const status = el('p', 'line', 'Loading campaigns…');
        status.setAttribute('role', 'status');
        body.append(...header(), status);
        return;
      }
      case 'failed': {
        const status = el('p', 'outcome', state.sentence);
        status.dataset.state = 'bad';
        status.setAttribute('role', 'alert');
        const done = button('Close', options.onDone);
        const row = el('div', 'row');
        row.append(done);
        body.append(...header(), status, row);
        focusTarget = done;
        return;
      }
      case 'ready':
      case 'sending': {
        const campaign = campaignOf();
        const blockedUntilOverride = check?.blocked === true && !override;
        const addButton = button(campaign ? `Add to ${campaign.name}` : 'Add', () => void add(), true);
        addButton.disabled = !campaign || blockedUntilOverride || state.kind === 'sending';
        if (state.kind === 'sending') addButton.textContent = 'Adding…';
        const row = el('div', 'row');
        if (options.onBack) row.append(button('Back', options.onBack));
        row.append(addButton);
        const hint = !campaign
          ? el('p', 'line', 'Choose a campaign.')
          : blockedUntilOverride
            ? el('p', 'line', 'Nothing is sent unless you tick the box above.')
            : undefined;
        body.append(...header(), ...checks(), ...choices(), ...detailsForm(), ...(hint ? [hint] : []), row);
        applyFilter();
        if (state.kind === 'sending') element.setAttribute('aria-busy', 'true');
        else element.removeAttribute('aria-busy');
        return;
      }
      case 'done': {
        element.removeAttribute('aria-busy');
        const outcome = el('p', 'outcome', state.result.sentence);
        outcome.dataset.state = OUTCOME_STATE[state.result.status];
        outcome.dataset.status = state.result.status;
        outcome.setAttribute('role', 'status');
        const done = button('Done', options.onDone, true);
        const row = el('div', 'row');
        row.append(done);
        body.append(...header(), outcome, row);
        focusTarget = done;
        return;
      }
    }
  }

  // The panel closes on Tab (a menu is left with Tab); this view is a small form, so Tab moves
  // between its controls and wraps around. A group of radio buttons is one stop, as in a page.
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    event.stopPropagation();
    const stops = [...element.querySelectorAll<HTMLElement>('button, input')].filter((node) => {
      if ((node as HTMLButtonElement).disabled || node.closest('[hidden]')) return false;
      if (node instanceof HTMLInputElement && node.type === 'radio') {
        const group = [...element.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter(
          (r) => !r.closest('[hidden]'),
        );
        const checked = group.find((r) => r.checked);
        return checked ? node === checked : node === group[0];
      }
      return true;
    });
    if (stops.length === 0) return;
    const active = (element.getRootNode() as ShadowRoot).activeElement as HTMLElement | null;
    const current =
      active instanceof HTMLInputElement && active.type === 'radio'
        ? stops.findIndex((s) => s instanceof HTMLInputElement && s.type === 'radio')
        : stops.indexOf(active as HTMLElement);
    const next = event.shiftKey ? (current <= 0 ? stops.length - 1 : current - 1) : (current + 1) % stops.length;
    event.preventDefault();
    stops[next]!.focus();
  });

  render();
  void load();
  return {
    element,
    focus: () => (focusTarget ?? title).focus(),
    onEscape() {
      if (filter === '') return false;
      filter = '';
      const input = element.querySelector<HTMLInputElement>('input[type="search"]');
      if (input) input.value = '';
      applyFilter();
      return true;
    },
  };
}

let preselect: CampaignViewOptions['preselect'];

/**
 * The campaign the next "Add to campaign…" view opens with (the right-click menu's choice, see
 * ./campaign-bridge.ts); used once.
 */
export function setCampaignPreselect(choice: CampaignViewOptions['preselect']): void {
  preselect = choice;
}

/** The menu entry: pushes the campaign view onto the number's panel. */
export const campaignAction: NumberAction = {
  id: 'add-to-campaign',
  label: 'Add to campaign…',
  run(context) {
    const chosen = preselect;
    preselect = undefined;
    context.panel.push(
      createCampaignView(context.host.ownerDocument, {
        e164: context.ref.e164,
        extension: context.ref.extension,
        label: context.label,
        details: context.details(),
        ...(chosen ? { preselect: chosen } : {}),
        onDone: () => context.panel.close(true),
        onBack: () => context.panel.pop(),
        onLayout: (element) => {
          // The larger of the room below and above the button; the view scrolls inside it.
          const rect = context.host.getBoundingClientRect();
          const height = context.host.ownerDocument.defaultView?.innerHeight ?? 600;
          element.style.maxHeight = `${Math.max(220, Math.max(height - rect.bottom, rect.top) - 28)}px`;
          context.panel.position();
        },
      }),
    );
  },
};
