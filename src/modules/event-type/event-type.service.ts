import type { RequestContext } from '../context';
import { badInput, forbidden, notFound, type DomainError } from '../../shared/errors';
import { GRID_MINUTES } from '../../shared/grid';
import { characterCount, requireText } from '../../shared/validation';
import type { Owner } from '../owner/owner.entity';
import type { OwnerHead } from '../owner/owner.store';
import type { Booking } from '../booking/booking.entity';
import type { EventType } from './event-type.entity';
import type { EventTypeInput, EventTypePatch } from './event-type.inputs';
import type { EventTypeFields, EventTypePolicies, TeamOffering } from './event-type.store';

const TITLE = { min: 1, max: 200, trim: true } as const;
/** A description is the one multi-line text: its line breaks and tabs are kept (requireText). */
const DESCRIPTION = { min: 0, max: 2000, multiLine: true } as const;
const SLUG_MAX = 60;
const SLUG_SHAPE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const MAX_DURATIONS = 10;
/** A team event type's durations when none are given (docs/api.md, Part 3, details of 35-39): a team has no one slotMinutes. */
const TEAM_DEFAULT_DURATION = 60;
const MAX_REMINDERS = 5;
const REMINDER = { min: 5, max: 43_200, onGrid: false, unit: ' minutes' } as const;
/** Every duration is a slot length: 5 to 1440 minutes on the 5-minute grid, as the owner's slotMinutes. */
const DURATION = { min: 5, max: 1440, onGrid: true, unit: ' minutes' } as const;

interface WholeNumberRule {
  min: number;
  max: number;
  /** A multiple of 5 minutes: the length is added to a start on the grid. */
  onGrid: boolean;
  unit: string;
}

type NumberPolicy = 'slotStepMinutes' | 'minNoticeMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'horizonDays' | 'maxBookingsPerDay' | 'minCancelNoticeMinutes' | 'seatsPerSlot';

/** The number policies of docs/api.md, Part 2, in its order; a nullable one may also be null. */
const NUMBER_POLICIES: Record<NumberPolicy, WholeNumberRule> = {
  slotStepMinutes: { min: 5, max: 1440, onGrid: true, unit: ' minutes' },
  minNoticeMinutes: { min: 0, max: 525_600, onGrid: false, unit: ' minutes' },
  bufferBeforeMinutes: { min: 0, max: 1440, onGrid: true, unit: ' minutes' },
  bufferAfterMinutes: { min: 0, max: 1440, onGrid: true, unit: ' minutes' },
  horizonDays: { min: 1, max: 3660, onGrid: false, unit: ' days' },
  maxBookingsPerDay: { min: 1, max: 1000, onGrid: false, unit: ' bookings' },
  minCancelNoticeMinutes: { min: 0, max: 525_600, onGrid: false, unit: ' minutes' },
  // docs/api.md, Part 3: null is one invitee per slot; a group event seats 2 to 1000.
  seatsPerSlot: { min: 2, max: 1000, onGrid: false, unit: ' seats' },
};

/** Patch fields whose null clears them; null on any other keeps it. */
const CLEARABLE = new Set<keyof EventTypeFields>(['description', 'slotStepMinutes', 'horizonDays', 'maxBookingsPerDay', 'seatsPerSlot']);

/**
 * What a slot query or a booking asks for: the event type (null: Part 1, no policies) and the
 * length d in minutes (the chosen duration, or the owner's slotMinutes without an event type).
 */
export interface SlotKind {
  /** An EventType entity, or its policies as EventTypeStore.findPolicies reads them. */
  eventType: EventTypePolicies | null;
  minutes: number;
}

/** Where slotKind's rules point a client: the names of the eventTypeId and duration arguments in its request. */
export interface SlotKindFields {
  eventTypeId: string;
  duration: string;
}

/** `eventType`'s slots of `duration` (default its defaultDuration); one not among its durations is BAD_USER_INPUT naming `durationField`. */
export function slotKindOf(eventType: EventTypePolicies, duration: number | null | undefined, durationField: string): SlotKind {
  if (duration == null) return { eventType, minutes: eventType.defaultDuration };
  if (!eventType.durations.includes(duration)) {
    throw badInput(durationField, `must be one of the event type's durations (${eventType.durations.join(', ')})`);
  }
  return { eventType, minutes: duration };
}

/** Event types: their rules, who may change them, and who may see the inactive ones. */
export class EventTypeService {
  constructor(private readonly ctx: RequestContext) {}

  async createEventType(input: EventTypeInput): Promise<EventType> {
    const owner = await this.ctx.auth.requireOwner();
    const fields = fieldsOfInput(input, [owner.slotMinutes]);
    const written = await this.ctx.stores.eventTypes.create(owner, fields, this.ctx.now());
    if (written.kind === 'slugTaken') throw slugTaken(fields.slug);
    return written.eventType;
  }

  /**
   * A team's event type, stored under `owner` (the team's highest-priority member, then lowest
   * id): its durations default to [60] (docs/api.md, Part 3, details of 35-39) and its slug is
   * unique among the team's event types. The caller (TeamService) has decided who may.
   */
  async createTeamEventType(owner: Owner, offering: TeamOffering, input: EventTypeInput): Promise<EventType> {
    // Seats (rule 38) are kept per calendar; a team's hosts change per booking (docs/teams.md).
    if (input.seatsPerSlot != null) throw badInput('input.seatsPerSlot', TEAM_HAS_NO_SEATS);
    const fields = fieldsOfInput(input, [TEAM_DEFAULT_DURATION]);
    const written = await this.ctx.stores.eventTypes.create(owner, fields, this.ctx.now(), offering);
    if (written.kind === 'slugTaken') throw badInput('input.slug', `must be unique among the team's event types; ${JSON.stringify(fields.slug)} is taken`);
    return written.eventType;
  }

  async updateEventType(id: string, patch: EventTypePatch): Promise<EventType> {
    const eventType = await this.ownEventType(id);
    if (eventType.team && patch.seatsPerSlot != null) throw badInput('input.seatsPerSlot', TEAM_HAS_NO_SEATS);
    const fields = validFields(patched(eventType, patch), { defaultDurationGiven: patch.defaultDuration != null });
    const written = await this.ctx.stores.eventTypes.update(eventType, fields);
    if (written.kind === 'slugTaken') throw slugTaken(fields.slug);
    return written.eventType;
  }

  /**
   * The event type and length that `eventTypeId` and `duration` ask for among `owner`'s (Semantics
   * 9 and 11): `duration` without an event type, or one not among its durations, is
   * BAD_USER_INPUT naming fields.duration; an unknown event type or another owner's is NOT_FOUND.
   * An inactive one is returned as is: freeSlots lists no slots of it, bookSlot refuses it.
   * `owner` is an id, or a head already read (which saves reading the slot length again).
   */
  async resolveSlotKind(
    owner: string | Pick<OwnerHead, 'id' | 'slotMinutes'>,
    eventTypeId: string | null | undefined,
    duration: number | null | undefined,
    fields: SlotKindFields,
  ): Promise<SlotKind> {
    const ownerId = typeof owner === 'string' ? owner : owner.id;
    if (eventTypeId == null) {
      if (duration != null) throw badInput(fields.duration, 'needs an event type: give eventTypeId too, or leave duration out');
      const slotMinutes = typeof owner === 'string' ? (await this.ctx.stores.owners.findHead(ownerId))?.slotMinutes : owner.slotMinutes;
      if (slotMinutes === undefined) throw notFound(`owner ${JSON.stringify(ownerId.slice(0, 64))}`);
      return { eventType: null, minutes: slotMinutes };
    }
    const found = await this.ctx.stores.eventTypes.findPolicies(eventTypeId, ownerId);
    const eventType = found?.policies;
    // Another owner's event type is as unknown as a missing one: nothing tells the two apart. A
    // team's is any member's (docs/api.md, Part 3: freeSlots and bookSlot take any member as ownerId).
    const offered = eventType?.team ? found!.teamMember : eventType?.owner.id === ownerId;
    if (!eventType || !offered) {
      throw notFound(`event type ${JSON.stringify(eventTypeId.slice(0, 64))} of this owner (${fields.eventTypeId})`);
    }
    return slotKindOf(eventType, duration, fields.duration);
  }

  /** Null when unknown, or inactive and the caller is not its owner. */
  async findBySlug(ownerId: string, slug: string): Promise<EventType | null> {
    const eventType = await this.ctx.stores.eventTypes.findBySlug(ownerId, slug);
    if (!eventType || eventType.active) return eventType;
    return (await this.callerOwns(ownerId)) ? eventType : null;
  }

  /** The owner's event types by slug: all for the owner, the active ones for anyone else. */
  async eventTypesOf(owner: Owner): Promise<EventType[]> {
    const all = await this.ctx.loaders.eventTypesByOwnerId.load(owner.id);
    return (await this.callerOwns(owner.id)) ? all : all.filter((e) => e.active);
  }

  /** The event type a booking was made with, active or not; null without one. */
  async eventTypeOf(booking: Booking): Promise<EventType | null> {
    return booking.eventType ? this.ctx.loaders.eventTypeById.load(booking.eventType.id) : null;
  }

  /** A team's event type: the team's highest-priority member, then lowest id (docs/api.md, Part 3, details of 35-39); the calendar it is stored under while the team has none. */
  async ownerOf(eventType: EventType): Promise<Owner> {
    const lead = eventType.team ? await this.teamLead(eventType.team.id) : null;
    if (lead) return lead;
    const owner = await this.ctx.loaders.ownerById.load(eventType.owner.id);
    if (!owner) throw notFound('owner');
    return owner;
  }

  private async callerOwns(ownerId: string): Promise<boolean> {
    return (await this.ctx.auth.ownerOrNull())?.id === ownerId;
  }

  private async teamLead(teamId: string): Promise<Owner | null> {
    const [lead] = await this.ctx.loaders.membersByTeamId.load(teamId);
    return lead ? this.ctx.loaders.ownerById.load(lead.owner.id) : null;
  }

  /** The caller's event type to change: its owner's, or for a team's an account administering the team. */
  private async ownEventType(id: string): Promise<EventType> {
    const teamOf = await this.ctx.stores.eventTypes.findById(id);
    if (teamOf?.team) {
      await this.ctx.auth.requireTeamAdmin(teamOf.team.id);
      return teamOf;
    }
    const owner = await this.ctx.auth.requireOwner();
    const eventType = teamOf;
    if (!eventType) throw notFound(`event type ${JSON.stringify(id.slice(0, 64))}`);
    if (eventType.owner.id !== owner.id) throw forbidden();
    return eventType;
  }
}

/** A new event type's fields: `input` with its defaults (durations: `defaultDurations`), checked. */
const TEAM_HAS_NO_SEATS = "must be null: seats are for a calendar's own event types, not a team's";

function fieldsOfInput(input: EventTypeInput, defaultDurations: number[]): EventTypeFields {
  const durations = input.durations ?? defaultDurations;
  return validFields(
    {
      slug: input.slug,
      title: input.title,
      description: input.description ?? null,
      durations,
      defaultDuration: input.defaultDuration ?? durations[0]!,
      slotStepMinutes: input.slotStepMinutes ?? null,
      minNoticeMinutes: input.minNoticeMinutes ?? 0,
      bufferBeforeMinutes: input.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: input.bufferAfterMinutes ?? 0,
      horizonDays: input.horizonDays ?? null,
      maxBookingsPerDay: input.maxBookingsPerDay ?? null,
      minCancelNoticeMinutes: input.minCancelNoticeMinutes ?? 0,
      reminderMinutes: input.reminderMinutes ?? [],
      seatsPerSlot: input.seatsPerSlot ?? null,
      active: input.active ?? true,
    },
    { defaultDurationGiven: true },
  );
}

/** The event type as `patch` would leave it: omitted fields keep their value, null clears a clearable one and keeps any other. */
function patched(current: EventType, patch: EventTypePatch): EventTypeFields {
  const fields: EventTypeFields = {
    slug: current.slug,
    title: current.title,
    description: current.description,
    durations: current.durations,
    defaultDuration: current.defaultDuration,
    slotStepMinutes: current.slotStepMinutes,
    minNoticeMinutes: current.minNoticeMinutes,
    bufferBeforeMinutes: current.bufferBeforeMinutes,
    bufferAfterMinutes: current.bufferAfterMinutes,
    horizonDays: current.horizonDays,
    maxBookingsPerDay: current.maxBookingsPerDay,
    minCancelNoticeMinutes: current.minCancelNoticeMinutes,
    reminderMinutes: current.reminderMinutes,
    seatsPerSlot: current.seatsPerSlot,
    active: current.active,
  };
  for (const key of Object.keys(fields) as Array<keyof EventTypeFields>) {
    const value = patch[key];
    if (value === undefined || (value === null && !CLEARABLE.has(key))) continue;
    (fields as Record<keyof EventTypeFields, unknown>)[key] = value;
  }
  return fields;
}

/**
 * Checks a whole event type (after defaults or a patch are applied) in the contract's order and
 * returns it as stored; each failure is BAD_USER_INPUT naming its `input.` field and the rule.
 * `defaultDurationGiven`: whether a defaultDuration missing from durations is the caller's
 * defaultDuration or the one durations left behind.
 */
function validFields(fields: EventTypeFields, { defaultDurationGiven }: { defaultDurationGiven: boolean }): EventTypeFields {
  const checked = { ...fields, slug: requireSlug(fields.slug), title: requireText('input.title', fields.title, TITLE) };
  if (fields.description !== null) requireText('input.description', fields.description, DESCRIPTION);
  requireDurations(fields.durations);
  requireReminderMinutes(fields.reminderMinutes);
  if (!fields.durations.includes(fields.defaultDuration)) {
    throw defaultDurationGiven
      ? badInput('input.defaultDuration', `must be one of durations (${fields.durations.join(', ')})`)
      : badInput('input.durations', `must hold defaultDuration (${fields.defaultDuration}) unless defaultDuration changes too`);
  }
  for (const [policy, rule] of Object.entries(NUMBER_POLICIES) as Array<[NumberPolicy, WholeNumberRule]>) {
    const value = fields[policy];
    if (value !== null) requireWholeNumber(`input.${policy}`, value, rule);
  }
  return checked;
}

/** A slug as event types have them (docs/api.md, Part 2); teams' slugs follow the same rule (Part 3). */
export function requireSlug(slug: string, field = 'input.slug'): string {
  const length = characterCount(slug);
  if (length < 1 || length > SLUG_MAX) throw badInput(field, `must be 1 to ${SLUG_MAX} characters`);
  if (!/^[a-z0-9-]+$/.test(slug)) throw badInput(field, 'may hold only lowercase letters a-z, digits and -');
  if (!SLUG_SHAPE.test(slug)) throw badInput(field, 'must start and end with a letter or digit');
  return slug;
}

function requireDurations(durations: readonly number[]): void {
  if (durations.length < 1 || durations.length > MAX_DURATIONS) {
    throw badInput('input.durations', `must hold 1 to ${MAX_DURATIONS} lengths`);
  }
  for (const duration of durations) requireWholeNumber('input.durations', duration, DURATION, 'each length ');
  const repeated = durations.find((d, i) => durations.indexOf(d) !== i);
  if (repeated !== undefined) throw badInput('input.durations', `must not repeat a length (${repeated})`);
}

/** docs/api.md, Part 3: reminderMinutes holds 0 to 5 distinct whole minutes, each 5 to 43200 (no grid). */
function requireReminderMinutes(minutes: readonly number[]): void {
  if (minutes.length > MAX_REMINDERS) throw badInput('input.reminderMinutes', `must hold at most ${MAX_REMINDERS} values`);
  for (const m of minutes) requireWholeNumber('input.reminderMinutes', m, REMINDER, 'each value ');
  const repeated = minutes.find((m, i) => minutes.indexOf(m) !== i);
  if (repeated !== undefined) throw badInput('input.reminderMinutes', `must not repeat a value (${repeated})`);
}

/** `subject` starts the rule when `field` holds several numbers ("each length "). */
function requireWholeNumber(field: string, value: number, rule: WholeNumberRule, subject = ''): void {
  if (value < rule.min) throw badInput(field, `${subject}must be at least ${rule.min}${rule.unit}`);
  if (value > rule.max) throw badInput(field, `${subject}must be at most ${rule.max}${rule.unit}`);
  if (rule.onGrid && value % GRID_MINUTES !== 0) throw badInput(field, `${subject}must be a multiple of ${GRID_MINUTES} minutes`);
}

function slugTaken(slug: string): DomainError {
  return badInput('input.slug', `must be unique among the owner's event types; ${JSON.stringify(slug)} is taken`);
}
