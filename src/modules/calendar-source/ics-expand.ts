/*
 * iCalendar data -> busy intervals (docs/api.md Part 3, 28). ical.js parses and runs the
 * recurrence rules (RRULE, RDATE, EXDATE, in DTSTART's own wall clock); this file decides what
 * is busy and turns wall times into instants: TZIDs through ics-zones.ts, floating times and
 * all-day dates in the owner's zone. Pure: `now` and the zone are arguments, no I/O.
 */
import ICAL from 'ical.js';
import type { Interval } from '../../scheduling';
import { CalendarSourceError } from './calendar-source.errors';
import { resolveZonesOf } from './ics-zones';
import { instantOf, intervalOf } from './ics-instants';

export const MAX_EVENTS_PER_SOURCE = 100_000;
/**
 * Occurrences a source may make ical.js generate, kept or not (20 to 100 µs each here). Open
 * rules are moved up to the kept range first (startOfExpansion), so this bounds mostly what the
 * range holds: 200,000 is 500 daily series, or a MINUTELY rule's first five months.
 */
export const MAX_OCCURRENCES_SCANNED = 200_000;
const DAY_MS = 86_400_000;

/** The instants a sync keeps: [now − 1 day, now + 400 days). */
export const keptRange = (now: number): Interval => ({ start: now - DAY_MS, end: now + 400 * DAY_MS });

/** Slotbook's own written-back bookings carry `UID:<booking id>@slotbook` (docs/api.md Part 3, 31). */
export const isSlotbookUid = (uid: string): boolean => uid.toLowerCase().endsWith('@slotbook');

export interface ExpandOptions {
  /** IANA zone for floating times and all-day dates. */
  ownerTimeZone: string;
  now: number;
  /** Events whose UID this accepts are not busy time; default: Slotbook's own (isSlotbookUid). */
  ignoreUid?: (uid: string) => boolean;
  /** Default MAX_EVENTS_PER_SOURCE. */
  maxEvents?: number;
  /** Default MAX_OCCURRENCES_SCANNED. */
  maxOccurrences?: number;
}

export interface BusyExpansion {
  /** Sorted by start, not merged: each kept occurrence of each busy event. */
  intervals: Interval[];
  /** VEVENT components read, overridden instances included. */
  events: number;
}

/**
 * The busy intervals of one source: a feed (one text) or a CalDAV calendar (one text per
 * object). Throws CalendarSourceError (MALFORMED, TOO_MANY_EVENTS) with a message for the owner.
 */
export function expandBusy(data: string | readonly string[], options: ExpandOptions): BusyExpansion {
  const maxEvents = options.maxEvents ?? MAX_EVENTS_PER_SOURCE;
  try {
    const calendars = (typeof data === 'string' ? [data] : data).flatMap(parseCalendars);
    const vevents = calendars.flatMap((calendar) => calendar.getAllSubcomponents('vevent'));
    if (vevents.length > maxEvents) {
      throw new CalendarSourceError('TOO_MANY_EVENTS', `the calendar has ${vevents.length} events, more than the ${maxEvents} allowed`);
    }
    const expansion = new Expansion(options);
    for (const series of seriesOf(vevents)) {
      if (!(options.ignoreUid ?? isSlotbookUid)(series.uid)) expansion.add(series);
    }
    return { intervals: expansion.intervals.sort((a, b) => a.start - b.start || a.end - b.end), events: vevents.length };
  } catch (error) {
    throw asCalendarError(error);
  }
}

function parseCalendars(text: string): ICAL.Component[] {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new CalendarSourceError('MALFORMED', 'the data is not iCalendar (it does not begin with BEGIN:VCALENDAR)');
  const parsed = ICAL.parse(text) as unknown[];
  // ical.js answers one component, or a list when the text holds several.
  const components = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((jcal) => new ICAL.Component(jcal as unknown[]));
  for (const component of components) {
    if (component.name !== 'vcalendar') throw new CalendarSourceError('MALFORMED', `the data holds a ${component.name.toUpperCase()} where a VCALENDAR is expected`);
    resolveZonesOf(component);
  }
  return components;
}

interface Series {
  uid: string;
  master: ICAL.Component | undefined;
  /** Components with RECURRENCE-ID: moved, changed or cancelled instances. */
  overrides: ICAL.Component[];
}

/** VEVENTs grouped by UID (an event without one is its own series). */
function seriesOf(vevents: ICAL.Component[]): Series[] {
  const byUid = new Map<string, Series>();
  const lone: Series[] = [];
  for (const vevent of vevents) {
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '');
    let series = uid ? byUid.get(uid) : undefined;
    if (!series) {
      series = { uid, master: undefined, overrides: [] };
      if (uid) byUid.set(uid, series);
      else lone.push(series);
    }
    if (vevent.hasProperty('recurrence-id')) series.overrides.push(vevent);
    else series.master ??= vevent;
  }
  return [...byUid.values(), ...lone];
}

const upper = (component: ICAL.Component, name: string): string => String(component.getFirstPropertyValue(name) ?? '').toUpperCase();
const isCancelled = (component: ICAL.Component): boolean => upper(component, 'status') === 'CANCELLED';
/** Busy unless cancelled or transparent (free); overrides carry their own values. */
const isBusy = (component: ICAL.Component): boolean => !isCancelled(component) && upper(component, 'transp') !== 'TRANSPARENT';

class Expansion {
  readonly intervals: Interval[] = [];
  private readonly range: Interval;
  private scanned = 0;

  constructor(private readonly options: ExpandOptions) {
    this.range = keptRange(options.now);
  }

  add({ master, overrides }: Series): void {
    const zone = this.options.ownerTimeZone;
    // The occurrences that overrides replace, by the instant of their RECURRENCE-ID.
    const replaced = new Set<number>();
    for (const override of overrides) replaced.add(instantOf(override.getFirstPropertyValue('recurrence-id') as ICAL.Time, zone));
    if (master?.hasProperty('dtstart') && isBusy(master)) {
      // RecurExpansion directly: ICAL.Event would scan every VEVENT of the calendar for overrides.
      const iterator = new ICAL.RecurExpansion({ component: master, dtstart: startOfExpansion(master, this.range, zone) });
      const maxOccurrences = this.options.maxOccurrences ?? MAX_OCCURRENCES_SCANNED;
      for (let next = iterator.next(); next; next = iterator.next()) {
        if (++this.scanned > maxOccurrences) {
          throw new CalendarSourceError('TOO_MANY_EVENTS', `the calendar's recurring events repeat more than ${maxOccurrences} times in the synced range`);
        }
        const start = instantOf(next, zone);
        if (start >= this.range.end) break; // occurrences come in order
        if (!replaced.has(start)) this.keep(intervalOf(master, next, zone));
      }
    }
    // A cancelled series takes its overrides with it; otherwise each override stands for itself.
    if (master && isCancelled(master)) return;
    for (const override of overrides) {
      if (override.hasProperty('dtstart') && isBusy(override)) {
        this.keep(intervalOf(override, override.getFirstPropertyValue('dtstart') as ICAL.Time, zone));
      }
    }
  }

  private keep(interval: Interval): void {
    if (interval.end > interval.start && interval.end > this.range.start && interval.start < this.range.end) this.intervals.push(interval);
  }
}

/** Seconds of one step of the frequencies whose steps are fixed on the wall clock. */
const STEP_SECONDS: Partial<Record<string, number>> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3_600, DAILY: 86_400, WEEKLY: 7 * 86_400 };
const HOUR_MS = 3_600_000;

/**
 * Where to start walking the master's occurrences. ical.js walks a rule from DTSTART, one step
 * per occurrence, so a daily series begun years ago would cost thousands of steps before the kept
 * range. An open rule (one RRULE, no COUNT, no RDATE) of fixed-length steps repeats with the same
 * phase after any whole number of steps, so its start is moved by whole steps (on its own wall
 * clock) to well before the range: by more than the event's length plus two steps and two hours
 * (DST), so that the moved start, which ical.js always yields even where BYxxx parts would not,
 * and anything that differs from the true series, ends before the range and is dropped.
 */
function startOfExpansion(master: ICAL.Component, range: Interval, zone: string): ICAL.Time {
  const dtstart = master.getFirstPropertyValue('dtstart') as ICAL.Time;
  const rules = master.getAllProperties('rrule');
  if (rules.length !== 1 || master.hasProperty('rdate')) return dtstart;
  const rule = rules[0]!.getFirstValue() as ICAL.Recur;
  const unit = STEP_SECONDS[rule.freq];
  if (!unit || rule.count) return dtstart;
  const stepSeconds = unit * (rule.interval || 1);
  const first = intervalOf(master, dtstart, zone);
  const margin = first.end - first.start + 2 * stepSeconds * 1000 + 2 * HOUR_MS;
  const steps = Math.floor((range.start - margin - first.start) / (stepSeconds * 1000));
  if (steps <= 0) return dtstart;
  const moved = dtstart.clone();
  if (unit >= 86_400) moved.adjust((steps * stepSeconds) / 86_400, 0, 0, 0);
  else moved.adjust(0, 0, 0, steps * stepSeconds);
  return moved;
}

const MAX_REASON_LENGTH = 160;

/**
 * ical.js reports bad data with plain Errors ("invalid date-time value: …", ParserError); those
 * messages describe the owner's own data and are passed on, shortened. Anything else (a
 * TypeError deep in the parser) says nothing useful to the owner and is not passed on.
 */
function asCalendarError(error: unknown): CalendarSourceError {
  if (error instanceof CalendarSourceError) return error;
  const plain = error instanceof Error && (error.constructor === Error || error.name === 'ParserError');
  // ical.js quotes a bad date after rearranging its characters ("not--a--daTe::"): name the rule only.
  const reason = plain ? error.message.replace(/\s+/g, ' ').replace(/^(invalid date(?:-time)? value):.*$/, '$1').slice(0, MAX_REASON_LENGTH) : '';
  return new CalendarSourceError('MALFORMED', reason ? `the calendar data is not valid iCalendar: ${reason}` : 'the calendar data is not valid iCalendar');
}
