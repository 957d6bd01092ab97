import { useEffect, useId, useState, type FormEvent } from 'react';
import { PageAccountCalendarsDocument, PageCreateCalendarDocument } from '../generated/graphql';
import { ApiError, explain, fieldProblem, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { detectedZone } from '../lib/time';
import { Field } from '../components/Field';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Alert } from '../components/Messages';
import type { AccountSession } from './account-session';

export interface CalendarChoice {
  id: string;
  name: string;
}

/**
 * The account's calendars: a select labelled Calendar switches between them (docs/api.md,
 * Part 3, 34), and Create calendar adds one (createCalendar). `children` renders the chosen one
 * (and gets them all: a team's members are chosen among them).
 */
export function AccountCalendars({ session, onSignOut, children }: { session: AccountSession; onSignOut(why?: string): void; children(calendar: CalendarChoice, chooser: React.ReactNode, calendars: readonly CalendarChoice[]): React.ReactNode }) {
  const [version, setVersion] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const selectId = useId();
  const loaded = useLoad(`${session.account.id}#${version}`, () => request(PageAccountCalendarsDocument, {}, { auth: session.self }));
  // By name, so the first one (shown after a reload) and the options' order are the same every time.
  const calendars = (loaded.data?.account?.calendars ?? []).map((m) => m.calendar).sort((a, b) => a.name.localeCompare(b.name));
  const current = calendars.find((c) => c.id === chosen) ?? calendars[0] ?? null;
  useEffect(() => {
    if (current && current.id !== chosen) setChosen(current.id);
  }, [current, chosen]);
  // The session ended elsewhere (a password reset, a reused refresh token): back to the sign-in form.
  const ended = loaded.error instanceof ApiError && loaded.error.code === 'UNAUTHENTICATED';
  useEffect(() => {
    if (ended) onSignOut('Your session has ended. Please sign in again.');
  }, [ended, onSignOut]);

  const created = (id: string) => {
    setChosen(id);
    setCreating(false);
    setVersion((v) => v + 1);
  };
  if (loaded.error) return <Alert>{explain(loaded.error)}</Alert>;
  if (!loaded.data) return <p className="hint">Loading your calendars…</p>;
  if (!current || creating) return <CreateCalendar session={session} first={!current} onCreated={created} onCancel={current ? () => setCreating(false) : () => onSignOut()} />;
  const chooser = (
    <div className="calendar-chooser">
      <div className="field">
        <label htmlFor={selectId}>Calendar</label>
        <select id={selectId} value={current.id} onChange={(event) => setChosen(event.target.value)}>
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={() => setCreating(true)}>
        Create calendar
      </button>
    </div>
  );
  return <>{children(current, chooser, calendars)}</>;
}

function CreateCalendar({ session, first, onCreated, onCancel }: { session: AccountSession; first: boolean; onCreated(id: string): void; onCancel(): void }) {
  const [name, setName] = useState(first ? session.account.name : '');
  const [zone, setZone] = useState(detectedZone);
  const [problem, setProblem] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setNameError(null);
    try {
      const data = await request(PageCreateCalendarDocument, { input: { name: name.trim(), timeZone: zone } }, { auth: session.self });
      onCreated(data.createCalendar.id);
    } catch (error) {
      const named = fieldProblem(error, { name: { input: 'name', label: 'Calendar name' } });
      if (named) setNameError(named.message);
      else setProblem(explain(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="create-calendar-title">
      <h2 id="create-calendar-title">{first ? 'Create your first calendar' : 'Create calendar'}</h2>
      <p className="hint">Signed in as {session.account.email}.</p>
      <form className="form" onSubmit={(event) => void submit(event)}>
        <Field label="Calendar name" value={name} onChange={setName} required maxLength={200} error={nameError} />
        <TimeZoneSelect value={zone} onChange={setZone} label="Its time zone" />
        {problem && <Alert>{problem}</Alert>}
        <button type="submit" className="primary" disabled={busy}>
          Create calendar
        </button>
        <button type="button" onClick={onCancel}>
          {first ? 'Sign out' : 'Cancel'}
        </button>
      </form>
    </section>
  );
}
