import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { currentTab, type CurrentTab } from '../lib/current-tab.ts';
import { SiteToggle } from './SiteToggle.tsx';

/** The toolbar popup. */
export function PopupPage() {
  const [tab, setTab] = useState<CurrentTab>();
  useEffect(() => {
    void currentTab().then(setTab);
  }, []);

  return (
    <div class="popup">
      <header class="popup__header">
        <h1>CRM Call Companion</h1>
        <button type="button" class="button button--quiet" onClick={() => void browser.runtime.openOptionsPage()}>
          Settings
        </button>
      </header>
      <SiteToggle tab={tab} />
    </div>
  );
}
