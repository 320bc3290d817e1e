import type { ComponentChildren } from 'preact';
import { CallHistory } from './CallHistory.tsx';
import { ClickToCallList } from './ClickToCallList.tsx';
import { OutboxList } from './OutboxList.tsx';

export interface ActivitySectionProps {
  /** The Activity tab is shown: sections poll only then. */
  active: boolean;
}

export interface ActivitySection {
  id: string;
  title: string;
  render: (props: ActivitySectionProps) => ComponentChildren;
}

/** The sections of Activity, in order. Adding one (e.g. click-to-call statuses) is a line here. */
export const ACTIVITY_SECTIONS: ActivitySection[] = [
  { id: 'outbox', title: 'Outbox', render: (props) => <OutboxList {...props} /> },
  { id: 'click-to-call', title: 'Click-to-calls', render: (props) => <ClickToCallList {...props} /> },
  { id: 'history', title: 'Logged calls', render: (props) => <CallHistory {...props} /> },
];

export interface ActivityTabProps extends ActivitySectionProps {
  sections?: readonly ActivitySection[];
}

/** The popup's Activity tab: its sections, each under a heading. */
export function ActivityTab({ active, sections = ACTIVITY_SECTIONS }: ActivityTabProps) {
  return (
    <div class="activity">
      {sections.map((section) => (
        <section key={section.id} class="activity__section" aria-labelledby={`activity-${section.id}`}>
          <h2 id={`activity-${section.id}`}>{section.title}</h2>
          {section.render({ active })}
        </section>
      ))}
    </div>
  );
}
