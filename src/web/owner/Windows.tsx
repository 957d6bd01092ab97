import { useId, useState, type FormEvent } from 'react';
import {
  PageAddOneTimeWindowDocument,
  PageAddRecurringWindowDocument,
  PageCancelOccurrenceDocument,
  PageRemoveWindowDocument,
  PageRestoreOccurrenceDocument,
  type OwnerProfileQuery,
  type Weekday,
} from '../generated/graphql';
import { request } from '../lib/api';
import { formats, localDateOf, zonedInstant } from '../lib/time';
import { Field } from '../components/Field';
import { ConfirmButton } from './ConfirmButton';
import { shortDate, wallTime, zoneName } from './format';
import type { OwnerAction } from './action';

type Window = OwnerProfileQuery['me']['windows'][number];
const WEEKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

function describe(window: Window, zone: string): string {
  if (window.__typename === 'OneTimeWindow') {
    return formats.range(window.startsAt, window.endsAt, zone);
  }
  const every = window.interval > 1 ? `Every ${window.interval} ${window.frequency === 'DAILY' ? 'days' : window.frequency === 'WEEKLY' ? 'weeks' : 'months'}` : window.frequency === 'DAILY' ? 'Daily' : window.frequency === 'WEEKLY' ? 'Weekly' : 'Monthly';
  const days = window.weekdays.map((d) => formats.weekdayShort(WEEKDAYS.indexOf(d))).join(', ');
  const until = window.endsOn ? ` until ${shortDate(window.endsOn)}` : '';
  const times = window.count != null ? `, ${window.count} times` : '';
  return `${every}${days ? ` on ${days}` : ''}, ${wallTime(window.startTime)}–${wallTime(window.endTime)}, from ${shortDate(window.startsOn)}${until}${times}`;
}

/** The owner's availability: the windows, each removable, and a form to add one. */
export function Windows({ windows, zone, act }: { windows: readonly Window[]; zone: string; act: OwnerAction }) {
  return (
    <section className="panel" aria-labelledby="windows-title">
      <h2 id="windows-title">Availability</h2>
      {windows.length === 0 && <p className="hint">No availability yet: add a window below.</p>}
      <ul className="plain-list">
        {windows.map((window) => (
          <WindowItem key={window.id} window={window} zone={zone} act={act} />
        ))}
      </ul>
      <AddWindow zone={zone} act={act} />
    </section>
  );
}

function WindowItem({ window, zone, act }: { window: Window; zone: string; act: OwnerAction }) {
  const [date, setDate] = useState('');
  const text = describe(window, zone);
  const cancelOccurrence = (event: FormEvent) => {
    event.preventDefault();
    if (date) void act((auth) => request(PageCancelOccurrenceDocument, { windowId: window.id, date }, { auth }), `No availability from this window on ${shortDate(date)}.`).then((ok) => ok && setDate(''));
  };
  return (
    <li className="window">
      <p>{text}</p>
      <p className="actions small">
        <ConfirmButton
          label={`Remove window: ${text}`}
          question="Remove this window? Bookings in it stay."
          confirm="Yes, remove it"
          keep="Keep it"
          danger
          onConfirm={() => act((auth) => request(PageRemoveWindowDocument, { id: window.id }, { auth }), 'Window removed.')}
        >
          Remove
        </ConfirmButton>
      </p>
      {window.__typename === 'RecurringWindow' && (
        <>
          {window.exceptions.length > 0 && (
            <ul className="exceptions">
              {window.exceptions.map((exception) => (
                <li key={exception.date}>
                  {exception.cancelled ? 'Cancelled' : 'Moved'} on {shortDate(exception.date)}{' '}
                  <button type="button" className="link-button" onClick={() => act((auth) => request(PageRestoreOccurrenceDocument, { windowId: window.id, date: exception.date }, { auth }), `Restored ${shortDate(exception.date)}.`)}>
                    Restore
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="inline-form" onSubmit={cancelOccurrence}>
            <Field label="Cancel one date" type="date" value={date} onChange={setDate} required />
            <button type="submit">Cancel occurrence</button>
          </form>
        </>
      )}
    </li>
  );
}

function AddWindow({ zone, act }: { zone: string; act: OwnerAction }) {
  const today = localDateOf(new Date(), zone);
  const [repeats, setRepeats] = useState<'weekly' | 'once'>('weekly');
  const [weekdays, setWeekdays] = useState<Weekday[]>(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY']);
  const [date, setDate] = useState(today);
  const [startTime, setStartTime] = useState('09:00');
  const [endTime, setEndTime] = useState('17:00');
  const repeatsId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (repeats === 'weekly') {
      void act((auth) => request(PageAddRecurringWindowDocument, { input: { frequency: 'WEEKLY', weekdays, startTime, endTime, startsOn: date } }, { auth }), 'Weekly window added.');
    } else {
      const startsAt = zonedInstant(date, startTime, zone).toISOString();
      const endsAt = zonedInstant(date, endTime, zone).toISOString();
      void act((auth) => request(PageAddOneTimeWindowDocument, { input: { startsAt, endsAt } }, { auth }), 'Window added.');
    }
  };
  const toggle = (day: Weekday) => setWeekdays((days) => (days.includes(day) ? days.filter((d) => d !== day) : WEEKDAYS.filter((d) => d === day || days.includes(d))));

  return (
    <form className="form add-window" onSubmit={submit} aria-labelledby={`${repeatsId}-title`}>
      <h3 id={`${repeatsId}-title`}>Add a window</h3>
      <div className="field">
        <label htmlFor={repeatsId}>Repeats</label>
        <select id={repeatsId} value={repeats} onChange={(event) => setRepeats(event.target.value as 'weekly' | 'once')}>
          <option value="weekly">Every week</option>
          <option value="once">Once</option>
        </select>
      </div>
      {repeats === 'weekly' && (
        <fieldset className="choice weekdays">
          <legend>Days</legend>
          {WEEKDAYS.map((day, i) => (
            <label key={day}>
              <input type="checkbox" checked={weekdays.includes(day)} onChange={() => toggle(day)} />
              {formats.weekdayShort(i)}
            </label>
          ))}
        </fieldset>
      )}
      <div className="row">
        <Field label={repeats === 'weekly' ? 'Starts on' : 'Date'} type="date" value={date} onChange={setDate} required />
        <Field label="From" type="time" step={300} value={startTime} onChange={setStartTime} required />
        <Field label="To" type="time" step={300} value={endTime} onChange={setEndTime} required />
      </div>
      <p className="hint">Times in {zoneName(zone)}, on a 5-minute grid.</p>
      <button type="submit" className="primary">
        Add window
      </button>
    </form>
  );
}
