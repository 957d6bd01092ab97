import { useState, type FormEvent } from 'react';
import { PageCreateTeamDocument, PageOwnerTeamDocument } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { Field } from '../components/Field';
import { Alert } from '../components/Messages';
import type { AccountSession } from './account-session';
import type { CalendarChoice } from './AccountCalendars';
import { TeamPanel } from './TeamPanel';
import { useFieldErrors } from './use-field-errors';

const SLUG_PATTERN = '[a-z0-9]([a-z0-9\\-]*[a-z0-9])?';

/**
 * The account's teams (docs/api.md, Part 3, 35-39), acting with its access token and no
 * Slotbook-Calendar header. The API lists no teams of an account, so this shows the teams created
 * here and the ones opened by their link name (Query.team), for as long as the page is open.
 */
export function Teams({ session, calendars }: { session: AccountSession; calendars: readonly CalendarChoice[] }) {
  const [slugs, setSlugs] = useState<string[]>([]);
  const show = (slug: string) => setSlugs((known) => (known.includes(slug) ? known : [...known, slug]));
  return (
    <section className="panel teams" aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <p className="hint">
        A team books its members’ calendars together: round robin gives each booking to one free member, collective needs every member free. Members are calendars you are a
        member of.
      </p>
      {slugs.map((slug) => (
        <TeamPanel key={slug} slug={slug} session={session} calendars={calendars} />
      ))}
      <div className="columns">
        <CreateTeam session={session} onCreated={show} />
        <OpenTeam session={session} onFound={show} />
      </div>
    </section>
  );
}

const TEAM_INPUTS = { name: { input: 'name', label: 'Team name' }, slug: { input: 'slug', label: 'Team link name' } } as const;

function CreateTeam({ session, onCreated }: { session: AccountSession; onCreated(slug: string): void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const form = useFieldErrors(TEAM_INPUTS);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let created = '';
    const done = await form.run(async () => {
      created = (await request(PageCreateTeamDocument, { input: { name: name.trim(), slug: slug.trim() } }, { auth: session.self })).createTeam.slug;
    });
    if (done) {
      onCreated(created);
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

/** A team this account administers, found by its link name: the API has no list of an account's teams. */
function OpenTeam({ session, onFound }: { session: AccountSession; onFound(slug: string): void }) {
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Members are read only by an account administering the team: FORBIDDEN tells the others.
      const { team } = await request(PageOwnerTeamDocument, { slug: slug.trim() }, { auth: session.self });
      if (!team) setError('No team has that link name.');
      else {
        onFound(team.slug);
        setSlug('');
      }
    } catch (failure) {
      setError(failure instanceof ApiError && failure.code === 'FORBIDDEN' ? 'That team is administered by another account.' : explain(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} aria-labelledby="open-team-title">
      <h3 id="open-team-title">Open a team</h3>
      <Field label="Link name of a team" value={slug} onChange={setSlug} required maxLength={60} error={error} hint="A team you administer, to manage it here." />
      <button type="submit" disabled={busy}>
        Open team
      </button>
    </form>
  );
}
