/**
 * In-process events of the background, so features react to each other without importing each
 * other (campaign caches refresh and paused outbox entries resume when settings change).
 */
import type { Settings } from '../settings.ts';
import type { ServiceId } from '../services.ts';

export interface SettingsChange {
  settings: Settings;
  /** Services whose secrets changed in this save. */
  secretsChanged: ServiceId[];
  /** Services whose secrets were saved in this save, changed or typed again the same. */
  secretsSaved?: ServiceId[];
}

type Listener<T> = (value: T) => void | Promise<void>;

export class BackgroundEvents {
  private settingsListeners: Listener<SettingsChange>[] = [];
  private verifiedListeners: Listener<ServiceId>[] = [];

  /** A connection test of the service passed: its credentials work now. */
  onCredentialsVerified(listener: Listener<ServiceId>): void {
    this.verifiedListeners.push(listener);
  }

  async emitCredentialsVerified(service: ServiceId): Promise<void> {
    const results = await Promise.allSettled(this.verifiedListeners.map((l) => l(service)));
    for (const result of results) {
      if (result.status === 'rejected') console.error('[background] credentials listener failed', result.reason);
    }
  }

  onSettingsChanged(listener: Listener<SettingsChange>): void {
    this.settingsListeners.push(listener);
  }

  async emitSettingsChanged(change: SettingsChange): Promise<void> {
    const results = await Promise.allSettled(this.settingsListeners.map((l) => l(change)));
    for (const result of results) {
      if (result.status === 'rejected') console.error('[background] settings listener failed', result.reason);
    }
  }
}
