// The time zones the `Time zone` select offers (docs/api.md Part 2, 20): IANA names as values,
// each shown as its offset, a readable place and its current wall time.
import type { HourCycle } from './clock';
import { formatter } from './intl';

/**
 * Old spellings that browsers still list or report: ICU follows CLDR, which kept the first
 * canonical id of a zone after IANA renamed it (Chromium reports Asia/Calcutta for India). Each
 * maps to the name IANA uses now; a browser whose ICU predates the new name keeps the old one.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
};

function known(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The name IANA uses now for `zone`, where this browser knows it. */
export function canonicalZone(zone: string): string {
  const renamed = RENAMED[zone];
  return renamed && known(renamed) ? renamed : zone;
}

/** The browser's zone, in its current IANA name. */
export function detectedZone(): string {
  return canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/** Every zone the browser knows, each once under its current name. */
function canonicalZones(): string[] {
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(listed.map(canonicalZone))];
}

export interface ZoneOption {
  /** The IANA name: the option's value. */
  zone: string;
  /** e.g. "GMT+01:00 Berlin — 14:05" */
  label: string;
  offsetMinutes: number;
}

/** "Berlin", "Buenos Aires", "Knox (Indiana)": the place a zone is named after. */
export function placeOf(zone: string): string {
  const parts = zone.split('/').map((part) => part.replace(/_/g, ' '));
  if (parts.length >= 3) return `${parts[parts.length - 1]} (${parts[parts.length - 2]})`;
  return parts[parts.length - 1]!;
}

/** The zone's offset from UTC at `at`, in minutes, read from Intl's "GMT+05:30". */
function offsetMinutes(zone: string, at: Date): number {
  const name = formatter({ timeZone: zone, timeZoneName: 'longOffset' }, 'en-US').formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `GMT${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function option(zone: string, at: Date, cycle: HourCycle): ZoneOption {
  const minutes = offsetMinutes(zone, at);
  const now = formatter({ timeZone: zone, hour: 'numeric', minute: '2-digit', hourCycle: cycle }).format(at);
  return { zone, offsetMinutes: minutes, label: `${offsetLabel(minutes)} ${placeOf(zone)} — ${now}` };
}

/**
 * The select's options at `at`: the detected zone first, then every other zone by offset (west
 * to east) and place; `including` (the current value) is always there, even if the browser does
 * not list it.
 */
export function zoneOptions(at: Date, cycle: HourCycle, detected: string, including: string): ZoneOption[] {
  const rest = new Set(canonicalZones());
  rest.delete(detected);
  if (including !== detected) rest.add(including);
  const sorted = [...rest]
    .map((zone) => option(zone, at, cycle))
    .sort((a, b) => a.offsetMinutes - b.offsetMinutes || placeOf(a.zone).localeCompare(placeOf(b.zone)));
  return [option(detected, at, cycle), ...sorted];
}
