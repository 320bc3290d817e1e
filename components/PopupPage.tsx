import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { currentTab, type CurrentTab } from '../lib/current-tab.ts';
import { sendMessage } from '../lib/messaging.ts';
import { ActivityTab } from './ActivityTab.tsx';
import { ClickToCallForm } from './ClickToCallForm.tsx';
import { LogCallForm } from './LogCallForm.tsx';
import { onPopupRequest } from './popup-requests.ts';
import { PopupTabs, type PopupTab } from './PopupTabs.tsx';
import { SiteToggle } from './SiteToggle.tsx';
import { ThisPageTab } from './ThisPageTab.tsx';
import './popup.css';

/** What each tab needs from the page. */
interface PopupContext {
  tab: CurrentTab | undefined;
  tabReady: boolean;
  selected: string;
}

/** The popup's tabs, in order; the first is shown when the popup opens (or `?view=<id>`). */
const TABS: { id: string; label: string; render: (context: PopupContext) => PopupTab['panel'] }[] = [
  { id: 'log', label: 'Log a call', render: ({ tab, tabReady }) => <LogCallForm tab={tab} tabReady={tabReady} /> },
  { id: 'activity', label: 'Activity', render: ({ selected }) => <ActivityTab active={selected === 'activity'} /> },
  { id: 'click-to-call', label: 'Click-to-call', render: ({ tab, tabReady }) => <ClickToCallForm tab={tab} tabReady={tabReady} /> },
  { id: 'page', label: 'This page', render: ({ tab, tabReady, selected }) => <ThisPageTab tab={tab} tabReady={tabReady} active={selected === 'page'} /> },
];

/** The toolbar popup. */
export function PopupPage() {
  const [tab, setTab] = useState<CurrentTab>();
  const [tabReady, setTabReady] = useState(false);
  const [selected, setSelected] = useState(() => {
    const view = new URLSearchParams(location.search).get('view');
    return TABS.some((t) => t.id === view) ? view! : TABS[0]!.id;
  });
  useEffect(() => {
    void currentTab()
      .then(setTab)
      .finally(() => setTabReady(true));
    // Opening the popup is a good moment to deliver what waits (the worker may have slept
    // through a backoff).
    void sendMessage('outbox/kick', {});
  }, []);
  // A section may ask for another tab ("Log this call" on a click-to-call).
  useEffect(() => onPopupRequest((request) => setSelected(request.view)), []);

  const context: PopupContext = { tab, tabReady, selected };
  return (
    <div class="popup">
      <header class="popup__header">
        <h1>CRM Call Companion</h1>
        <button type="button" class="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          Settings
        </button>
      </header>
      <PopupTabs
        tabs={TABS.map(({ id, label, render }) => ({ id, label, panel: render(context) }))}
        selected={selected}
        onSelect={setSelected}
      />
      <footer class="popup__footer">
        <SiteToggle tab={tab} />
      </footer>
    </div>
  );
}
