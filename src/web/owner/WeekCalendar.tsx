import { useEffect, useRef, useState } from 'react';
import {
  OwnerWeekBookingsDocument,
  PageCancelBookingDocument,
  PageCompleteBookingDocument,
  type OwnerWeekBookingsQuery,
} from '../generated/graphql';
import { explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { useFreeSlots } from '../lib/live-slots';
import { addDays, formats, localDateOf, mondayOf, zonedInstant, type LocalDate } from '../lib/time';
import { Alert } from '../components/Messages';
import type { OwnerAction } from './action';

type WeekBooking = OwnerWeekBookingsQuery['me']['bookings']['edges'][number]['node'];
type Span = { startsAt: string; endsAt: string };

/** Every booking of the week, page after page. */
async function loadBookings(from: string, to: string, token: string): Promise<WeekBooking[]> {
  const bookings: WeekBooking[] = [];
  let after: string | null = null;
  for (;;) {
    const page: OwnerWeekBookingsQuery = await request(OwnerWeekBookingsDocument, { from, to, after }, { token });
    bookings.push(...page.me.bookings.edges.map((edge) => edge.node));
    if (!page.me.bookings.pageInfo.hasNextPage) break;
    after = page.me.bookings.pageInfo.endCursor ?? null;
  }
  return bookings;
}

/** Consecutive free slots as one span each: "free 09:00–12:00" reads better than three slots. */
function mergeSlots(slots: readonly Span[]): Span[] {
  const spans: Span[] = [];
  for (const slot of slots) {
    const last = spans[spans.length - 1];
    if (last && last.endsAt === slot.startsAt) last.endsAt = slot.endsAt;
    else spans.push({ ...slot });
  }
  return spans;
}

/** A day's free spans and bookings, in the order of their start. */
function dayItems(free: Span[], bookings: WeekBooking[]): (Span | WeekBooking)[] {
  return [...free, ...bookings].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** A week, Monday to Sunday on the owner's wall clock: free time and bookings per day. */
export function WeekCalendar({ ownerId, token, zone, version, act }: { ownerId: string; token: string; zone: string; version: number; act: OwnerAction }) {
  const [offset, setOffset] = useState(0);
  const monday = addDays(mondayOf(localDateOf(new Date(), zone)), offset * 7);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const from = zonedInstant(monday, '00:00', zone).toISOString();
  const to = zonedInstant(addDays(monday, 7), '00:00', zone).toISOString();
  // Free time is live (freeSlotsChanged); a booking made, moved or cancelled anywhere changes it,
  // so each new list also reads the week's bookings again.
  const live = useFreeSlots({ ownerId, from, to });
  const week = useLoad(`${from}#${version}`, () => loadBookings(from, to, token));
  const reloadBookings = week.reload;
  /** The week whose first list arrived: that one came with the bookings' own first read. */
  const listed = useRef<string | null>(null);
  useEffect(() => {
    if (!live.slots) return;
    if (listed.current === from) reloadBookings();
    listed.current = from;
  }, [live.slots, reloadBookings, from]);
  const byDay = (items: readonly Span[]) => {
    const map = new Map<LocalDate, Span[]>();
    for (const item of items) {
      const day = localDateOf(item.startsAt, zone);
      map.set(day, [...(map.get(day) ?? []), item]);
    }
    return map;
  };
  const free = byDay(live.slots ?? []);
  const bookings = byDay(week.data ?? []) as Map<LocalDate, WeekBooking[]>;
  const title = `Week of ${formats.longDate(monday)}`;

  return (
    <section className="panel" aria-labelledby="week-title">
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
        <p>
          <button type="button" className="link-button" onClick={() => setOffset(0)}>
            Back to this week
          </button>
        </p>
      )}
      {(week.error ?? live.error) != null && <Alert>{explain(week.error ?? live.error)}</Alert>}
      <ol className="week" aria-busy={week.loading || !live.slots}>
        {days.map((day) => (
          <li key={day} className="week-day" data-day={day}>
            <h3>{formats.shortDate(day)}</h3>
            <ul className="week-items">
              {dayItems(mergeSlots(free.get(day) ?? []), bookings.get(day) ?? []).map((item) =>
                'invitee' in item ? (
                  <BookingCard key={item.id} booking={item} zone={zone} act={act} />
                ) : (
                  <li key={item.startsAt} className="free">
                    Free {formats.time(item.startsAt, zone)}–{formats.time(item.endsAt, zone)}
                  </li>
                ),
              )}
            </ul>
            {!free.get(day) && !bookings.get(day) && <p className="hint">Nothing</p>}
          </li>
        ))}
      </ol>
      <p className="hint">Times in {zone.replace(/_/g, ' ')}.</p>
    </section>
  );
}

function BookingCard({ booking, zone, act }: { booking: WeekBooking; zone: string; act: OwnerAction }) {
  const time = `${formats.time(booking.startsAt, zone)}–${formats.time(booking.endsAt, zone)}`;
  const who = `${booking.invitee.name} at ${formats.time(booking.startsAt, zone)}`;
  return (
    <li className={`booking booking-${booking.status.toLowerCase()}`}>
      <p>
        <strong>{time}</strong>
      </p>
      <p>{booking.invitee.name}</p>
      <p className="booking-meta">
        {booking.eventType && <>{booking.eventType.title} · </>}
        <a href={`mailto:${booking.invitee.email}`}>{booking.invitee.email}</a>
        {booking.status !== 'CONFIRMED' && <> · {booking.status.toLowerCase()}</>}
      </p>
      {booking.status === 'CONFIRMED' && (
        <p className="actions small">
          <button type="button" aria-label={`Complete booking with ${who}`} onClick={() => act((token) => request(PageCompleteBookingDocument, { id: booking.id }, { token }), `Booking with ${booking.invitee.name} completed.`)}>
            Complete
          </button>
          <button
            type="button"
            className="danger"
            aria-label={`Cancel booking with ${who}`}
            onClick={() => act((token) => request(PageCancelBookingDocument, { id: booking.id, manageToken: null }, { token }), `Booking with ${booking.invitee.name} cancelled.`)}
          >
            Cancel
          </button>
        </p>
      )}
    </li>
  );
}
