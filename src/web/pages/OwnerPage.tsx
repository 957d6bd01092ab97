import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { OwnerProfileDocument } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { Alert, Status } from '../components/Messages';
import { SignIn } from '../owner/SignIn';
import { WeekCalendar } from '../owner/WeekCalendar';
import { Windows } from '../owner/Windows';
import { EventTypes } from '../owner/EventTypes';
import { UpcomingBookings } from '../owner/UpcomingBookings';
import { Sharing } from '../owner/Sharing';
import { Settings } from '../owner/Settings';
import { Webhooks } from '../owner/Webhooks';
import { CalendarSources } from '../owner/CalendarSources';
import { SavedItCard, tokenShownOnce, type ShownOnce } from '../owner/SavedItCard';
import { zoneName } from '../owner/format';
import { Emails } from '../owner/Emails';
import type { OwnerAction } from '../owner/action';
import '../owner/owner.css';

/** The token lives in sessionStorage: gone when the browser session ends (docs/api.md Part 2, 22). */
const TOKEN_KEY = 'slotbook.ownerToken';

/** /owner: sign in with the owner token, then the week, bookings, availability, event types and settings. */
export function OwnerPage() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [problem, setProblem] = useState<string | null>(null);
  // Above the dashboard, so no action inside it (which reloads it) takes the card away.
  const [secret, setSecret] = useState<ShownOnce | null>(null);
  const signIn = (next: string, shown?: ShownOnce) => {
    sessionStorage.setItem(TOKEN_KEY, next);
    setToken(next);
    setProblem(null);
    setSecret(shown ?? null);
  };
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setSecret(null);
    setProblem(why ?? null);
  }, []);
  if (!token) return <SignIn onSignIn={signIn} problem={problem} />;
  return (
    <Dashboard
      key={token}
      token={token}
      onSignIn={signIn}
      onSignOut={signOut}
      secret={secret && <SavedItCard secret={secret} onSaved={() => setSecret(null)} />}
      showSecret={setSecret}
    />
  );
}

interface DashboardProps {
  token: string;
  onSignIn(token: string, shown?: ShownOnce): void;
  onSignOut(why?: string): void;
  secret: ReactNode;
  showSecret(secret: ShownOnce): void;
}

function Dashboard({ token, onSignIn, onSignOut, secret, showSecret }: DashboardProps) {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);
  const profile = useLoad(`${token}#${version}`, () => request(OwnerProfileDocument, {}, { token }));
  // The last answer stays on screen while an action's reload runs: no flash, no form emptied.
  const shown = useRef(profile.data);
  if (profile.data) shown.current = profile.data;
  const rejected = profile.error instanceof ApiError && (profile.error.code === 'UNAUTHENTICATED' || profile.error.code === 'FORBIDDEN');
  useEffect(() => {
    if (rejected) onSignOut('That owner token was not accepted. Check it and sign in again.');
  }, [rejected, onSignOut]);

  const act: OwnerAction = async (work, done) => {
    setMessage(null);
    try {
      await work(token);
      setMessage({ kind: 'status', text: done });
      setVersion((v) => v + 1);
      return true;
    } catch (error) {
      setMessage({ kind: 'alert', text: explain(error) });
      return false;
    }
  };

  if (profile.error && !rejected) return <Alert>{explain(profile.error)}</Alert>;
  const me = shown.current?.me;
  if (!me) return <p className="hint">Loading your calendar…</p>;
  return (
    <div className="owner">
      <header className="owner-top">
        <div className="owner-who">
          <p className="eyebrow">Your calendar</p>
          <h1>{me.name}</h1>
          <p className="hint">
            Times in {zoneName(me.timeZone)} · {me.slotMinutes}-minute slots · signed in in this tab only (the token is kept in its session storage until you close it or sign out)
          </p>
        </div>
        <button type="button" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <nav className="owner-nav" aria-label="Sections">
        <a href="#week-title">Week</a>
        <a href="#upcoming-title">Upcoming</a>
        <a href="#windows-title">Availability</a>
        <a href="#types-title">Event types</a>
        <a href="#sharing-title">Sharing</a>
        <a href="#webhooks-title">Webhooks</a>
        <a href="#calendars-title">Other calendars</a>
        <a href="#settings-title">Settings</a>
        <a href="#emails-heading">Emails</a>
      </nav>
      {secret}
      <div className="messages">
        {message?.kind === 'status' && <Status>{message.text}</Status>}
        {message?.kind === 'alert' && <Alert>{message.text}</Alert>}
      </div>
      <WeekCalendar ownerId={me.id} token={token} zone={me.timeZone} windows={me.windows} version={version} act={act} />
      <div className="columns">
        <UpcomingBookings token={token} zone={me.timeZone} version={version} act={act} />
        <Windows windows={me.windows} zone={me.timeZone} act={act} />
      </div>
      <div className="columns">
        <EventTypes ownerId={me.id} eventTypes={me.eventTypes} act={act} />
        <Sharing ownerId={me.id} act={act} />
      </div>
      <div className="columns">
        <Webhooks token={token} zone={me.timeZone} version={version} act={act} showSecret={showSecret} />
        <Settings owner={me} act={act} onRotated={(next) => onSignIn(next, tokenShownOnce(next, 'Your new owner token'))} />
      </div>
      <CalendarSources token={token} zone={me.timeZone} version={version} act={act} />
      <Emails token={token} version={version} />
    </div>
  );
}
