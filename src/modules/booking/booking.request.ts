/** What a booking request asks for: checked before any read, compared with a replayed booking, placed in time. */
import { isEmail } from 'class-validator';
import { badInput } from '../../shared/errors';
import { requireOnGrid } from '../../shared/grid';
import { requireText } from '../../shared/validation';
import { localDateOf } from '../../scheduling';
import type { SlotKind } from '../event-type/event-type.service';
import type { OwnerHead } from '../owner/owner.store';
import type { Booking } from './booking.entity';
import { IDEMPOTENCY_KEY, INVITEE_EMAIL, INVITEE_NAME, type BookSlotInput } from './booking.inputs';
import type { Placement } from './booking.placement';

/** A bookSlot input as checked and as it would be stored. */
export interface BookingRequest {
  startsAt: Date;
  inviteeName: string;
  inviteeEmail: string;
  idempotencyKey: string | null;
}

/** Where the slot kind's rules point a bookSlot client. */
export const BOOK_SLOT_KIND_FIELDS = { eventTypeId: 'input.eventTypeId', duration: 'input.duration' };

/** Everything bookSlot refuses as BAD_USER_INPUT without reading the database, in one place so it runs first. */
export function validBookingRequest(input: BookSlotInput): BookingRequest {
  requireOnGrid('input.startsAt', input.startsAt);
  const inviteeName = requireText('input.invitee.name', input.invitee.name, INVITEE_NAME);
  const inviteeEmail = requireText('input.invitee.email', input.invitee.email, INVITEE_EMAIL);
  if (!isEmail(inviteeEmail)) throw badInput('input.invitee.email', 'must be a valid e-mail address');
  const key = input.idempotencyKey ?? null;
  return {
    startsAt: input.startsAt,
    inviteeName,
    inviteeEmail,
    idempotencyKey: key === null ? null : requireText('input.idempotencyKey', key, IDEMPOTENCY_KEY),
  };
}

/** A booking's length in minutes. */
export function minutesOf(booking: Booking): number {
  return (booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000;
}

/**
 * Whether `request` for `kind` repeats the one that made `booking` (docs/api.md, Part 2, 23), compared with
 * the booking as stored: start, trimmed invitee name and e-mail, event type, and with an event
 * type the duration (an omitted duration is the default it resolved to).
 */
export function isSameRequest(booking: Booking, request: BookingRequest, kind: SlotKind): boolean {
  return (
    booking.startsAt.getTime() === request.startsAt.getTime() &&
    booking.inviteeName === request.inviteeName &&
    booking.inviteeEmail === request.inviteeEmail &&
    (booking.eventType?.id ?? null) === (kind.eventType?.id ?? null) &&
    (kind.eventType === null || minutesOf(booking) === kind.minutes)
  );
}

/**
 * Where a booking of `kind` starting at `startsAt` sits: it lasts the kind's minutes and records
 * the event type's current buffers, for its daily cap the owner-local date of its start, and the
 * event type's current seatsPerSlot (a seat of a group event, docs/api.md, Part 3, 38).
 */
/** What a booking of `kind` at `startsAt` occupies, its buffers included, whichever calendar hosts it. */
export function spanOf(kind: SlotKind, startsAt: Date): Pick<Placement, 'startsAt' | 'endsAt' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'> {
  return {
    startsAt,
    endsAt: new Date(startsAt.getTime() + kind.minutes * 60_000),
    bufferBeforeMinutes: kind.eventType?.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: kind.eventType?.bufferAfterMinutes ?? 0,
  };
}

export function placementOf(owner: OwnerHead, kind: SlotKind, startsAt: Date): Placement {
  const eventType = kind.eventType;
  return {
    ...spanOf(kind, startsAt),
    localDate: eventType ? localDateOf(startsAt.getTime(), owner.timeZone) : null,
    seatsPerSlot: eventType?.seatsPerSlot ?? null,
  };
}

