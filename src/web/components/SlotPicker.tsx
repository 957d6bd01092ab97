import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useFreeSlots, type Slot } from '../lib/live-slots';
import { addMonths, formats, localDateOf, monthOf, monthRange, sameMonth, type LocalDate, type Month } from '../lib/time';
import { explain } from '../lib/api';
import { MonthCalendar } from './MonthCalendar';
import { SlotList, type SlotConfirm } from './SlotList';
import { Alert } from './Messages';
import { CalendarSkeleton, TimesSkeleton } from './Skeleton';

/** How many months ahead the picker looks for the first free slot before it gives up. */
const SEARCH_MONTHS = 12;

export interface SlotSource {
  ownerId: string;
  eventTypeId?: string | null;
  duration?: number | null;
}

export interface SlotPickerState {
  zone: string;
  month: Month;
  setMonth(month: Month): void;
  thisMonth: Month;
  today: LocalDate;
  /** Still looking for the first month with a free slot. */
  searching: boolean;
  /** Nothing free in the months searched. */
  nothingAhead: boolean;
  byDay: ReadonlyMap<LocalDate, Slot[]>;
  loaded: boolean;
  error: unknown;
  /** The chosen day; until one is chosen, the preferred day or else the month's first with free times. */
  day: LocalDate | null;
  setDay(day: LocalDate | null): void;
  selected: string | null;
  setSelected(startsAt: string | null): void;
  /** The chosen start was taken meanwhile (seen live, or refused on booking). */
  taken: boolean;
  /** A booking of the chosen start was refused as taken: drop it, say so, read the slots again. */
  markTaken(): void;
}

/**
 * The state behind a SlotPicker: the month shown (at first the first month with a free slot),
 * its live free slots grouped by day in `zone`, the chosen day and the chosen start.
 */
export function useSlotPicker(source: SlotSource, zone: string, options: { preferredStart?: string | null } = {}): SlotPickerState {
  const today = localDateOf(new Date(), zone);
  const thisMonth = monthOf(today);
  // The manage page opens on the booking's own day when it lies ahead.
  const preferredDay = options.preferredStart ? localDateOf(options.preferredStart, zone) : null;
  const startMonth = () => {
    const now = monthOf(localDateOf(new Date(), zone));
    const preferred = preferredDay ? monthOf(preferredDay) : null;
    return preferred && preferred.year * 12 + preferred.month > now.year * 12 + now.month ? preferred : now;
  };
  const [month, setMonthState] = useState<Month>(startMonth);
  const [searchedMonths, setSearchedMonths] = useState<number | null>(0);
  const [nothingAhead, setNothingAhead] = useState(false);
  const [day, setDay] = useState<LocalDate | null>(null);
  const [selected, setSelectedState] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const setSelected = (startsAt: string | null) => {
    setSelectedState(startsAt);
    setTaken(false);
  };
  const range = monthRange(month, zone);
  const { slots, error, refresh } = useFreeSlots({
    ownerId: source.ownerId,
    eventTypeId: source.eventTypeId ?? null,
    duration: source.duration ?? null,
    from: range.from,
    to: range.to,
  });

  // Another length or event type: search again from this month.
  useEffect(() => {
    setMonthState(startMonth());
    setSearchedMonths(0);
    setNothingAhead(false);
    setDay(null);
    setSelected(null);
  }, [source.ownerId, source.eventTypeId, source.duration]);

  // The days' keys change meaning with the zone.
  useEffect(() => {
    setDay(null);
    setSelected(null);
  }, [zone]);

  useEffect(() => {
    if (searchedMonths === null || slots === null) return;
    if (slots.length > 0) setSearchedMonths(null);
    else if (searchedMonths + 1 < SEARCH_MONTHS) {
      setSearchedMonths(searchedMonths + 1);
      setMonthState((m) => addMonths(m, 1));
    } else {
      setSearchedMonths(null);
      setNothingAhead(true);
      setMonthState(monthOf(localDateOf(new Date(), zone)));
    }
  }, [slots, searchedMonths, zone]);

  // A pushed list is current as of the last change, not of now: a time that has begun is hidden here.
  const startedBefore = Date.now();
  const byDay = useMemo(() => {
    const days = new Map<LocalDate, Slot[]>();
    for (const slot of slots ?? []) {
      if (Date.parse(slot.startsAt) <= startedBefore) continue;
      const key = localDateOf(slot.startsAt, zone);
      const list = days.get(key);
      if (list) list.push(slot);
      else days.set(key, [slot]);
    }
    return days;
  }, [slots, zone, Math.floor(startedBefore / 60_000)]);

  // A chosen start that is no longer free (taken elsewhere, seen live or on a refresh) is dropped, with a word why.
  useEffect(() => {
    if (selected && slots && !slots.some((s) => s.startsAt === selected)) {
      setSelectedState(null);
      setTaken(true);
    }
  }, [slots, selected]);

  const firstFree = [...byDay.keys()].filter((key) => sameMonth(monthOf(key), month)).sort()[0] ?? null;
  const shownDay = day ?? (preferredDay && byDay.has(preferredDay) ? preferredDay : firstFree);

  return {
    zone,
    month,
    setMonth(next) {
      setSearchedMonths(null);
      setMonthState(next);
      setDay(null);
      setSelected(null);
    },
    thisMonth,
    today,
    searching: searchedMonths !== null,
    nothingAhead,
    byDay,
    loaded: slots !== null,
    error,
    day: shownDay,
    setDay(next) {
      setDay(next);
      setSelected(null);
    },
    selected,
    setSelected,
    taken,
    markTaken() {
      setSelectedState(null);
      setTaken(true);
      refresh();
    },
  };
}

interface PickerProps {
  picker: SlotPickerState;
  label: string;
  /** The heading over the month. */
  title: string;
  /** What a chosen time opens beside itself ("Reschedule" on the manage page); absent: nothing. */
  confirm?: SlotConfirm;
  /** The booking's own start, marked among the times (manage page). */
  current?: string | null;
  /** Under the month: the time zone and the clock. */
  controls?: ReactNode;
}

/**
 * Two columns: a month calendar of the days with free times (with `controls` under it) and the
 * chosen day's times. Skeletons stand in while the first month with a free slot is looked for.
 */
export function SlotPicker({ picker, label, title, confirm, current, controls }: PickerProps) {
  const freeCount = useMemo(() => new Map([...picker.byDay].map(([day, list]) => [day, list.length] as const)), [picker.byDay]);
  const daySlots = picker.day ? picker.byDay.get(picker.day) ?? [] : [];
  const currentHere = current && picker.day && localDateOf(current, picker.zone) === picker.day ? current : null;
  const searching = picker.searching && picker.error == null;
  const times = useRef<HTMLElement>(null);
  // Stacked on a phone, a day's times start below the month: bring them up once a day is picked.
  const pickDay = (day: LocalDate) => {
    picker.setDay(day);
    if (window.matchMedia('(max-width: 640px)').matches) window.requestAnimationFrame(() => void times.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
  };
  return (
    <>
      <section className="panel calendar-panel" aria-label={label} aria-busy={searching || !picker.loaded}>
        <h2 className="picker-title">{title}</h2>
        {searching ? (
          <CalendarSkeleton />
        ) : (
          <MonthCalendar
            month={picker.month}
            onMonthChange={picker.setMonth}
            firstMonth={picker.thisMonth}
            freeCount={freeCount}
            selected={picker.day}
            onSelect={pickDay}
            today={picker.today}
            busy={!picker.loaded}
          />
        )}
        {picker.nothingAhead && sameMonth(picker.month, picker.thisMonth) && <p className="hint">No free times in the next {SEARCH_MONTHS} months.</p>}
        {picker.loaded && !picker.searching && picker.byDay.size === 0 && !picker.nothingAhead && <p className="hint">No free times this month.</p>}
        {picker.error != null && <Alert>{explain(picker.error)}</Alert>}
        {controls && <div className="picker-controls">{controls}</div>}
      </section>
      <section className="panel times-panel" aria-labelledby="day-title" ref={times}>
        <h3 id="day-title" className={searching ? 'visually-hidden' : undefined}>
          {picker.day ? formats.longDate(picker.day) : 'Pick a day'}
        </h3>
        {picker.taken && <Alert>Sorry, that time is no longer free. Please pick another time.</Alert>}
        {searching ? (
          <TimesSkeleton />
        ) : picker.day ? (
          daySlots.length || currentHere ? (
            <SlotList slots={daySlots} zone={picker.zone} selected={picker.selected} onSelect={picker.setSelected} confirm={confirm} current={currentHere} />
          ) : (
            <p className="hint">No free times left on this day.</p>
          )
        ) : (
          <p className="hint">Days with free times are highlighted.</p>
        )}
      </section>
    </>
  );
}
