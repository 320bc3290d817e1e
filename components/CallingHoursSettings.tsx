import type { FieldErrors, Settings } from '../lib/settings.ts';
import { Field } from './Field.tsx';
import { WeekdayPicker } from './WeekdayPicker.tsx';
import './campaigns.css';

export interface CallingHoursSettingsProps {
  value: Settings['callingHours'];
  errors: FieldErrors;
  /** A change to `callingHours.<field>`, saved with the page's Save. */
  onChange: (path: string, value: unknown) => void;
}


/**
 * Calling hours in the contact's local time (issue 4): a number added outside them gets a warning
 * with the time there; nothing is blocked.
 */
export function CallingHoursSettings({ value, errors, onChange }: CallingHoursSettingsProps) {
  const daysError =
    errors['callingHours.weekdays'] ??
    Object.entries(errors).find(([k]) => k.startsWith('callingHours.weekdays.'))?.[1];
  return (
    <section class="card" aria-labelledby="calling-hours-title">
      <header class="card__header">
        <h2 id="calling-hours-title">Calling hours</h2>
      </header>
      <p class="card__description">
        In the contact’s local time, read from the number’s country or North American area code. Adding a number outside
        these hours warns you and shows the time there; it does not stop you.
      </p>
      <div class="fields">
        <div class="ch-pair">
          <Field
            id="callingHours-start"
            label="Calling hours start"
            type="time"
            value={value.start}
            onInput={(text) => onChange('callingHours.start', text)}
            error={errors['callingHours.start']}
          />
          <Field
            id="callingHours-end"
            label="Calling hours end"
            type="time"
            value={value.end}
            onInput={(text) => onChange('callingHours.end', text)}
            error={errors['callingHours.end']}
          />
        </div>
        <WeekdayPicker
          id="callingHours-weekdays"
          legend="Calling days"
          value={value.weekdays}
          onChange={(days) => onChange('callingHours.weekdays', days)}
          error={daysError}
        />
      </div>
    </section>
  );
}
