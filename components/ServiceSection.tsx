import type { ComponentChildren } from 'preact';

export interface ConnectionStatus {
  state: 'idle' | 'testing' | 'ok' | 'failed';
  sentence?: string;
}

export interface ServiceSectionProps {
  id: string;
  title: string;
  description?: ComponentChildren;
  configured: boolean;
  status: ConnectionStatus;
  onTest: () => void;
  children: ComponentChildren;
}

/** One service's settings: labelled fields, a Test connection button and its answer. */
export function ServiceSection({ id, title, description, configured, status, onTest, children }: ServiceSectionProps) {
  return (
    <section class="card" aria-labelledby={`${id}-title`} id={`section-${id}`}>
      <header class="card__header">
        <h2 id={`${id}-title`}>{title}</h2>
        <span class={`badge ${configured ? 'badge--ok' : 'badge--muted'}`}>{configured ? 'Set up' : 'Not set up'}</span>
      </header>
      {description && <p class="card__description">{description}</p>}
      <div class="fields">{children}</div>
      <div class="card__actions">
        <button type="button" class="button" onClick={onTest} disabled={status.state === 'testing'}>
          {status.state === 'testing' ? 'Testing…' : 'Test connection'}
        </button>
        <p
          class={`connection connection--${status.state}`}
          role="status"
          aria-live="polite"
          data-testid={`${id}-connection`}
        >
          {status.sentence ?? ''}
        </p>
      </div>
    </section>
  );
}
