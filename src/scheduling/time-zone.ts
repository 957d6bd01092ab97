/*
 * Wall clock <-> instant conversion for IANA zones. Offsets come from @date-fns/tz's tzOffset
 * (Intl underneath); the engine memoises one offset per zone and day, so a year of slots asks
 * Intl a few hundred times, not once per slot. Temporal's 'compatible' disambiguation (gap:
 * shift forward by the gap length; overlap: the earlier instant) is done here, since date-fns
 * has no notion of it.
 */
import { tzOffset } from '@date-fns/tz';
import { MS_PER_DAY, MS_PER_MINUTE, parseLocalDate, formatLocalDate } from './local-date';

/** UTC offset (local minus UTC) in milliseconds at `instant`; NaN for a zone the runtime does not know. */
export function zoneOffsetMs(instant: number, zone: string): number {
  // tzOffset answers minutes, with seconds as a fraction for the odd historical offset (LMT).
  return Math.round(tzOffset(zone, new Date(instant)) * MS_PER_MINUTE);
}

/*
 * Per zone: day number -> the single UTC offset in force for every wall time of that day and
 * the next day's 00:00, or NaN when a transition falls near it. Bounded so a long-running
 * process cannot grow it without limit.
 */
const uniformDayOffsets = new Map<string, Map<number, number>>();
const MAX_CACHED_DAYS_PER_ZONE = 20_000;
// Every real offset lies within [-12h, +14h]; sampling 15h before local midnight and 15h after the
// next local midnight brackets every instant whose wall clock falls on this day.
const BRACKET_MS = 15 * 3_600_000;

function uniformOffsetOfDay(days: number, zone: string): number {
  let perZone = uniformDayOffsets.get(zone);
  if (!perZone) {
    perZone = new Map();
    uniformDayOffsets.set(zone, perZone);
  }
  let offset = perZone.get(days);
  if (offset === undefined) {
    const before = zoneOffsetMs(days * MS_PER_DAY - BRACKET_MS, zone);
    const after = zoneOffsetMs((days + 1) * MS_PER_DAY + BRACKET_MS, zone);
    offset = before === after ? before : NaN;
    if (perZone.size >= MAX_CACHED_DAYS_PER_ZONE) perZone.clear();
    perZone.set(days, offset);
  }
  return offset;
}

/** Like wallTimeToInstant, with the date already a day number (the hot path of expansion). */
export function wallTimeToInstantOnDay(days: number, minutes: number, zone: string): number {
  const wallAsUtc = days * MS_PER_DAY + minutes * MS_PER_MINUTE;
  const uniform = uniformOffsetOfDay(days, zone);
  if (!Number.isNaN(uniform)) return wallAsUtc - uniform;

  // A transition is near: Temporal's 'compatible' disambiguation.
  const offsetBefore = zoneOffsetMs(wallAsUtc - MS_PER_DAY, zone);
  const offsetAfter = zoneOffsetMs(wallAsUtc + MS_PER_DAY, zone);
  const earlier = wallAsUtc - Math.max(offsetBefore, offsetAfter);
  const later = wallAsUtc - Math.min(offsetBefore, offsetAfter);
  const earlierValid = wallAsUtc - zoneOffsetMs(earlier, zone) === earlier;
  if (earlierValid) return earlier; // unique, or the first of a repeated wall time
  const laterValid = wallAsUtc - zoneOffsetMs(later, zone) === later;
  if (laterValid) return later;
  // Skipped wall time: read it with the offset before the gap, i.e. move forward by the gap length.
  return wallAsUtc - offsetBefore;
}

/**
 * The instant at which the wall clock of `zone` shows `minutes` after midnight of local `date`
 * (1440 = the next day's 00:00). Gap: moved forward by the gap length; repeated: the earlier instant.
 */
export function wallTimeToInstant(date: string, minutes: number, timeZone: string): number {
  return wallTimeToInstantOnDay(parseLocalDate(date), minutes, timeZone);
}

export function localDayOf(instant: number, timeZone: string): number {
  return Math.floor((instant + zoneOffsetMs(instant, timeZone)) / MS_PER_DAY);
}

/**
 * Like localDayOf, found between the cached 00:00 instants of the days around `instant`, so
 * that walking a year of slots asks Intl about transition days only. The same day wherever the
 * clock never goes back across midnight (every zone in use today).
 */
export function localDayBetweenMidnights(instant: number, timeZone: string): number {
  // Offsets lie within [-12h, +14h]: the local day is the UTC day or one of its neighbours.
  const utcDay = Math.floor(instant / MS_PER_DAY);
  if (instant < wallTimeToInstantOnDay(utcDay, 0, timeZone)) return utcDay - 1;
  if (instant >= wallTimeToInstantOnDay(utcDay + 1, 0, timeZone)) return utcDay + 1;
  return utcDay;
}

/** The local calendar date of `instant` in `timeZone`, 'YYYY-MM-DD'. */
export function localDateOf(instant: number, timeZone: string): string {
  return formatLocalDate(localDayOf(instant, timeZone));
}

// IANA names are Area/Location (or single names like UTC); rejects offsets such as 'UTC+3' or '+03:00'.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** True for IANA zone names the runtime knows ('UTC', 'Etc/UTC', 'America/New_York'). */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || !IANA_NAME.test(zone)) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size < 1_000) knownZones.add(zone);
  return true;
}

/** Zone names Intl accepted (there are about 600), so checking one costs no formatter after the first time. */
const knownZones = new Set<string>();
