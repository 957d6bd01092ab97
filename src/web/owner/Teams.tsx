import { useState, type FormEvent } from 'react';
import { PageAccountTeamsDocument, PageCreateTeamDocument } from '../generated/graphql';
import { explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { Field } from '../components/Field';
import { Alert } from '../components/Messages';
import type { AccountSession } from './account-session';
import type { CalendarChoice } from './AccountCalendars';
import { TeamPanel } from './TeamPanel';
import { useFieldErrors } from './use-field-errors';

const SLUG_PATTERN = '[a-z0-9]([a-z0-9\\-]*[a-z0-9])?';

/**
 * The account's teams (docs/api.md, Part 3, 35-39), acting with its access token and no
 * Slotbook-Calendar header: Account.teams lists the ones it administers, by name, and is read
 * again after each change here, so a reload or another tab shows the same teams.
 */
export function Teams({ session, calendars }: { session: AccountSession; calendars: readonly CalendarChoice[] }) {
  // The key stays the same: reload() keeps the shown teams (and their forms) while it reads them again.
  const loaded = useLoad(session.account.id, () => request(PageAccountTeamsDocument, {}, { auth: session.self }));
  // A null account (its session just ended) has no teams; AccountCalendars signs it out.
  const teams = loaded.data ? (loaded.data.account?.teams ?? []) : null;
  return (
    <section className="panel teams" aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <p className="hint">
        A team books its members’ calendars together: round robin gives each booking to one free member, collective needs every member free. Members are calendars you are a
        member of.
      </p>
      {loaded.error ? <Alert>{explain(loaded.error)}</Alert> : !teams && <p className="hint">Loading your teams…</p>}
      {teams?.map((team) => (
        <TeamPanel key={team.id} team={team} session={session} calendars={calendars} onChanged={loaded.reload} />
      ))}
      <CreateTeam session={session} onCreated={loaded.reload} />
    </section>
  );
}

const TEAM_INPUTS = { name: { input: 'name', label: 'Team name' }, slug: { input: 'slug', label: 'Team link name' } } as const;

function CreateTeam({ session, onCreated }: { session: AccountSession; onCreated(): void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const form = useFieldErrors(TEAM_INPUTS);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await form.run(() => request(PageCreateTeamDocument, { input: { name: name.trim(), slug: slug.trim() } }, { auth: session.self }));
    if (done) {
      onCreated();
      setName('');
      setSlug('');
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-labelledby="create-team-title">
      <h3 id="create-team-title">Create a team</h3>
      <Field label="Team name" value={name} onChange={setName} required maxLength={200} error={form.errorOf('name')} />
      <Field
        label="Team link name"
        value={slug}
        onChange={setSlug}
        required
        maxLength={60}
        pattern={SLUG_PATTERN}
        hint="Lower-case letters, digits and dashes: /team/<link name>/…"
        error={form.errorOf('slug')}
      />
      {form.problem && <Alert>{form.problem}</Alert>}
      <button type="submit" className="primary" disabled={form.busy}>
        Create team
      </button>
    </form>
  );
}
