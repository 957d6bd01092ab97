import { useEffect, useMemo, useState } from 'react';
import { useFreeSlots, type Slot } from '../lib/live-slots';
import { addMonths, formats, localDateOf, monthOf, monthRange, sameMonth, type LocalDate, type Month } from '../lib/time';
import { explain } from '../lib/api';
import { MonthCalendar } from './MonthCalendar';
import { SlotList } from './SlotList';
import { Alert } from './Messages';

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
export function useSlotPicker(source: SlotSource, zone: string): SlotPickerState {
  const today = localDateOf(new Date(), zone);
  const thisMonth = monthOf(today);
  const [month, setMonthState] = useState<Month>(thisMonth);
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
    setMonthState(monthOf(localDateOf(new Date(), zone)));
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
    day,
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

/** A month calendar of the days with free times and, for the chosen day, its times. */
export function SlotPicker({ picker, label }: { picker: SlotPickerState; label: string }) {
  const freeCount = useMemo(() => new Map([...picker.byDay].map(([day, list]) => [day, list.length] as const)), [picker.byDay]);
  const daySlots = picker.day ? picker.byDay.get(picker.day) ?? [] : [];
  return (
    <div className="picker">
      <section className="panel" aria-label={label}>
        <MonthCalendar
          month={picker.month}
          onMonthChange={picker.setMonth}
          firstMonth={picker.thisMonth}
          freeCount={freeCount}
          selected={picker.day}
          onSelect={picker.setDay}
          today={picker.today}
          busy={picker.searching || !picker.loaded}
        />
        {picker.nothingAhead && sameMonth(picker.month, picker.thisMonth) && (
          <p className="hint">No free times in the next {SEARCH_MONTHS} months.</p>
        )}
        {picker.loaded && !picker.searching && picker.byDay.size === 0 && !picker.nothingAhead && <p className="hint">No free times this month.</p>}
        {picker.error != null && <Alert>{explain(picker.error)}</Alert>}
      </section>
      <section className="panel" aria-labelledby="day-title">
        <h3 id="day-title">{picker.day ? formats.longDate(picker.day) : 'Pick a day'}</h3>
        {picker.taken && <Alert>Sorry, that time is no longer free. Please pick another time.</Alert>}
        {picker.day ? (
          daySlots.length ? (
            <SlotList slots={daySlots} zone={picker.zone} selected={picker.selected} onSelect={picker.setSelected} />
          ) : (
            <p className="hint">No free times left on this day.</p>
          )
        ) : (
          <p className="hint">Days with free times are highlighted.</p>
        )}
        <p className="hint">Times in {picker.zone.replace(/_/g, ' ')}.</p>
      </section>
    </div>
  );
}
