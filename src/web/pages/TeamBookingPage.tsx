import { TeamBookingPageDocument } from '../generated/graphql';
import { request } from '../lib/api';
import { BookablePage, type BookingTarget } from './BookingPage';

/**
 * The team's event type of that slug, booked through its owner: the team's highest-priority
 * member (docs/api.md, Part 3, details of 35-39), whose freeSlots with the event type are the
 * team's slots and whose bookSlot assigns the host (36-37). Null: no such team or event type
 * (Team.eventTypes lists only the active ones to invitees).
 */
async function loadTeamTarget(teamSlug: string, slug: string): Promise<BookingTarget | null> {
  const { team } = await request(TeamBookingPageDocument, { teamSlug });
  const eventType = team?.eventTypes.find((type) => type.slug === slug);
  if (!team || !eventType) return null;
  const withWhom = eventType.schedulingType === 'COLLECTIVE' ? 'With the whole team' : 'With one member of the team';
  return { ownerId: eventType.owner.id, slotMinutes: eventType.owner.slotMinutes, name: team.name, eventType, others: [], withWhom };
}

/**
 * /team/<teamSlug>/<eventTypeSlug> (docs/api.md, Part 3, 39): the booking page with the team's
 * name in its header; the confirmation (the manage page) names the host or hosts.
 */
export function TeamBookingPage({ teamSlug, slug }: { teamSlug: string; slug: string }) {
  return <BookablePage loadKey={`team/${teamSlug}/${slug}`} load={() => loadTeamTarget(teamSlug, slug)} />;
}
