/*
 * Which zone a TZID names (docs/api.md Part 3, 28): the VTIMEZONE in the data first (ical.js
 * reads it from the document), else an IANA name the runtime knows, else a Windows zone name as
 * CLDR maps it (Unicode's own table, cldr-core's windowsZones.json, territory "001"). IANA and
 * Windows names get a zone whose offsets come from Intl, the same source the slot engine uses,
 * so busy time and slots agree on every DST night. A TZID that is none of these is read as a
 * floating time (the owner's zone), as ical.js does by itself.
 */
import ICAL from 'ical.js';
import windowsZones from 'cldr-core/supplemental/windowsZones.json';
import { isValidTimeZone, wallTimeToInstant } from '../../scheduling';

const WINDOWS_TO_IANA: ReadonlyMap<string, string> = new Map(
  windowsZones.supplemental.windowsZones.mapTimezones
    .filter(({ mapZone }) => mapZone._territory === '001')
    .map(({ mapZone }) => [mapZone._other, mapZone._type]),
);

/** The IANA zone CLDR maps a Windows zone name to ('W. Europe Standard Time' -> 'Europe/Berlin'). */
export function ianaZoneOfWindowsName(name: string): string | undefined {
  return WINDOWS_TO_IANA.get(name);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An ical.js zone whose offsets come from Intl; ical.js asks it nothing but utcOffset. */
class IntlZone extends ICAL.Timezone {
  constructor(readonly ianaName: string) {
    super({ tzid: ianaName });
  }

  /** Seconds east of UTC at the wall time `time`, with the engine's gap/overlap rule. */
  override utcOffset(time: ICAL.Time): number {
    const date = `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
    const instant = wallTimeToInstant(date, time.hour * 60 + time.minute, this.ianaName) + time.second * 1000;
    const wallAsUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    return (wallAsUtc - instant) / 1000;
  }
}

// Keyed by Intl's canonical name, so its size is bounded by the zones that exist, whatever
// spellings the data uses.
const intlZones = new Map<string, IntlZone>();

function intlZoneFor(tzid: string): IntlZone | null {
  const name = isValidTimeZone(tzid) ? tzid : ianaZoneOfWindowsName(tzid);
  if (!name || !isValidTimeZone(name)) return null;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  let zone = intlZones.get(canonical);
  if (!zone) {
    zone = new IntlZone(canonical);
    intlZones.set(canonical, zone);
  }
  return zone;
}

/**
 * Makes the calendar resolve TZIDs as described above. ical.js asks the root VCALENDAR for every
 * TZID it meets (getTimeZoneByID); this answers from the document's own VTIMEZONEs first, then
 * from IANA and Windows names. Per document: nothing global (ical.js's TimezoneService) changes,
 * so one feed's data can never alter how another feed is read. Answers are remembered for the
 * document, misses too (ical.js would scan every component again for each time it reads).
 */
export function resolveZonesOf(vcalendar: ICAL.Component): void {
  const fromDocument = vcalendar.getTimeZoneByID.bind(vcalendar);
  const resolved = new Map<string, ICAL.Timezone | null>();
  vcalendar.getTimeZoneByID = (tzid: string) => {
    let zone = resolved.get(tzid);
    if (zone === undefined) {
      zone = fromDocument(tzid) ?? intlZoneFor(tzid);
      resolved.set(tzid, zone);
    }
    return zone as ICAL.Timezone;
  };
}
