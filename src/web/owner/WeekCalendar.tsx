import { useEffect, useRef, useState } from 'react';
import { OwnerWeekBookingsDocument, type OwnerProfileQuery, type OwnerWeekBookingsQuery } from '../generated/graphql';
import { explain, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { useFreeSlots } from '../lib/live-slots';
import { addDays, formats, localDateOf, mondayOf, zonedInstant, type LocalDate } from '../lib/time';
import { Alert } from '../components/Messages';
import { BookingActions } from './BookingActions';
import { Email } from './Email';
import { freeTimeByDay, type FreeSpan } from './free-time';
import { timeRange, zoneName } from './format';
import type { OwnerAction } from './action';

type WeekBooking = OwnerWeekBookingsQuery['me']['bookings']['edges'][number]['node'];
type Window = OwnerProfileQuery['me']['windows'][number];

/** Every booking of the week, page after page. */
async function loadBookings(from: string, to: string, auth: OwnerAuth): Promise<WeekBooking[]> {
  const bookings: WeekBooking[] = [];
  let after: string | null = null;
  for (;;) {
    const page: OwnerWeekBookingsQuery = await request(OwnerWeekBookingsDocument, { from, to, after }, { auth });
    bookings.push(...page.me.bookings.edges.map((edge) => edge.node));
    if (!page.me.bookings.pageInfo.hasNextPage) break;
    after = page.me.bookings.pageInfo.endCursor ?? null;
  }
  return bookings;
}

/** A day's free spans and bookings, in the order of their start. */
function dayItems(free: readonly FreeSpan[], bookings: readonly WeekBooking[]): (FreeSpan | WeekBooking)[] {
  return [...free, ...bookings].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

interface Props {
  ownerId: string;
  auth: OwnerAuth;
  zone: string;
  windows: readonly Window[];
  version: number;
  act: OwnerAction;
}

/**
 * A week, Monday to Sunday on the owner's wall clock: bookings, and free time (the windows
 * minus the time bookings occupy, free-time.ts) per day.
 */
export function WeekCalendar({ ownerId, auth, zone, windows, version, act }: Props) {
  const [offset, setOffset] = useState(0);
  const monday = addDays(mondayOf(localDateOf(new Date(), zone)), offset * 7);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const from = zonedInstant(monday, '00:00', zone).toISOString();
  const to = zonedInstant(addDays(monday, 7), '00:00', zone).toISOString();
  // freeSlotsChanged tells of every booking made, moved or cancelled anywhere: each new list
  // reads the week's bookings again, so an open page shows them live.
  const live = useFreeSlots({ ownerId, from, to });
  const week = useLoad(`${from}#${version}`, () => loadBookings(from, to, auth));
  const reloadBookings = week.reload;
  /** The week whose first list arrived: that one came with the bookings' own first read. */
  const listed = useRef<string | null>(null);
  useEffect(() => {
    if (!live.slots) return;
    if (listed.current === from) reloadBookings();
    listed.current = from;
  }, [live.slots, reloadBookings, from]);
  const shown = useRef<{ from: string; bookings: WeekBooking[] } | null>(null);
  if (week.data) shown.current = { from, bookings: week.data };
  const bookingsOfWeek = shown.current?.from === from ? shown.current.bookings : null;
  const free = bookingsOfWeek ? freeTimeByDay(windows, bookingsOfWeek, days, zone, new Date()) : new Map<LocalDate, FreeSpan[]>();
  const bookings = new Map<LocalDate, WeekBooking[]>();
  for (const booking of bookingsOfWeek ?? []) {
    const day = localDateOf(booking.startsAt, zone);
    bookings.set(day, [...(bookings.get(day) ?? []), booking]);
  }
  const title = `Week of ${formats.longDate(monday)}`;

  return (
    <section className="panel week-panel" aria-labelledby="week-title">
      <div className="calendar-head">
        <button type="button" className="icon-button" aria-label="Previous week" onClick={() => setOffset(offset - 1)}>
          <span aria-hidden="true">‹</span>
        </button>
        <h2 id="week-title" aria-live="polite">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Next week" onClick={() => setOffset(offset + 1)}>
          <span aria-hidden="true">›</span>
        </button>
      </div>
      {offset !== 0 && (
        <p className="center">
          <button type="button" className="link-button" onClick={() => setOffset(0)}>
            Back to this week
          </button>
        </p>
      )}
      {(week.error ?? live.error) != null && <Alert>{explain(week.error ?? live.error)}</Alert>}
      <ol className="week" aria-busy={!bookingsOfWeek}>
        {days.map((day) => {
          const items = dayItems(free.get(day) ?? [], bookings.get(day) ?? []);
          return (
            <li key={day} className="week-day" data-day={day}>
              <h3>{formats.shortDate(day)}</h3>
              <ul className="week-items">
                {items.map((item) =>
                  'invitee' in item ? (
                    <BookingCard key={item.id} booking={item} zone={zone} act={act} />
                  ) : (
                    <li key={item.startsAt} className="free" data-free-start={item.startsAt} data-free-end={item.endsAt}>
                      Free {timeRange(item.startsAt, item.endsAt, zone)}
                    </li>
                  ),
                )}
              </ul>
              {bookingsOfWeek && items.length === 0 && <p className="hint">Nothing</p>}
            </li>
          );
        })}
      </ol>
      <p className="hint">
        Times in {zoneName(zone)}. Free time is your availability less the time bookings hold, buffers included.
      </p>
    </section>
  );
}

function BookingCard({ booking, zone, act }: { booking: WeekBooking; zone: string; act: OwnerAction }) {
  return (
    <li className={`booking booking-${booking.status.toLowerCase()}`}>
      <p>
        <strong>{timeRange(booking.startsAt, booking.endsAt, zone)}</strong>
      </p>
      <p className="booking-who">{booking.invitee.name}</p>
      <p className="booking-meta">
        {booking.eventType && <>{booking.eventType.title} · </>}
        <Email address={booking.invitee.email} />
        {booking.status !== 'CONFIRMED' && <> · {booking.status.toLowerCase()}</>}
      </p>
      {booking.status === 'CONFIRMED' && <BookingActions booking={booking} zone={zone} act={act} />}
    </li>
  );
}
