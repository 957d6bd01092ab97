import type { OwnerProfileQuery, OwnerWeekBookingsQuery } from '../generated/graphql';
import { addDays, localDateOf, weekdayOf, zonedInstant, type LocalDate } from '../lib/time';

// The owner's free time: availability windows minus the time bookings occupy (docs/api.md
// Part 2, 10), computed in the browser from what the page already reads. Unlike freeSlots it
// does not cut the windows into slots of the owner's length, so a window only an event type's
// shorter slots fit into shows as the free time it is.

type Window = OwnerProfileQuery['me']['windows'][number];
type Recurring = Extract<Window, { __typename?: 'RecurringWindow' }>;
type Booking = OwnerWeekBookingsQuery['me']['bookings']['edges'][number]['node'];
/** Milliseconds since the epoch, [start, end). */
interface Span { start: number; end: number }

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const DAY_MS = 86_400_000;
const daysBetween = (from: LocalDate, to: LocalDate) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** Whether the rule (RFC 5545, weeks from Monday) produces `date`, leaving `count` aside. */
function ruleProduces(rule: Recurring, date: LocalDate): boolean {
  if (date < rule.startsOn || (rule.endsOn && date > rule.endsOn)) return false;
  const weekday = WEEKDAYS[weekdayOf(date)]!;
  switch (rule.frequency) {
    case 'DAILY':
      return daysBetween(rule.startsOn, date) % rule.interval === 0 && (rule.weekdays.length === 0 || rule.weekdays.includes(weekday as never));
    case 'WEEKLY': {
      const days: string[] = rule.weekdays.length > 0 ? rule.weekdays : [WEEKDAYS[weekdayOf(rule.startsOn)]!];
      const weeks = daysBetween(addDays(rule.startsOn, -weekdayOf(rule.startsOn)), addDays(date, -weekdayOf(date))) / 7;
      return weeks % rule.interval === 0 && days.includes(weekday);
    }
    case 'MONTHLY': {
      const months = (Number(date.slice(0, 4)) - Number(rule.startsOn.slice(0, 4))) * 12 + Number(date.slice(5, 7)) - Number(rule.startsOn.slice(5, 7));
      return date.slice(8) === rule.startsOn.slice(8) && months % rule.interval === 0;
    }
    default:
      return false;
  }
}

/** The last date a rule with a `count` may occur on (its count-th occurrence), searched up to `until`. */
function lastCounted(rule: Recurring, until: LocalDate): LocalDate | null {
  if (rule.count == null) return null;
  let seen = 0;
  for (let date = rule.startsOn; date <= until; date = addDays(date, 1)) {
    if (ruleProduces(rule, date) && ++seen === rule.count) return date;
  }
  return null;
}

/** Every window's intervals overlapping the local dates [first, last], exceptions applied. */
function windowSpans(windows: readonly Window[], first: LocalDate, last: LocalDate, zone: string): Span[] {
  const spans: Span[] = [];
  const instant = (date: LocalDate, time: string) => (time === '24:00' ? zonedInstant(addDays(date, 1), '00:00', zone) : zonedInstant(date, time, zone)).getTime();
  for (const window of windows) {
    if (window.__typename === 'OneTimeWindow') {
      spans.push({ start: Date.parse(window.startsAt), end: Date.parse(window.endsAt) });
      continue;
    }
    if (window.__typename !== 'RecurringWindow') continue;
    const lastDate = lastCounted(window, last);
    const overrides = new Map(window.exceptions.filter((e) => ruleProduces(window, e.date)).map((e) => [e.date, e]));
    for (const e of overrides.values()) {
      if (!e.cancelled && e.startsAt && e.endsAt) spans.push({ start: Date.parse(e.startsAt), end: Date.parse(e.endsAt) });
    }
    // A day either side: an occurrence of the evening before may reach into the range.
    for (let date = addDays(first, -1); date <= addDays(last, 1); date = addDays(date, 1)) {
      if (!ruleProduces(window, date) || overrides.has(date)) continue;
      if (window.count != null && (lastDate === null ? false : date > lastDate)) continue;
      spans.push({ start: instant(date, window.startTime), end: instant(date, window.endTime) });
    }
  }
  return spans;
}

/** Sorted, overlapping or touching spans joined. */
function union(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** `from` with every span of `minus` taken out; both sorted and merged. */
function subtract(from: Span[], minus: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of from) {
    let start = span.start;
    for (const busy of minus) {
      if (busy.end <= start || busy.start >= span.end) continue;
      if (busy.start > start) out.push({ start, end: busy.start });
      start = Math.max(start, busy.end);
    }
    if (start < span.end) out.push({ start, end: span.end });
  }
  return out;
}

/** The span a live booking keeps busy: its time and its event type's buffers (docs/api.md Part 2, 10). */
function occupied(booking: Booking): Span {
  const before = (booking.eventType?.bufferBeforeMinutes ?? 0) * 60_000;
  const after = (booking.eventType?.bufferAfterMinutes ?? 0) * 60_000;
  return { start: Date.parse(booking.startsAt) - before, end: Date.parse(booking.endsAt) + after };
}

export interface FreeSpan { startsAt: string; endsAt: string }

/**
 * Free time per local date of `days` in `zone`, from `now` on: the windows minus the occupied
 * spans of every booking not cancelled, cut at each local midnight.
 */
export function freeTimeByDay(windows: readonly Window[], bookings: readonly Booking[], days: readonly LocalDate[], zone: string, now: Date): Map<LocalDate, FreeSpan[]> {
  const byDay = new Map<LocalDate, FreeSpan[]>();
  if (days.length === 0) return byDay;
  const busy = union(bookings.filter((b) => b.status !== 'CANCELLED').map(occupied));
  const free = subtract(union(windowSpans(windows, days[0]!, days[days.length - 1]!, zone)), busy);
  for (const day of days) {
    const dayStart = Math.max(zonedInstant(day, '00:00', zone).getTime(), now.getTime());
    const dayEnd = zonedInstant(addDays(day, 1), '00:00', zone).getTime();
    const spans = free
      .filter((s) => s.end > dayStart && s.start < dayEnd)
      .map((s) => ({ startsAt: new Date(Math.max(s.start, dayStart)).toISOString(), endsAt: new Date(Math.min(s.end, dayEnd)).toISOString() }));
    if (spans.length > 0 && localDateOf(spans[0]!.startsAt, zone) === day) byDay.set(day, spans);
  }
  return byDay;
}
