import { useId, useState, type FormEvent } from 'react';
import {
  OwnerCalendarSourcesPageDocument,
  PageAddCalendarSourceDocument,
  PageRemoveCalendarSourceDocument,
  PageSyncCalendarSourceDocument,
  type CalendarSourceKind,
  type OwnerCalendarSourcesPageQuery,
} from '../generated/graphql';
import { explain, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { formats, localDateOf } from '../lib/time';
import { Field } from '../components/Field';
import { Alert } from '../components/Messages';
import { ConfirmButton } from './ConfirmButton';
import type { OwnerAction } from './action';

type Source = OwnerCalendarSourcesPageQuery['me']['calendarSources'][number];

interface Props {
  auth: OwnerAuth;
  zone: string;
  version: number;
  act: OwnerAction;
}

/** The owner's other calendars (docs/api.md Part 3, 28-30): their events are busy time. */
export function CalendarSources({ auth, zone, version, act }: Props) {
  const [refreshed, setRefreshed] = useState(0);
  const loaded = useLoad(`${auth.key}#${version}#${refreshed}`, () => request(OwnerCalendarSourcesPageDocument, {}, { auth }));
  const sources = loaded.data?.me.calendarSources;
  return (
    <section className="panel" aria-labelledby="calendars-title">
      <div className="panel-head">
        <h2 id="calendars-title">Other calendars</h2>
        <button type="button" onClick={() => setRefreshed((n) => n + 1)} disabled={loaded.loading}>
          Refresh status
        </button>
      </div>
      <p className="hint">Events in these calendars are busy time: nobody can book over them. They sync every few minutes.</p>
      {loaded.error != null && <Alert>{explain(loaded.error)}</Alert>}
      {sources?.length === 0 && <p className="hint">No calendars yet.</p>}
      <ul className="plain-list" aria-busy={loaded.loading}>
        {sources?.map((source) => <SourceItem key={source.id} source={source} zone={zone} act={act} />)}
      </ul>
      <AddSource act={act} />
    </section>
  );
}

function SourceItem({ source, zone, act }: { source: Source; zone: string; act: OwnerAction }) {
  const label = source.name ?? source.url;
  const synced = source.lastSyncedAt ? `last synced ${formats.shortDate(localDateOf(source.lastSyncedAt, zone))} ${formats.time(source.lastSyncedAt, zone)}` : 'not synced yet';
  return (
    <li className="endpoint" data-source={source.id} data-status={source.status}>
      <p className="endpoint-url" title={source.url}>
        <strong>{label}</strong>
      </p>
      <p className="hint">
        {source.kind === 'ICS' ? 'iCalendar feed' : 'CalDAV'} · <span className={`badge badge-${source.status.toLowerCase()}`}>{source.status.toLowerCase()}</span> · {synced} ·{' '}
        {source.busyIntervals} busy {source.busyIntervals === 1 ? 'interval' : 'intervals'}
      </p>
      {source.lastError && <p className="delivery-error">{source.lastError}</p>}
      <p className="actions small">
        <button type="button" aria-label={`Sync ${label} now`} onClick={() => act((auth) => request(PageSyncCalendarSourceDocument, { id: source.id }, { auth }), 'Calendar synced.')}>
          Sync now
        </button>
        <ConfirmButton
          label={`Remove ${label}`}
          question="Remove this calendar? Its busy time goes with it."
          confirm="Yes, remove it"
          keep="Keep it"
          danger
          onConfirm={() => act((auth) => request(PageRemoveCalendarSourceDocument, { id: source.id }, { auth }), 'Calendar removed.')}
        >
          Remove
        </ConfirmButton>
      </p>
    </li>
  );
}

function AddSource({ act }: { act: OwnerAction }) {
  const id = useId();
  const [kind, setKind] = useState<CalendarSourceKind>('ICS');
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { kind, url: url.trim(), name: name.trim() || null, username: username || null, password: password || null };
    if (await act((auth) => request(PageAddCalendarSourceDocument, { input }, { auth }), 'Calendar added: it syncs in a moment.')) {
      setUrl('');
      setName('');
      setUsername('');
      setPassword('');
    }
  };
  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add a calendar</h3>
      <fieldset className="choice">
        <legend>Kind</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'ICS'} onChange={() => setKind('ICS')} />
          iCalendar feed (ICS)
        </label>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'CALDAV'} onChange={() => setKind('CALDAV')} />
          CalDAV calendar
        </label>
      </fieldset>
      <Field label="Calendar URL" type="url" value={url} onChange={setUrl} required maxLength={2048} placeholder="https://example.com/calendar.ics" />
      <Field label="Calendar name" value={name} onChange={setName} maxLength={200} />
      <Field label="Calendar username" value={username} onChange={setUsername} maxLength={1000} autoComplete="off" />
      <Field label="Calendar password" type="password" value={password} onChange={setPassword} maxLength={1000} autoComplete="new-password" />
      <button type="submit" className="primary">
        Add calendar
      </button>
    </form>
  );
}
