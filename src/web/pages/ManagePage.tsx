import { useState } from 'react';
import { PageBookingDocument, PageCancelBookingDocument, PageRescheduleBookingDocument, type ManagedBookingFragment } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { detectedZone, formats, minutesBetween } from '../lib/time';
import { SlotPicker, useSlotPicker } from '../components/SlotPicker';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Alert, Status } from '../components/Messages';

const STATUS_WORDS: Record<ManagedBookingFragment['status'], string> = { CONFIRMED: 'Confirmed', CANCELLED: 'Cancelled', COMPLETED: 'Completed' };

/** /manage/<bookingId>?token=<manageToken>: the invitee's booking, to cancel or move. */
export function ManagePage({ bookingId, token }: { bookingId: string; token: string }) {
  const loaded = useLoad(`${bookingId}:${token}`, () => request(PageBookingDocument, { id: bookingId, manageToken: token }));
  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.code === 'NOT_FOUND';
    return <Alert>{missing ? 'This booking was not found. Check that the whole link from your confirmation was opened.' : explain(loaded.error)}</Alert>;
  }
  if (!loaded.data) return <p className="hint">Loading…</p>;
  return <Manage initial={loaded.data.booking} token={token} />;
}

function Manage({ initial, token }: { initial: ManagedBookingFragment; token: string }) {
  const [booking, setBooking] = useState(initial);
  const [zone, setZone] = useState(detectedZone);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const length = minutesBetween(booking.startsAt, booking.endsAt);
  const picker = useSlotPicker({ ownerId: booking.owner.id, eventTypeId: booking.eventType?.id, duration: booking.eventType ? length : null }, zone);
  const ics = `/bookings/${encodeURIComponent(booking.id)}.ics?manageToken=${encodeURIComponent(token)}`;
  const when = `${formats.dateTime(booking.startsAt, zone)} – ${formats.time(booking.endsAt, zone)}`;

  async function change(run: () => Promise<ManagedBookingFragment>, done: (b: ManagedBookingFragment) => string) {
    if (sending) return;
    setSending(true);
    setProblem(null);
    setOutcome(null);
    try {
      const next = await run();
      setBooking(next);
      setOutcome(done(next));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE') picker.markTaken();
      else setProblem(explain(error));
    } finally {
      setSending(false);
    }
  }
  const cancel = () =>
    change(
      async () => (await request(PageCancelBookingDocument, { id: booking.id, manageToken: token })).cancelBooking,
      () => 'Cancelled. The time is free again.',
    );
  const reschedule = (startsAt: string) =>
    change(
      async () => (await request(PageRescheduleBookingDocument, { id: booking.id, startsAt, manageToken: token })).rescheduleBooking,
      (moved) => {
        // The new time is the booking's now, no longer free: not a choice that was taken away.
        picker.setSelected(null);
        return `Rescheduled to ${formats.dateTime(moved.startsAt, zone)}.`;
      },
    );

  return (
    <>
      <header className="page-head">
        <p className="eyebrow">Your booking with</p>
        <h1>{booking.owner.name}</h1>
        {booking.eventType && <h2 className="subtitle">{booking.eventType.title}</h2>}
      </header>
      <section className="panel" aria-labelledby="booking-title">
        <h2 id="booking-title">
          {when} <span className={`badge badge-${booking.status.toLowerCase()}`}>{STATUS_WORDS[booking.status]}</span>
        </h2>
        <p>
          {booking.invitee.name} ({booking.invitee.email}) · {length} min · {zone.replace(/_/g, ' ')}
        </p>
        {outcome && <Status>{outcome}</Status>}
        {problem && <Alert>{problem}</Alert>}
        <p className="actions">
          <a className="button" href={ics}>
            Add to calendar
          </a>
          {booking.status === 'CONFIRMED' && (
            <button type="button" className="danger" onClick={cancel} disabled={sending}>
              Cancel booking
            </button>
          )}
        </p>
      </section>
      {booking.status === 'CONFIRMED' && (
        <section aria-labelledby="reschedule-title">
          <div className="toolbar">
            <h2 id="reschedule-title">Pick a new time</h2>
            <TimeZoneSelect value={zone} onChange={setZone} />
          </div>
          <SlotPicker picker={picker} label="Choose a new day" />
          {picker.selected && (
            <p className="actions">
              <button type="button" className="primary" disabled={sending} onClick={() => reschedule(picker.selected!)}>
                Reschedule to {formats.dateTime(picker.selected, zone)}
              </button>
            </p>
          )}
        </section>
      )}
    </>
  );
}
