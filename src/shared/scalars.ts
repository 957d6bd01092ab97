import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { daysInMonth, isValidTimeZone } from '../scheduling';
import { ScalarParseError } from './errors';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instants DateTime accepts: from 1970-01-01T00:00Z up to, not including, 9999-12-31T00:00Z.
 * The ORM hands PostgreSQL a Date as its toISOString(), which timestamptz refuses for year 0000
 * ("date/time field value out of range") and for the six-digit years past 9999 ("+010000-…");
 * SQLite stores epoch milliseconds, but one rule serves both databases. The server adds at most one
 * day (the longest slot, 1440 minutes) to an instant it was given (a booking's end, the calendar
 * read behind freeSlots and bookSlot), so the last accepted day is 9999-12-30 and everything it
 * stores or compares stays in years 1970 to 9999 on both databases.
 */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31);

/** Whether `ms` is an instant DateTime accepts (MIN_INSTANT_MS ≤ ms < MAX_INSTANT_MS). */
export function isInstantInRange(ms: number): boolean {
  return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS;
}

/** The years LocalDate accepts: the calendar years of the instants DateTime accepts. */
const MIN_LOCAL_YEAR = 1970;
const MAX_LOCAL_YEAR = 9999;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw new ScalarParseError(`${scalar} must be a string`);
  return ast.value;
}

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw new ScalarParseError('DateTime must be an ISO-8601 string');
  const m = ISO_INSTANT.exec(value);
  const fail = () => new ScalarParseError(`DateTime must be ISO-8601 with Z or an offset, e.g. 2027-03-15T09:00:00-04:00; got "${value.slice(0, 40)}"`);
  if (!m) throw fail();
  const [, y, mo, d, h, mi, s = '0', , zone, oh = '0', om = '0'] = m;
  if (!isCalendarDate(+y!, +mo!, +d!) || +h! > 23 || +mi! > 59 || +s > 59) throw fail();
  if (zone !== 'Z' && (+oh > 23 || +om > 59)) throw fail();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw fail();
  if (!isInstantInRange(ms)) {
    throw new ScalarParseError(`DateTime must lie from 1970-01-01T00:00:00Z up to (not including) 9999-12-31T00:00:00Z; got "${value.slice(0, 40)}"`);
  }
  return new Date(ms);
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO-8601. Input carries Z or an offset (2027-03-15T09:00:00-04:00), from 1970-01-01T00:00Z up to but not including 9999-12-31T00:00Z; output is UTC with Z.',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw new TypeError('DateTime cannot serialize a non-Date');
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(stringLiteral(ast, 'DateTime')),
});

/** YYYY-MM-DD naming a real calendar day (any year 0000 to 9999), or null. */
function calendarDateOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = LOCAL_DATE.exec(value);
  return m && isCalendarDate(+m[1]!, +m[2]!, +m[3]!) ? value : null;
}

/** A LocalDate argument: a calendar date in years 1970 to 9999, like the instants DateTime accepts. */
export function parseLocalDate(value: unknown): string {
  if (typeof value !== 'string') throw new ScalarParseError('LocalDate must be a YYYY-MM-DD string');
  if (calendarDateOrNull(value) === null) {
    throw new ScalarParseError(`LocalDate must be a calendar date YYYY-MM-DD; got "${value.slice(0, 40)}"`);
  }
  const year = +value.slice(0, 4);
  if (year < MIN_LOCAL_YEAR || year > MAX_LOCAL_YEAR) {
    throw new ScalarParseError(`LocalDate must lie in the years ${MIN_LOCAL_YEAR} to ${MAX_LOCAL_YEAR}; got "${value}"`);
  }
  return value;
}

/** Output checks the form only: a date stored before the year bound still reads back. */
function serializeLocalDate(value: unknown): string {
  const date = calendarDateOrNull(value);
  if (date === null) throw new TypeError('LocalDate cannot serialize this value');
  return date;
}

export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: 'LocalDate',
  description: "A calendar date YYYY-MM-DD in the owner's time zone.",
  serialize: serializeLocalDate,
  parseValue: parseLocalDate,
  parseLiteral: (ast) => parseLocalDate(stringLiteral(ast, 'LocalDate')),
});

/** Minutes since midnight; 1440 is `24:00`, the end of the day. */
export function parseLocalTime(value: unknown): number {
  if (typeof value !== 'string') throw new ScalarParseError('LocalTime must be an HH:mm string');
  const m = LOCAL_TIME.exec(value);
  const minutes = m ? +m[1]! * 60 + +m[2]! : NaN;
  if (!m || +m[2]! > 59 || (m[3] !== undefined && m[3] !== '00') || minutes > 1440) {
    throw new ScalarParseError(`LocalTime must be HH:mm (00:00 to 24:00, seconds only as :00); got "${value.slice(0, 40)}"`);
  }
  return minutes;
}

export function formatLocalTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export const LocalTimeScalar = new GraphQLScalarType<number, string>({
  name: 'LocalTime',
  description: "Wall-clock time HH:mm in the owner's time zone; 24:00 is the end of the day.",
  serialize(value) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1440) return formatLocalTime(value);
    throw new TypeError('LocalTime cannot serialize this value');
  },
  parseValue: parseLocalTime,
  parseLiteral: (ast) => parseLocalTime(stringLiteral(ast, 'LocalTime')),
});

let spellings: Map<string, string> | undefined;
function zoneSpelling(): Map<string, string> {
  spellings ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.toLowerCase(), zone]));
  return spellings;
}

export function parseTimeZone(value: unknown): string {
  if (typeof value !== 'string' || !isValidTimeZone(value)) {
    throw new ScalarParseError(`TimeZone must be an IANA zone name such as America/New_York; got "${String(value).slice(0, 40)}"`);
  }
  // Intl ignores case; store the usual spelling (america/new_york → America/New_York) but never swap
  // a name for ICU's alias of it (ICU would turn Asia/Kolkata into Asia/Calcutta).
  return zoneSpelling().get(value.toLowerCase()) ?? value;
}

export const TimeZoneScalar = new GraphQLScalarType<string, string>({
  name: 'TimeZone',
  description: 'An IANA time zone name, e.g. America/New_York.',
  serialize: (value) => String(value),
  parseValue: parseTimeZone,
  parseLiteral: (ast) => parseTimeZone(stringLiteral(ast, 'TimeZone')),
});
