import { useState } from 'react';
import { BookingPageEventTypeDocument, BookingPageOwnerDocument, type PageBookSlotMutation, type PageEventTypeFragment } from '../generated/graphql';
import { ApiError, explain, request } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { detectedZone, formats } from '../lib/time';
import { useHourCycle } from '../lib/use-hour-cycle';
import { placeOf } from '../lib/zones';
import { SlotPicker, useSlotPicker } from '../components/SlotPicker';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { HourCycleChoice } from '../components/HourCycleChoice';
import { Alert } from '../components/Messages';
import { PageSkeleton } from '../components/Skeleton';
import { Fact, HostCard } from '../components/HostCard';
import { BookingForm } from '../components/BookingForm';
import { ManagePage, manageUrl } from './ManagePage';

/** What a booking page books: whose slots, under which name, which event type. */
export interface BookingTarget {
  /**
   * The ownerId of freeSlots, freeSlotsChanged and bookSlot: the owner, or for a team event type
   * one of its members (docs/api.md, Part 3: any member gives the team's slots).
   */
  ownerId: string;
  /** The slot length without an event type (Part 1). */
  slotMinutes: number;
  /** The page's header: the owner's name, or the team's (Part 3, 39). */
  name: string;
  eventType: PageEventTypeFragment | null;
  /** The owner's active event types, on the page without a slug. */
  others: PageEventTypeFragment[];
  /** Who the invitee meets, when the name does not say it (a team's event type). */
  withWhom?: string;
}

async function loadTarget(ownerId: string, slug: string | null): Promise<BookingTarget | null> {
  if (slug) {
    const data = await request(BookingPageEventTypeDocument, { ownerId, slug });
    return data.owner && data.eventType ? { ownerId, slotMinutes: data.owner.slotMinutes, name: data.owner.name, eventType: data.eventType, others: [] } : null;
  }
  const data = await request(BookingPageOwnerDocument, { ownerId });
  return data.owner ? { ownerId, slotMinutes: data.owner.slotMinutes, name: data.owner.name, eventType: null, others: data.owner.eventTypes } : null;
}

/**
 * /book/<ownerId> and /book/<ownerId>/<slug>: pick a day and a time, say who you are, book; then
 * the manage page of the new booking, at its own address (so a reload or a bookmark keeps it).
 */
export function BookingPage({ ownerId, slug }: { ownerId: string; slug: string | null }) {
  return <BookablePage loadKey={`${ownerId}/${slug ?? ''}`} load={() => loadTarget(ownerId, slug)} />;
}

/**
 * A booking page of whatever `load` finds (null: not found, as is a malformed id): the person's
 * booking page and a team's (TeamBookingPage) differ only in what they load.
 */
export function BookablePage({ loadKey, load }: { loadKey: string; load(): Promise<BookingTarget | null> }) {
  const [booked, setBooked] = useState<PageBookSlotMutation['bookSlot'] | null>(null);
  const target = useLoad(loadKey, () => load().catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') return null;
    throw error;
  }));
  if (booked) return <ManagePage bookingId={booked.booking.id} token={booked.manageToken} justBooked={booked.booking} />;
  if (target.error) return <Alert>{explain(target.error)}</Alert>;
  if (target.loading) return <PageSkeleton label="Booking page" />;
  if (!target.data) return <Alert>This booking page does not exist. The link may be incomplete or out of date.</Alert>;
  return (
    <Booking
      target={target.data}
      onBooked={(payload) => {
        // The confirmation lives at the booking's manage address from now on: replace, so Back
        // does not offer the spent form again.
        window.history.replaceState(null, '', manageUrl(payload.booking.id, payload.manageToken));
        setBooked(payload);
      }}
    />
  );
}

function Booking({ target, onBooked }: { target: BookingTarget; onBooked(payload: PageBookSlotMutation['bookSlot']): void }) {
  const { ownerId, eventType } = target;
  useHourCycle();
  const [zone, setZone] = useState(detectedZone);
  const [duration, setDuration] = useState<number | null>(eventType?.defaultDuration ?? null);
  const picker = useSlotPicker({ ownerId, eventTypeId: eventType?.id, duration }, zone);
  // Choosing a time opens the form for it at once: docs/api.md Part 2, 20 lets an outside test
  // fill Name and Email right after clicking a slot. The form, with the chosen time in the card
  // and "Back to the times", is the confirm step.
  const chosen = picker.selected;
  const length = duration ?? target.slotMinutes;

  const durations =
    eventType && eventType.durations.length > 1 ? (
      <fieldset className="segmented">
        <legend className="visually-hidden">Duration</legend>
        {eventType.durations.map((minutes) => (
          <label key={minutes}>
            <input type="radio" name="duration" value={minutes} checked={minutes === duration} disabled={chosen !== null} onChange={() => setDuration(minutes)} />
            <span>{minutes} min</span>
          </label>
        ))}
      </fieldset>
    ) : (
      `${length} min`
    );

  return (
    <div className={chosen ? 'booking-layout details' : 'booking-layout'}>
      <HostCard
        eyebrow="Book a time with"
        ownerName={target.name}
        title={eventType?.title}
        description={eventType?.description}
        facts={
          <>
            <Fact icon="clock">{durations}</Fact>
            {target.withWhom && <Fact icon="person">{target.withWhom}</Fact>}
            {chosen && <Fact icon="calendar">{formats.range(chosen, new Date(Date.parse(chosen) + length * 60_000).toISOString(), zone)}</Fact>}
            <Fact icon="globe">{placeOf(zone)} time</Fact>
          </>
        }
      >
        {target.others.length > 0 && (
          <nav className="other-types" aria-label="Other ways to book">
            <h2>Other ways to book</h2>
            <ul className="links">
              {target.others.map((type) => (
                <li key={type.id}>
                  <a href={`/book/${encodeURIComponent(ownerId)}/${encodeURIComponent(type.slug)}`}>{type.title}</a> <span className="hint">{type.durations.join(' or ')} min</span>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </HostCard>
      {chosen ? (
        <BookingForm
          key={chosen}
          ownerId={ownerId}
          eventTypeId={eventType?.id ?? null}
          duration={duration}
          startsAt={chosen}
          length={length}
          zone={zone}
          onBooked={onBooked}
          onTaken={() => picker.markTaken()}
          onBack={() => picker.setSelected(null)}
        />
      ) : (
        <SlotPicker
          picker={picker}
          label="Choose a day"
          title="Pick a day and time"
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
