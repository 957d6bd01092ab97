import type { Slot } from '../lib/live-slots';
import { formats } from '../lib/time';

/** The step a chosen time opens beside itself ("Reschedule" on the manage page). */
export interface SlotConfirm {
  text: string;
  /** The button's accessible name for a start, e.g. "Reschedule to Wednesday, …"; `text` if absent. */
  name?(startsAt: string): string;
  onConfirm(startsAt: string): void;
  disabled?: boolean;
}

interface Props {
  slots: readonly Slot[];
  zone: string;
  selected: string | null;
  onSelect(startsAt: string): void;
  /** Absent: choosing a time is the whole step (the booking page opens its form at once). */
  confirm?: SlotConfirm;
  /** The booking's own start among the free ones (manage page): marked, not selectable. */
  current?: string | null;
}

/**
 * The free times of one day as a column; each is a button carrying its start as data-start
 * (UTC, Z; docs/api.md Part 2, 20). With `confirm`, the chosen one splits into itself and the
 * confirm button, as the booking pages people know do.
 */
export function SlotList({ slots, zone, selected, onSelect, confirm, current }: Props) {
  const starts = slots.map((slot) => slot.startsAt);
  if (current && !starts.includes(current)) starts.push(current);
  starts.sort();
  return (
    <ul className="times">
      {starts.map((start) =>
        start === current ? (
          <li key={start} className="time-row">
            <span className="slot slot-current" data-current-start={start}>
              {formats.time(start, zone)} <span className="badge badge-current">current</span>
            </span>
          </li>
        ) : (
          <li key={start} className={start === selected ? 'time-row chosen' : 'time-row'}>
            <button type="button" className="slot" data-start={start} aria-pressed={start === selected} onClick={() => onSelect(start)}>
              {formats.time(start, zone)}
            </button>
            {start === selected && confirm && (
              <button type="button" className="primary slot-confirm" disabled={confirm.disabled} aria-label={confirm.name?.(start)} onClick={() => confirm.onConfirm(start)}>
                {confirm.text}
              </button>
            )}
          </li>
        ),
      )}
    </ul>
  );
}
