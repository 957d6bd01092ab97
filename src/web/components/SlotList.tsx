import type { Slot } from '../lib/live-slots';
import { formats } from '../lib/time';

interface Props {
  slots: readonly Slot[];
  zone: string;
  selected: string | null;
  onSelect(startsAt: string): void;
}

/** The free times of one day; each is a button carrying its start as data-start (UTC, Z). */
export function SlotList({ slots, zone, selected, onSelect }: Props) {
  return (
    <ul className="slots">
      {slots.map((slot) => (
        <li key={slot.startsAt}>
          <button type="button" className="slot" data-start={slot.startsAt} aria-pressed={slot.startsAt === selected} onClick={() => onSelect(slot.startsAt)}>
            {formats.time(slot.startsAt, zone)}
          </button>
        </li>
      ))}
    </ul>
  );
}
