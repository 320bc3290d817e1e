import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface PopupTab {
  id: string;
  label: string;
  panel: ComponentChildren;
}

export interface PopupTabsProps {
  tabs: readonly PopupTab[];
  selected: string;
  onSelect: (id: string) => void;
}

/**
 * Tabs as the WAI-ARIA tabs pattern has them: arrow keys, Home and End move between tabs and
 * select them; Tab moves into the panel. Every panel stays mounted (hidden when not selected),
 * so a half-typed note survives a look at Activity.
 */
export function PopupTabs({ tabs, selected, onSelect }: PopupTabsProps) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const target =
      event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : undefined;
    if (target === undefined) return;
    event.preventDefault();
    onSelect(tabs[target]!.id);
    buttons.current[target]?.focus();
  };

  return (
    <>
      <div class="tabs" role="tablist" aria-label="Popup sections">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            class="tab"
            aria-selected={tab.id === selected}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <section
          key={tab.id}
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          class="tab-panel"
          hidden={tab.id !== selected}
        >
          {tab.panel}
        </section>
      ))}
    </>
  );
}
