import { useRef, useState, type KeyboardEvent } from 'react';
import { addDays, addMonths, daysIn, formats, weekdayOf, type LocalDate, type Month } from '../lib/time';

interface Props {
  month: Month;
  onMonthChange(month: Month): void;
  /** Earliest month the Previous button may show. */
  firstMonth: Month;
  /** Free slots per day of the month; a day with some is a button. */
  freeCount: ReadonlyMap<LocalDate, number>;
  selected: LocalDate | null;
  onSelect(day: LocalDate): void;
  today: LocalDate;
  busy: boolean;
}

/**
 * The bookable day that `key` moves to from `from`: the next or previous one, the nearest one a
 * week on or back, the first or the last. Null: none that way.
 */
function dayAfterKey(key: string, from: LocalDate, bookable: readonly LocalDate[]): LocalDate | null {
  const at = bookable.indexOf(from);
  switch (key) {
    case 'ArrowRight':
      return bookable[at + 1] ?? null;
    case 'ArrowLeft':
      return at > 0 ? bookable[at - 1]! : null;
    case 'ArrowDown':
      return bookable.find((day) => day >= addDays(from, 7)) ?? null;
    case 'ArrowUp':
      return [...bookable].reverse().find((day) => day <= addDays(from, -7)) ?? null;
    case 'Home':
      return bookable[0] ?? null;
    case 'End':
      return bookable[bookable.length - 1] ?? null;
    default:
      return null;
  }
}

/**
 * A month of days, Monday first; the days with free times are buttons carrying data-date. One
 * of them is in the tab order (the chosen day, else the first); the arrow keys, Home and End
 * move between them, Enter or Space chooses (the date picker pattern of WAI-ARIA's practices).
 */
export function MonthCalendar({ month, onMonthChange, firstMonth, freeCount, selected, onSelect, today, busy }: Props) {
  const grid = useRef<HTMLTableElement>(null);
  const [focused, setFocused] = useState<LocalDate | null>(null);
  const days = daysIn(month);
  const bookable = days.filter((day) => freeCount.get(day));
  const tabStop = [focused, selected].find((day) => day && bookable.includes(day)) ?? bookable[0];
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const from = (event.target as HTMLElement).dataset.date;
    const to = from ? dayAfterKey(event.key, from, bookable) : null;
    if (!to) return;
    event.preventDefault();
    setFocused(to);
    grid.current?.querySelector<HTMLButtonElement>(`button[data-date="${to}"]`)?.focus();
  };
  const leading = weekdayOf(days[0]!);
  const cells: (LocalDate | null)[] = [...Array<null>(leading).fill(null), ...days];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const atStart = month.year * 12 + month.month <= firstMonth.year * 12 + firstMonth.month;
  const title = formats.monthTitle(month);
  return (
    <div className={busy ? 'calendar calendar-busy' : 'calendar'} aria-busy={busy}>
      <div className="calendar-head">
        <button type="button" className="icon-button" aria-label="Previous month" disabled={atStart} onClick={() => onMonthChange(addMonths(month, -1))}>
          <span aria-hidden="true">‹</span>
        </button>
        <h3 id="calendar-title" aria-live="polite">{title}</h3>
        <button type="button" className="icon-button" aria-label="Next month" onClick={() => onMonthChange(addMonths(month, 1))}>
          <span aria-hidden="true">›</span>
        </button>
      </div>
      <table className="month" aria-labelledby="calendar-title" ref={grid} onKeyDown={onKeyDown}>
        <thead>
          <tr>
            {Array.from({ length: 7 }, (_, i) => (
              <th key={i} scope="col">
                <abbr title={formats.weekdayLong(i)}>{formats.weekdayShort(i)}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {week.map((day, d) => (
                <td key={d}>
                  {day && <Day day={day} free={freeCount.get(day) ?? 0} selected={day === selected} today={day === today} tabStop={day === tabStop} onSelect={onSelect} />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Day({ day, free, selected, today, tabStop, onSelect }: { day: LocalDate; free: number; selected: boolean; today: boolean; tabStop: boolean; onSelect(day: LocalDate): void }) {
  const number = Number(day.slice(8));
  if (!free) {
    return (
      <span className="day day-off" aria-current={today ? 'date' : undefined}>
        {number}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="day"
      data-date={day}
      aria-pressed={selected}
      aria-current={today ? 'date' : undefined}
      tabIndex={tabStop ? 0 : -1}
      aria-label={`${formats.longDate(day)}, ${free} free ${free === 1 ? 'time' : 'times'}`}
      onClick={() => onSelect(day)}
    >
      {number}
    </button>
  );
}
