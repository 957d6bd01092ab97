import { useState } from 'react';
import { PageCreateCalendarFeedDocument } from '../generated/graphql';
import { request } from '../lib/api';
import { CopyField } from './CopyField';
import { ConfirmButton } from './ConfirmButton';
import type { OwnerAction } from './action';

/** A path the server answers, as the full URL to share (this page's origin). */
export function absolute(path: string): string {
  return `${window.location.origin}${path}`;
}

/** The booking page's link and the calendar feed (createCalendarFeed: a new secret URL each time). */
export function Sharing({ ownerId, act }: { ownerId: string; act: OwnerAction }) {
  const [feed, setFeed] = useState<string | null>(null);
  const makeFeed = async () => {
    await act(async (auth) => {
      setFeed(absolute((await request(PageCreateCalendarFeedDocument, {}, { auth })).createCalendarFeed.url));
    }, 'Calendar feed URL made. Any URL made before no longer works.');
  };
  return (
    <section className="panel" aria-labelledby="sharing-title">
      <h2 id="sharing-title">Sharing</h2>
      <CopyField label="Your booking page" value={absolute(`/book/${encodeURIComponent(ownerId)}`)} hint="Anyone with this link can book your free time." />
      <p>
        <a href={`/book/${encodeURIComponent(ownerId)}`}>Open your booking page</a>
      </p>
      <h3 className="subhead">Calendar feed</h3>
      <p className="hint">
        Subscribe to your bookings from Google Calendar, Apple Calendar or Outlook with a secret URL. Slotbook shows a URL only when it makes it; a new one
        replaces the one before, which stops working.
      </p>
      {feed ? (
        <>
          <CopyField label="Calendar feed URL" value={feed} hint="Whoever has this URL can read your bookings: keep it private." />
          <ConfirmButton question="Make a new feed URL? The one above stops working, in every calendar app using it." confirm="Yes, new URL" keep="Keep this one" onConfirm={makeFeed}>
            New feed URL
          </ConfirmButton>
        </>
      ) : (
        <ConfirmButton question="Make a feed URL? Any feed URL made before stops working." confirm="Yes, make it" keep="Not now" onConfirm={makeFeed}>
          Get a feed URL
        </ConfirmButton>
      )}
    </section>
  );
}
