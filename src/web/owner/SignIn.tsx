import { useState, type FormEvent } from 'react';
import { PageCreateOwnerDocument } from '../generated/graphql';
import { explain, request } from '../lib/api';
import { detectedZone } from '../lib/time';
import { Field } from '../components/Field';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Alert } from '../components/Messages';
import { tokenShownOnce, type ShownOnce } from './SavedItCard';

/** Sign in with an owner token, or create a calendar and get one. */
export function SignIn({ onSignIn, problem }: { onSignIn(token: string, shown?: ShownOnce): void; problem: string | null }) {
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [zone, setZone] = useState(detectedZone);
  const [createProblem, setCreateProblem] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const signIn = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token.trim());
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setCreateProblem(null);
    try {
      const data = await request(PageCreateOwnerDocument, { input: { name: name.trim(), timeZone: zone } });
      const created = data.createOwner;
      onSignIn(created.token, tokenShownOnce(created.token, 'Calendar created: save your owner token'));
    } catch (error) {
      setCreateProblem(explain(error));
    } finally {
      setCreating(false);
    }
  };

  return (
    <>
      <header className="page-head">
        <p className="eyebrow">Slotbook</p>
        <h1>Your calendar</h1>
      </header>
      <div className="columns">
        <section className="panel" aria-labelledby="sign-in-title">
          <h2 id="sign-in-title">Sign in</h2>
          <form className="form" onSubmit={signIn}>
            <Field label="Owner token" value={token} onChange={setToken} type="password" autoComplete="current-password" required hint="Kept in this tab's session storage until you close the tab or sign out." />
            {problem && <Alert>{problem}</Alert>}
            <button type="submit" className="primary">
              Sign in
            </button>
          </form>
        </section>
        <section className="panel" aria-labelledby="create-title">
          <h2 id="create-title">New here?</h2>
          <form className="form" onSubmit={create}>
            <Field label="Your name" value={name} onChange={setName} required maxLength={200} autoComplete="name" />
            <TimeZoneSelect value={zone} onChange={setZone} label="Your time zone" />
            {createProblem && <Alert>{createProblem}</Alert>}
            <button type="submit" disabled={creating}>
              Create a calendar
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
