import { PageCancelBookingDocument, PageCompleteBookingDocument } from '../generated/graphql';
import { request } from '../lib/api';
import { formats } from '../lib/time';
import { ConfirmButton } from './ConfirmButton';
import type { OwnerAction } from './action';

interface Booking {
  id: string;
  startsAt: string;
  invitee: { name: string };
}

/** Complete, and Cancel after asking (a cancelled booking cannot be brought back). */
export function BookingActions({ booking, zone, act }: { booking: Booking; zone: string; act: OwnerAction }) {
  const who = `${booking.invitee.name} at ${formats.time(booking.startsAt, zone)}`;
  return (
    <p className="actions small">
      <button type="button" aria-label={`Complete booking with ${who}`} onClick={() => act((auth) => request(PageCompleteBookingDocument, { id: booking.id }, { auth }), `Booking with ${booking.invitee.name} completed.`)}>
        Complete
      </button>
      <ConfirmButton
        label={`Cancel booking with ${who}`}
        question={`Cancel ${booking.invitee.name}'s booking? Its time becomes free again.`}
        confirm="Yes, cancel it"
        keep="Keep it"
        danger
        onConfirm={() => act((auth) => request(PageCancelBookingDocument, { id: booking.id, manageToken: null }, { auth }), `Booking with ${booking.invitee.name} cancelled.`)}
      >
        Cancel
      </ConfirmButton>
    </p>
  );
}
