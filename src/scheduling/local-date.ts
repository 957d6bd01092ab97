/*
 * Calendar arithmetic on local dates as day numbers (days since 1970-01-01), so that
 * recurrence can jump straight to any day/week/month index without walking from startsOn.
 * Civil-date conversions follow Howard Hinnant's days_from_civil / civil_from_days.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const LOCAL_DATE = /^(\d{4,6})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' to a day number; throws on malformed or impossible dates (2027-02-30). */
export function parseLocalDate(date: string): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`Invalid local date: ${date}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`Invalid local date: ${date}`);
  }
  return daysFromCivil(year, month, day);
}

export function formatLocalDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_LENGTHS[month - 1]!;
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayIndex(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/** Day number of the Monday starting the week that contains `days`. */
export function mondayOnOrBefore(days: number): number {
  return days - isoWeekdayIndex(days);
}
