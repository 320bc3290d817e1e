/**
 * A panel view that says what happened ("Copied +16505550100.", "Sending…", an error in words),
 * announced politely, with one Done button that closes the panel.
 */
import type { PanelView } from './panel.ts';

export type StatusState = 'busy' | 'ok' | 'error';

export interface StatusView extends PanelView {
  update(message: string, state: StatusState): void;
}

export function createStatusView(
  doc: Document,
  options: { title: string; message: string; state?: StatusState; onDone: () => void },
): StatusView {
  const element = doc.createElement('div');
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', options.title);
  const title = doc.createElement('p');
  title.className = 'title';
  title.textContent = options.title;
  const status = doc.createElement('p');
  status.className = 'status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const actions = doc.createElement('div');
  actions.className = 'actions';
  const done = doc.createElement('button');
  done.type = 'button';
  done.className = 'action';
  done.textContent = 'Done';
  done.addEventListener('click', (event) => {
    event.preventDefault();
    options.onDone();
  });
  actions.append(done);
  element.append(title, status, actions);

  const update = (message: string, state: StatusState) => {
    status.textContent = message;
    status.dataset.state = state;
    element.setAttribute('aria-busy', String(state === 'busy'));
  };
  update(options.message, options.state ?? 'ok');
  return { element, focus: () => done.focus(), update };
}
