import { useId } from 'react';
import { setHourCycle, type HourCycle } from '../lib/clock';
import { useHourCycle } from '../lib/use-hour-cycle';

const CHOICES: { value: HourCycle; label: string }[] = [
  { value: 'h12', label: '12h' },
  { value: 'h23', label: '24h' },
];

/** 12h or 24h for every time on the pages, remembered in this browser (lib/clock.ts). */
export function HourCycleChoice() {
  const cycle = useHourCycle();
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Clock</legend>
      {CHOICES.map((choice) => (
        <label key={choice.value}>
          <input type="radio" name={name} value={choice.value} checked={cycle === choice.value} onChange={() => setHourCycle(choice.value)} />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
