import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { OwnerProfileDocument } from '../generated/graphql';
import { ApiError, explain, ownerTokenAuth, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { Alert, Status } from '../components/Messages';
import { AccountSignIn } from '../owner/AccountSignIn';
import { AccountCalendars } from '../owner/AccountCalendars';
import { endSession, resumeSession, type AccountSession } from '../owner/account-session';
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
import { Teams } from '../owner/Teams';
import type { OwnerAction } from '../owner/action';
import '../owner/owner.css';

/** An owner token lives in sessionStorage: gone when the browser session ends (docs/api.md Part 2, 22). */
const TOKEN_KEY = 'slotbook.ownerToken';

/**
 * Who is signed in: an owner token (kept in this tab's session storage), an account (its access
 * token in memory, its refresh token in an HttpOnly cookie: docs/api.md Part 3, 34), or nobody.
 */
type SignedIn =
  | { kind: 'checking' }
  | { kind: 'leaving' }
  | { kind: 'out'; problem: string | null; problemOf: 'account' | 'owner-token' }
  | { kind: 'token'; token: string }
  | { kind: 'account'; session: AccountSession };

/** /owner: sign in (an account, or an owner token), then the week, bookings, availability, event types and settings. */
export function OwnerPage() {
  const [signed, setSigned] = useState<SignedIn>(() => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    return token ? { kind: 'token', token } : { kind: 'checking' };
  });
  const [problem, setProblem] = useState<string | null>(null);
  // Above the dashboard, so no action inside it (which reloads it) takes the card away.
  const [secret, setSecret] = useState<ShownOnce | null>(null);
  // A reload: the cookie, if any, still holds the session.
  useEffect(() => {
    if (signed.kind !== 'checking') return;
    resumeSession().then(
      (session) => setSigned(session ? { kind: 'account', session } : { kind: 'out', problem: null, problemOf: 'account' }),
      (error: unknown) => setSigned({ kind: 'out', problem: explain(error), problemOf: 'account' }),
    );
  }, [signed.kind]);
  const signInWithToken = (next: string, shown?: ShownOnce) => {
    sessionStorage.setItem(TOKEN_KEY, next);
    setSigned({ kind: 'token', token: next });
    setProblem(null);
    setSecret(shown ?? null);
  };
  const signInWithAccount = (session: AccountSession) => {
    setSigned({ kind: 'account', session });
    setProblem(null);
    if (window.location.hash) history.replaceState(null, '', window.location.pathname);
  };
  const signOut = useCallback(
    (why?: string) => {
      setSecret(null);
      setProblem(why ?? null);
      if (signed.kind === 'token') sessionStorage.removeItem(TOKEN_KEY);
      if (signed.kind !== 'account') {
        setSigned({ kind: 'out', problem: why ?? null, problemOf: 'owner-token' });
        return;
      }
      // Signed out once the server has ended the session and cleared the cookie: a reload meanwhile would resume it.
      setSigned({ kind: 'leaving' });
      void endSession().then(() => setSigned({ kind: 'out', problem: why ?? null, problemOf: 'account' }));
    },
    [signed.kind],
  );
  if (signed.kind === 'checking') return <p className="hint">Loading…</p>;
  if (signed.kind === 'leaving') return <p className="hint">Signing out…</p>;
  if (signed.kind === 'out') return <AccountSignIn onSession={signInWithAccount} onOwnerToken={signInWithToken} problem={problem} problemOf={signed.problemOf} />;
  const card = secret && <SavedItCard secret={secret} onSaved={() => setSecret(null)} />;
  if (signed.kind === 'token') {
    return (
      <Dashboard
        key={signed.token}
        auth={ownerTokenAuth(signed.token)}
        where="signed in in this tab only (the token is kept in its session storage until you close it or sign out)"
        rejected="That owner token was not accepted. Check it and sign in again."
        onRotated={(next) => signInWithToken(next, tokenShownOnce(next, 'Your new owner token'))}
        onSignOut={signOut}
        secret={card}
        showSecret={setSecret}
      />
    );
  }
  const { session } = signed;
  return (
    <AccountCalendars session={session} onSignOut={signOut}>
      {(calendar, chooser, calendars) => (
        <>
          <Dashboard
            key={calendar.id}
            auth={session.on(calendar.id)}
            where={`signed in as ${session.account.email}`}
            rejected="Your session has ended. Please sign in again."
            chooser={chooser}
            onRotated={(next) => setSecret(tokenShownOnce(next, 'Your new owner token'))}
            onSignOut={signOut}
            secret={card}
            showSecret={setSecret}
            withTeams
          />
          {/* Outside the calendar's dashboard: teams are the account's, and stay open when it switches calendars. */}
          <Teams session={session} calendars={calendars} />
        </>
      )}
    </AccountCalendars>
  );
}

interface DashboardProps {
  auth: OwnerAuth;
  /** How the person is signed in, said under the calendar's name. */
  where: string;
  /** What to say when the credential is refused. */
  rejected: string;
  /** The Calendar select of an account with calendars to switch between. */
  chooser?: ReactNode;
  onRotated(token: string): void;
  onSignOut(why?: string): void;
  secret: ReactNode;
  showSecret(secret: ShownOnce): void;
  /** Signed in with an account: the Teams section follows the dashboard (docs/api.md, Part 3, 35). */
  withTeams?: boolean;
}

function Dashboard({ auth, where, rejected: rejectedText, chooser, onRotated, onSignOut, secret, showSecret, withTeams = false }: DashboardProps) {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);
  const profile = useLoad(`${auth.key}#${version}`, () => request(OwnerProfileDocument, {}, { auth }));
  // The last answer stays on screen while an action's reload runs: no flash, no form emptied.
  const shown = useRef(profile.data);
  if (profile.data) shown.current = profile.data;
  const rejected = profile.error instanceof ApiError && (profile.error.code === 'UNAUTHENTICATED' || profile.error.code === 'FORBIDDEN');
  useEffect(() => {
    if (rejected) onSignOut(rejectedText);
  }, [rejected, rejectedText, onSignOut]);

  const act: OwnerAction = async (work, done) => {
    setMessage(null);
    try {
      await work(auth);
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
            Times in {zoneName(me.timeZone)} · {me.slotMinutes}-minute slots · {where}
          </p>
        </div>
        {chooser}
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
        {withTeams && <a href="#teams-title">Teams</a>}
      </nav>
      {secret}
      <div className="messages">
        {message?.kind === 'status' && <Status>{message.text}</Status>}
        {message?.kind === 'alert' && <Alert>{message.text}</Alert>}
      </div>
      <WeekCalendar ownerId={me.id} auth={auth} zone={me.timeZone} windows={me.windows} version={version} act={act} />
      <div className="columns">
        <UpcomingBookings auth={auth} zone={me.timeZone} version={version} act={act} />
        <Windows windows={me.windows} zone={me.timeZone} act={act} />
      </div>
      <div className="columns">
        <EventTypes ownerId={me.id} eventTypes={me.eventTypes} act={act} />
        <Sharing ownerId={me.id} act={act} />
      </div>
      <div className="columns">
        <Webhooks auth={auth} zone={me.timeZone} version={version} act={act} showSecret={showSecret} />
        <Settings owner={me} act={act} onRotated={onRotated} />
      </div>
      <CalendarSources auth={auth} zone={me.timeZone} version={version} act={act} />
      <Emails auth={auth} version={version} />
    </div>
  );
}
