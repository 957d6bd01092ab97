import { useState } from 'react';
import { OwnerUpcomingBookingsDocument } from '../generated/graphql';
import { explain, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { formats, localDateOf } from '../lib/time';
import { Alert } from '../components/Messages';
import { BookingActions } from './BookingActions';
import { Email } from './Email';
import { timeRange } from './format';
import type { OwnerAction } from './action';

/** The next confirmed bookings (upcomingBookings), ten to a page, each with Complete and Cancel. */
export function UpcomingBookings({ auth, zone, version, act }: { auth: OwnerAuth; zone: string; version: number; act: OwnerAction }) {
  /** The cursors of the pages before this one; the last is this page's `after`. */
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const page = useLoad(`${after}#${version}`, () => request(OwnerUpcomingBookingsDocument, { after }, { auth }));
  const connection = page.data?.upcomingBookings;
  return (
    <section className="panel" aria-labelledby="upcoming-title">
      <h2 id="upcoming-title">Upcoming bookings</h2>
      {page.error != null && <Alert>{explain(page.error)}</Alert>}
      {connection && connection.edges.length === 0 && <p className="hint">No upcoming bookings.</p>}
      {!connection && !page.error && <p className="hint">Loading…</p>}
      <ul className="plain-list upcoming" aria-busy={page.loading}>
        {connection?.edges.map(({ node: booking }) => (
          <li key={booking.id} className="upcoming-item">
            <p className="upcoming-when">
              <strong>{formats.longDate(localDateOf(booking.startsAt, zone))}</strong> · {timeRange(booking.startsAt, booking.endsAt, zone)}
            </p>
            <p>
              {booking.invitee.name}
              {booking.eventType && <span className="hint"> · {booking.eventType.title}</span>}
            </p>
            <p className="booking-meta">
              <Email address={booking.invitee.email} />
            </p>
            <BookingActions booking={booking} zone={zone} act={act} />
          </li>
        ))}
      </ul>
      {(cursors.length > 1 || connection?.pageInfo.hasNextPage) && (
        <p className="actions pager">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Earlier
          </button>
          <button type="button" disabled={!connection?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, connection?.pageInfo.endCursor ?? null])}>
            Later
          </button>
        </p>
      )}
    </section>
  );
}
