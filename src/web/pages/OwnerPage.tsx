import { useCallback, useEffect, useState } from 'react';
import { OwnerProfileDocument } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { Alert, Status } from '../components/Messages';
import { SignIn } from '../owner/SignIn';
import { WeekCalendar } from '../owner/WeekCalendar';
import { Windows } from '../owner/Windows';
import { EventTypes } from '../owner/EventTypes';
import { Emails } from '../owner/Emails';
import type { OwnerAction } from '../owner/action';

/** The token lives in sessionStorage: gone when the browser session ends (docs/api.md Part 2, 22). */
const TOKEN_KEY = 'slotbook.ownerToken';

/** /owner: sign in with the owner token, then the week, the availability and the event types. */
export function OwnerPage() {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [notice, setNotice] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);
  const signIn = (next: string, welcome?: string) => {
    sessionStorage.setItem(TOKEN_KEY, next);
    setToken(next);
    setNotice(welcome ? { kind: 'status', text: welcome } : null);
  };
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setNotice(why ? { kind: 'alert', text: why } : null);
  }, []);
  if (!token) return <SignIn onSignIn={signIn} problem={notice?.kind === 'alert' ? notice.text : null} />;
  return <Dashboard token={token} onSignOut={signOut} welcome={notice?.kind === 'status' ? notice.text : null} />;
}

function Dashboard({ token, onSignOut, welcome }: { token: string; onSignOut(why?: string): void; welcome: string | null }) {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(welcome ? { kind: 'status', text: welcome } : null);
  const profile = useLoad(`${token}#${version}`, () => request(OwnerProfileDocument, {}, { token }));
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
  const me = profile.data?.me;
  if (!me) return <p className="hint">Loading…</p>;
  const bookingPage = `/book/${encodeURIComponent(me.id)}`;
  return (
    <>
      <header className="page-head owner-head">
        <div>
          <p className="eyebrow">Signed in as</p>
          <h1>{me.name}</h1>
          <p>
            Your booking page: <a href={bookingPage}>{bookingPage}</a> · {me.timeZone.replace(/_/g, ' ')} · slots of {me.slotMinutes} min
          </p>
        </div>
        <button type="button" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <div className="messages">
        {message?.kind === 'status' && <Status>{message.text}</Status>}
        {message?.kind === 'alert' && <Alert>{message.text}</Alert>}
      </div>
      <WeekCalendar ownerId={me.id} token={token} zone={me.timeZone} version={version} act={act} />
      <div className="columns">
        <Windows windows={me.windows} zone={me.timeZone} act={act} />
        <EventTypes ownerId={me.id} eventTypes={me.eventTypes} act={act} />
      </div>
      <Emails token={token} version={version} />
    </>
  );
}
