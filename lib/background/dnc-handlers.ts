/**
 * The do-not-call list in options (issue 4): the user's own numbers (add, remove), and how many
 * Call-Em-All opt-outs and Upcall `dnc` numbers are held for screening.
 */
import { displayNumber } from '../campaigns/format.ts';
import { readOptOutSyncState } from '../dnc/optout-sync.ts';
import { addLocalDoNotCall, recordsFromSource, removeLocalDoNotCall, type DoNotCallRecord } from '../dnc/store.ts';
import { describeFailure } from '../errors.ts';
import { readOneNumber } from '../campaigns/read-number.ts';
import type { Handlers } from '../messaging.ts';
import type { LocalDoNotCallView } from '../protocol/campaigns.ts';
import { loadSettings } from '../settings-storage.ts';
import { isConfigured } from './service-config.ts';
import { getAllSecrets } from '../secrets.ts';

type DoNotCallHandlers = Pick<Handlers, 'dnc/list' | 'dnc/add' | 'dnc/remove'>;

function localView(record: DoNotCallRecord): LocalDoNotCallView {
  return {
    e164: record.e164,
    display: displayNumber(record.e164),
    ...(record.note ? { note: record.note } : {}),
    addedAt: record.addedAt,
  };
}

export function createDoNotCallHandlers(): DoNotCallHandlers {
  return {
    'dnc/list': async () => {
      const [local, upcall, sync, { settings }, secrets] = await Promise.all([
        recordsFromSource('local'),
        recordsFromSource('upcall-dnc'),
        readOptOutSyncState(),
        loadSettings(),
        getAllSecrets(),
      ]);
      return {
        local: local.sort((a, b) => b.addedAt - a.addedAt).map(localView),
        callEmAll: {
          configured: isConfigured('callemall', settings, secrets),
          count: sync?.count ?? 0,
          ...(sync?.lastSyncAt ? { lastSyncAt: sync.lastSyncAt } : {}),
          ...(sync?.error ? { error: describeFailure(sync.error) } : {}),
        },
        upcallSeen: upcall.length,
      };
    },

    'dnc/add': async ({ number, note }) => {
      const { settings } = await loadSettings();
      const text = number.trim();
      if (text === '') return { ok: false, error: 'Enter the number to add, like +1 650 555 0100.' };
      const read = readOneNumber(text, settings.defaultCountry);
      if (!read.ok) {
        return {
          ok: false,
          error:
            read.reason === 'several'
              ? `“${text}” holds ${read.count} phone numbers. Add them one at a time.`
              : `“${text}” is not a valid phone number. Include the country code if it is not a ${settings.defaultCountry} number.`,
        };
      }
      // The line is what counts: an extension is not kept.
      return { ok: true, entry: localView(await addLocalDoNotCall(read.e164, note, Date.now())) };
    },

    'dnc/remove': async ({ e164 }) => ({ ok: true, removed: await removeLocalDoNotCall(e164) }),
  };
}
