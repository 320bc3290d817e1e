export interface WeekdayPickerProps {
  id: string;
  /** The fieldset's legend, naming the service or setting: "Calling days". */
  legend: string;
  /** Days as 0 (Sunday) … 6 (Saturday). */
  value: readonly number[];
  onChange: (days: number[]) => void;
  error?: string;
}

// Monday first, as calendars in most of the services' markets show the week.
const WEEK: readonly (readonly [number, string])[] = [
  [1, 'Monday'],
  [2, 'Tuesday'],
  [3, 'Wednesday'],
  [4, 'Thursday'],
  [5, 'Friday'],
  [6, 'Saturday'],
  [0, 'Sunday'],
];

/** A labelled group of weekday checkboxes, with its error under it. */
export function WeekdayPicker({ id, legend, value, onChange, error }: WeekdayPickerProps) {
  return (
    <fieldset
      class={`field weekdays${error ? ' field--invalid' : ''}`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      <div class="weekdays__list">
        {WEEK.map(([day, name]) => (
          <label key={day} class="weekdays__day">
            <input
              type="checkbox"
              checked={value.includes(day)}
              onChange={(event) =>
                onChange(
                  event.currentTarget.checked
                    ? [...value, day].sort((a, b) => a - b)
                    : value.filter((d) => d !== day),
                )
              }
            />
            {name}
          </label>
        ))}
      </div>
      {error && (
        <p class="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
