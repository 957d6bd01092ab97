import { useEffect, useId, useMemo, useState } from 'react';
import { useHourCycle } from '../lib/use-hour-cycle';
import { detectedZone, zoneOptions } from '../lib/zones';

/** The current minute, moving on when the wall clock does, so the options' times stay true. */
function useMinute(): number {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / 60_000));
  useEffect(() => {
    const timer = window.setTimeout(() => setMinute(Math.floor(Date.now() / 60_000)), 60_000 - (Date.now() % 60_000) + 50);
    return () => window.clearTimeout(timer);
  }, [minute]);
  return minute;
}

/**
 * The `Time zone` select (docs/api.md Part 2, 20): option values are IANA names, each shown as
 * "GMT+01:00 Berlin — 14:05" in the chosen 12h or 24h clock; the browser's own zone comes
 * first, then the rest by offset, each zone once under its current name (lib/zones.ts).
 */
export function TimeZoneSelect({ value, onChange, label = 'Time zone' }: { value: string; onChange(zone: string): void; label?: string }) {
  const id = useId();
  const cycle = useHourCycle();
  const minute = useMinute();
  const options = useMemo(() => zoneOptions(new Date(minute * 60_000), cycle, detectedZone(), value), [minute, cycle, value]);
  return (
    <div className="field zone-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.zone} value={option.zone}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
