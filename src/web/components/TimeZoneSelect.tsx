import { useId, useMemo } from 'react';
import { knownZones } from '../lib/time';

/** The `Time zone` select: option values are IANA names (docs/api.md Part 2, 20). */
export function TimeZoneSelect({ value, onChange, label = 'Time zone' }: { value: string; onChange(zone: string): void; label?: string }) {
  const id = useId();
  const zones = useMemo(() => knownZones(value), [value]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}
