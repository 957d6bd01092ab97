import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  BookingPageEventTypeDocument,
  BookingPageOwnerDocument,
  PageBookSlotDocument,
  type PageBookSlotMutation,
  type PageEventTypeFragment,
} from '../generated/graphql';
import { ApiError, explain, newAttemptKey, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { detectedZone, formats } from '../lib/time';
import { SlotPicker, useSlotPicker } from '../components/SlotPicker';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { Alert, Status } from '../components/Messages';
import { Field } from '../components/Field';

interface BookingTarget {
  owner: { id: string; name: string; slotMinutes: number };
  eventType: PageEventTypeFragment | null;
  /** The owner's active event types, on the page without a slug. */
  others: PageEventTypeFragment[];
}

async function loadTarget(ownerId: string, slug: string | null): Promise<BookingTarget | null> {
  if (slug) {
    const data = await request(BookingPageEventTypeDocument, { ownerId, slug });
    return data.owner && data.eventType ? { owner: data.owner, eventType: data.eventType, others: [] } : null;
  }
  const data = await request(BookingPageOwnerDocument, { ownerId });
  return data.owner ? { owner: data.owner, eventType: null, others: data.owner.eventTypes } : null;
}

/** /book/<ownerId> and /book/<ownerId>/<slug>: pick a day and a time, say who you are, book. */
export function BookingPage({ ownerId, slug }: { ownerId: string; slug: string | null }) {
  const target = useLoad(`${ownerId}/${slug ?? ''}`, () => loadTarget(ownerId, slug).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') return null;
    throw error;
  }));
  if (target.error) return <Alert>{explain(target.error)}</Alert>;
  if (target.loading) return <p className="hint">Loading…</p>;
  if (!target.data) return <Alert>This booking page does not exist. The link may be incomplete or out of date.</Alert>;
  return <Booking target={target.data} />;
}

function Booking({ target }: { target: BookingTarget }) {
  const { owner, eventType } = target;
  const [zone, setZone] = useState(detectedZone);
  const [duration, setDuration] = useState<number | null>(eventType?.defaultDuration ?? null);
  const picker = useSlotPicker({ ownerId: owner.id, eventTypeId: eventType?.id, duration }, zone);
  const [booked, setBooked] = useState<PageBookSlotMutation['bookSlot'] | null>(null);
  const length = duration ?? owner.slotMinutes;

  if (booked) return <Confirmation booked={booked} ownerName={owner.name} title={eventType?.title ?? null} zone={zone} />;
  return (
    <>
      <header className="page-head">
        <p className="eyebrow">Book a time with</p>
        <h1>{owner.name}</h1>
        {eventType && <h2 className="subtitle">{eventType.title}</h2>}
        {eventType?.description && <p>{eventType.description}</p>}
      </header>
      <h2 className="section-title">Pick a time</h2>
      <div className="toolbar">
        {eventType && eventType.durations.length > 1 ? (
          <fieldset className="choice">
            <legend>Duration</legend>
            {eventType.durations.map((minutes) => (
              <label key={minutes}>
                <input type="radio" name="duration" value={minutes} checked={minutes === duration} onChange={() => setDuration(minutes)} />
                {minutes} min
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="duration">{length} min</p>
        )}
        <TimeZoneSelect value={zone} onChange={setZone} />
      </div>
      <SlotPicker picker={picker} label="Choose a day" />
      {picker.selected && (
        <BookingForm
          key={picker.selected}
          ownerId={owner.id}
          eventTypeId={eventType?.id ?? null}
          duration={duration}
          startsAt={picker.selected}
          length={length}
          zone={zone}
          onBooked={setBooked}
          onTaken={picker.markTaken}
        />
      )}
      {target.others.length > 0 && (
        <nav className="panel" aria-label="Other ways to book">
          <h2>Other ways to book</h2>
          <ul className="links">
            {target.others.map((type) => (
              <li key={type.id}>
                <a href={`/book/${encodeURIComponent(owner.id)}/${encodeURIComponent(type.slug)}`}>{type.title}</a> ({type.durations.join(', ')} min)
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}

interface FormProps {
  ownerId: string;
  eventTypeId: string | null;
  duration: number | null;
  startsAt: string;
  length: number;
  zone: string;
  onBooked(payload: PageBookSlotMutation['bookSlot']): void;
  /** The slot was taken meanwhile: the picker says so and reads the slots again. */
  onTaken(): void;
}

function BookingForm({ ownerId, eventTypeId, duration, startsAt, length, zone, onBooked, onTaken }: FormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // One key per attempt: a retry of the same request (double click, lost answer) reuses it and
  // the server answers the first booking again; any change makes it another attempt.
  const attemptKey = useMemo(() => newAttemptKey(), [ownerId, eventTypeId, duration, startsAt, name, email]);
  const inFlight = useRef(false);
  const section = useRef<HTMLElement>(null);
  // On a phone the form starts below the fold: bring it up once a time is chosen.
  useEffect(() => {
    // A block, not an arrow's value: Chromium's scrollIntoView now returns a promise, and React
    // would call whatever an effect returns as its clean-up.
    void section.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const endsAt = new Date(Date.parse(startsAt) + length * 60_000).toISOString();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setProblem(null);
    try {
      const data = await request(PageBookSlotDocument, {
        input: { ownerId, eventTypeId, duration, startsAt, invitee: { name: name.trim(), email: email.trim() }, idempotencyKey: attemptKey },
      });
      onBooked(data.bookSlot);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE') onTaken();
      else setProblem(explain(error));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="details-title" ref={section}>
      <h2 id="details-title">Your details</h2>
      <p className="summary">
        {formats.dateTime(startsAt, zone)} – {formats.time(endsAt, zone)} <span className="hint">({zone.replace(/_/g, ' ')})</span>
      </p>
      <form onSubmit={submit} className="form">
        <Field label="Name" value={name} onChange={setName} autoComplete="name" required maxLength={200} />
        <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" required maxLength={320} />
        {problem && <Alert>{problem}</Alert>}
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Booking…' : 'Book'}
        </button>
      </form>
    </section>
  );
}

function Confirmation({ booked, ownerName, title, zone }: { booked: PageBookSlotMutation['bookSlot']; ownerName: string; title: string | null; zone: string }) {
  const { booking, manageToken } = booked;
  const heading = useRef<HTMLHeadingElement>(null);
  // The form the focus was in is gone: the keyboard and screen reader continue from here.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const token = encodeURIComponent(manageToken);
  const id = encodeURIComponent(booking.id);
  return (
    <section className="panel confirmation" aria-labelledby="confirmed-title">
      <Status>
        <h1 id="confirmed-title" tabIndex={-1} ref={heading}>
          Confirmed
        </h1>
        <p>
          {title ? `${title} with ${ownerName}` : `With ${ownerName}`}, {formats.dateTime(booking.startsAt, zone)} – {formats.time(booking.endsAt, zone)} ({zone.replace(/_/g, ' ')}).
        </p>
      </Status>
      <p>Keep the manage link: it is the only way to cancel or reschedule this booking.</p>
      <p className="actions">
        <a className="button primary" href={`/manage/${id}?token=${token}`}>
          Manage booking
        </a>
        <a className="button" href={`/bookings/${id}.ics?manageToken=${token}`}>
          Add to calendar
        </a>
      </p>
      <p className="hint">Booking reference {booking.id}</p>
    </section>
  );
}
