import type { RequestContext } from '../context';
import { isEmail } from 'class-validator';
import { badInput, notFound, unauthenticated, type DomainError } from '../../shared/errors';
import { requireMinutesOnGrid } from '../../shared/grid';
import { generateToken, hashToken } from '../../shared/tokens';
import { requireText } from '../../shared/validation';
import { CalendarFeedService } from '../calendar-feed/calendar-feed.service';
import type { Owner } from './owner.entity';
import type { OwnerHead, OwnerStore } from './owner.store';
import { OWNER_EMAIL, OWNER_NAME, type CreateOwnerInput, type UpdateOwnerInput } from './owner.inputs';

const DEFAULT_SLOT_MINUTES = 60;

/** Owners: sign-up, profile changes, tokens. */
export class OwnerService {
  constructor(private readonly ctx: RequestContext) {}

  /** A new calendar and its token; `alongside` adds to its transaction (createCalendar: the account's OWNER membership). */
  async createOwner(input: CreateOwnerInput, alongside?: Parameters<OwnerStore['create']>[1]): Promise<{ owner: Owner; token: string }> {
    const name = requireName(input.name);
    const slotMinutes = input.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    requireMinutesOnGrid('input.slotMinutes', slotMinutes);
    const token = generateToken('sbo');
    const owner = await this.ctx.stores.owners.create({
      name,
      timeZone: input.timeZone,
      slotMinutes,
      email: input.email == null ? null : requireOwnerEmail(input.email),
      tokenHash: hashToken(token),
      createdAt: this.ctx.now(),
    }, alongside);
    revealPrivateFields(owner);
    return { owner, token };
  }

  async updateOwner(input: UpdateOwnerInput): Promise<Owner> {
    const owner = await this.ctx.auth.requireOwner();
    if (input.name != null) owner.name = requireName(input.name);
    if (input.slotMinutes != null) {
      requireMinutesOnGrid('input.slotMinutes', input.slotMinutes);
      owner.slotMinutes = input.slotMinutes;
    }
    const zoneChanged = input.timeZone != null && input.timeZone !== owner.timeZone;
    if (input.timeZone != null) owner.timeZone = input.timeZone;
    if (input.email != null) owner.email = input.email.trim() === '' ? null : requireOwnerEmail(input.email);
    // docs/api.md (Part 2, details of 9-13): daily caps count on the local date in the owner's
    // current zone, so a zone change dates the live bookings anew in its own transaction.
    if (zoneChanged) await this.ctx.stores.owners.saveProfileWith(owner, (tx) => this.ctx.stores.bookings.redateLiveBookings(tx, owner.id, owner.timeZone));
    else await this.ctx.stores.owners.saveChanges();
    revealPrivateFields(owner);
    return owner;
  }

  /**
   * Swaps the stored hash only while it is still the one the presented token matched: of
   * concurrent rotations with one token exactly one wins, and the others find that token no
   * longer valid (a read-then-write let several answer OK, each with a token that was
   * overwritten at once). With `revokeCalendarFeed` the feed URL stops working too: whoever held
   * the old token may have made one.
   */
  async rotateToken(revokeCalendarFeed = false): Promise<{ owner: Owner; token: string }> {
    // docs/api.md (Part 3, 33): of a calendar's members only an OWNER may rotate its token.
    const owner = await this.ctx.auth.requireCalendarOwner();
    const token = generateToken('sbo');
    const rotated = await this.ctx.stores.owners.replaceTokenHash(owner.id, owner.tokenHash, hashToken(token));
    // Later operations of this request (a document may hold several mutations) no longer act as the owner.
    this.ctx.auth.forgetOwner();
    if (!rotated) throw unauthenticated();
    if (revokeCalendarFeed) await new CalendarFeedService(this.ctx).revokeFeed(owner.id);
    return { owner, token };
  }

  me(): Promise<Owner> {
    return this.ctx.auth.requireOwner();
  }

  async findOwner(id: string): Promise<Owner | null> {
    return this.ctx.loaders.ownerById.load(id);
  }

  /** Just what free slots depend on (the hot path of freeSlots and bookSlot); NOT_FOUND names `field`. */
  async getOwnerHead(id: string, field = 'ownerId'): Promise<OwnerHead> {
    const head = await this.ctx.stores.owners.findHead(id);
    if (!head) throw ownerNotFound(id, field);
    return head;
  }
}

function ownerNotFound(id: string, field: string): DomainError {
  return notFound(`owner ${JSON.stringify(id.slice(0, 64))} (${field})`);
}

/** The owner's address for notices: trimmed, 3 to 320 characters, an address as bookSlot's invitee email is checked. */
function requireOwnerEmail(raw: string): string {
  const email = requireText('input.email', raw, OWNER_EMAIL);
  if (!isEmail(email)) throw badInput('input.email', 'must be a valid e-mail address');
  return email;
}

/**
 * Owners whose owner-only fields (Owner.email) this request may read without presenting their
 * token: the one createOwner just made, the one updateOwner just changed (docs/api.md, Part 3,
 * details of 25-27). Entities are per request, so the mark ends with it.
 */
const revealed = new WeakSet<Owner>();

function revealPrivateFields(owner: Owner): void {
  revealed.add(owner);
}

/** Whether this request may read `owner`'s owner-only fields without its token (see revealed). */
export function privateFieldsRevealed(owner: Owner): boolean {
  return revealed.has(owner);
}

function requireName(raw: string): string {
  return requireText('input.name', raw, OWNER_NAME);
}
