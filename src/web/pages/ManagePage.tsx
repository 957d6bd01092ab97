import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { PageBookingDocument, PageCancelBookingDocument, PageRescheduleBookingDocument, type ManagedBookingFragment } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { detectedZone, formats, minutesBetween } from '../lib/time';
import { useHourCycle } from '../lib/use-hour-cycle';
import { placeOf } from '../lib/zones';
import { SlotPicker, useSlotPicker } from '../components/SlotPicker';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { HourCycleChoice } from '../components/HourCycleChoice';
import { Alert, Status } from '../components/Messages';
import { PageSkeleton } from '../components/Skeleton';
import { Fact, HostCard } from '../components/HostCard';

const listFormat = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

const STATUS_WORDS: Record<ManagedBookingFragment['status'], string> = { CONFIRMED: 'Confirmed', CANCELLED: 'Cancelled', COMPLETED: 'Completed' };

/** The manage page's address (docs/api.md Part 2, 21): the confirmation's permanent home. */
export function manageUrl(bookingId: string, token: string): string {
  return `/manage/${encodeURIComponent(bookingId)}?token=${encodeURIComponent(token)}`;
}

interface Props {
  bookingId: string;
  token: string;
  /** The booking the booking page has just made: shown at once, as confirmed, with the focus on it. */
  justBooked?: ManagedBookingFragment;
}

/** /manage/<bookingId>?token=<manageToken>: the invitee's booking, to cancel or move. */
export function ManagePage({ bookingId, token, justBooked }: Props) {
  const loaded = useLoad(justBooked ? null : `${bookingId}:${token}`, () => request(PageBookingDocument, { id: bookingId, manageToken: token }));
  useEffect(() => {
    document.title = 'Your booking · Slotbook';
  }, []);
  if (loaded.error) {
    const missing = loaded.error instanceof ApiError && loaded.error.code === 'NOT_FOUND';
    return <Alert>{missing ? 'This booking was not found. Check that the whole link from your confirmation was opened.' : explain(loaded.error)}</Alert>;
  }
  const initial = justBooked ?? loaded.data?.booking;
  if (!initial) return <PageSkeleton label="Your booking" />;
  return <Manage initial={initial} token={token} justBooked={Boolean(justBooked)} />;
}

function Manage({ initial, token, justBooked }: { initial: ManagedBookingFragment; token: string; justBooked: boolean }) {
  useHourCycle();
  const [booking, setBooking] = useState(initial);
  const [zone, setZone] = useState(detectedZone);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Set by a cancel: the outcome takes the focus once it is back on the page.
  const focusOutcome = useRef(false);
  const length = minutesBetween(booking.startsAt, booking.endsAt);
  const picker = useSlotPicker({ ownerId: booking.owner.id, eventTypeId: booking.eventType?.id, duration: booking.eventType ? length : null }, zone, { preferredStart: initial.startsAt });
  const ics = `/bookings/${encodeURIComponent(booking.id)}.ics?manageToken=${encodeURIComponent(token)}`;
  const when = formats.range(booking.startsAt, booking.endsAt, zone);
  const team = booking.eventType?.team ?? null;
  const bookAgain = team
    ? `/team/${encodeURIComponent(team.slug)}/${encodeURIComponent(booking.eventType!.slug)}`
    : `/book/${encodeURIComponent(booking.owner.id)}${booking.eventType ? `/${encodeURIComponent(booking.eventType.slug)}` : ''}`;
  // A team booking is with its host, or every host of a collective one (docs/api.md, Part 3, 37 and 39).
  const hosts = team ? listFormat.format(booking.hosts.map((host) => host.name)) : booking.owner.name;

  // Just booked: the form the focus was in is gone, so the keyboard and screen reader continue
  // from the confirmation.
  useEffect(() => {
    if (justBooked) heading.current?.focus();
  }, []);

  // The Cancel booking button the focus came from is gone. The status heading returns in the
  // commit that ends the change; a layout effect focuses it there, before anything else runs.
  useLayoutEffect(() => {
    if (sending || !focusOutcome.current) return;
    focusOutcome.current = false;
    heading.current?.focus();
  }, [sending]);

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
      () => {
        focusOutcome.current = true;
        return 'The time is free again.';
      },
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

  const confirmed = booking.status === 'CONFIRMED';
  const defaultWords = {
    CONFIRMED: justBooked ? `You are booked${team ? ` with ${hosts}` : ''}. Keep this page’s address: it is how you cancel or reschedule.` : 'Cancel, or pick a new time.',
    CANCELLED: 'This booking was cancelled.',
    COMPLETED: 'This meeting has taken place.',
  }[booking.status];

  return (
    <div className={confirmed ? 'booking-layout manage' : 'booking-layout single'}>
      <HostCard
        eyebrow={team ? `Your ${team.name} booking with` : 'Your booking with'}
        ownerName={hosts}
        title={booking.eventType?.title}
        facts={
          <>
            <Fact icon="calendar">{booking.status === 'CANCELLED' ? <span className="when-cancelled">{when}</span> : when}</Fact>
            <Fact icon="clock">{length} min</Fact>
            <Fact icon="globe">{placeOf(zone)} time</Fact>
            <Fact icon="person">
              {booking.invitee.name} <span className="hint">({booking.invitee.email})</span>
            </Fact>
          </>
        }
      >
        {/* Gone while a change is under way, and back with its outcome: a new status element, as a
            reader that waits for one to appear after Cancel or Reschedule expects. */}
        {!sending && (
          <Status>
            <h2 className={`status-title status-${booking.status.toLowerCase()}`} tabIndex={-1} ref={heading}>
              {STATUS_WORDS[booking.status]}
            </h2>
            <p>{outcome ?? defaultWords}</p>
          </Status>
        )}
        {problem && <Alert>{problem}</Alert>}
        <p className="actions">
          {booking.status !== 'CANCELLED' && (
            <>
              <a className="button" href={manageUrl(booking.id, token)}>
                Manage booking
              </a>
              <a className="button" href={ics}>
                Add to calendar
              </a>
            </>
          )}
          {/* Cancels at once, with no dialog in between: docs/api.md Part 2, 21 has a client press
              Cancel booking and then find Cancelled in the status. */}
          {confirmed && (
            <button type="button" className="danger" onClick={cancel} disabled={sending}>
              Cancel booking
            </button>
          )}
          {booking.status === 'CANCELLED' && (
            <a className="button primary" href={bookAgain}>
              Book another time
            </a>
          )}
        </p>
        <p className="hint reference">Booking reference {booking.id}</p>
      </HostCard>
      {confirmed && (
        <SlotPicker
          picker={picker}
          label="Choose a new day"
          title="Pick a new time"
          current={booking.startsAt}
          confirm={{ text: 'Reschedule', name: (start) => `Reschedule to ${formats.dateTime(start, zone)}`, onConfirm: reschedule, disabled: sending }}
          controls={
            <>
              <TimeZoneSelect value={zone} onChange={setZone} />
              <HourCycleChoice />
            </>
          }
        />
      )}
    </div>
  );
}
