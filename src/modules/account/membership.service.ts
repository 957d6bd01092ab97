import type { RequestContext } from '../context';
import { badInput, notFound, unauthenticated } from '../../shared/errors';
import { hashToken, tokenMatches } from '../../shared/tokens';
import { OwnerService } from '../owner/owner.service';
import type { Owner } from '../owner/owner.entity';
import type { CreateOwnerInput } from '../owner/owner.inputs';
import { Account, CalendarMembership, CalendarRole } from './account.entity';
import type { MembershipWithCalendar } from './account.store';
import { emailKeyOf } from './account.service';

/** Memberships: which accounts act on which calendars, and with which role (docs/api.md, Part 3, 33). */
export class MembershipService {
  constructor(private readonly ctx: RequestContext) {}

  /** A new calendar whose OWNER is the signed-in account; written with its membership in one transaction. */
  async createCalendar(input: CreateOwnerInput): Promise<Owner> {
    const { account } = await this.ctx.auth.requireAccount();
    const now = this.ctx.now();
    const { owner } = await new OwnerService(this.ctx).createOwner(input, (em, calendar) => {
      em.create(CalendarMembership, { account: em.getReference(Account, account.id), owner: calendar, role: CalendarRole.OWNER, createdAt: now });
    });
    return owner;
  }

  /** Makes the signed-in account an OWNER of the calendar whose owner token it presents (made with createOwner). */
  async claimCalendar(ownerToken: string): Promise<Owner> {
    const { account } = await this.ctx.auth.requireAccount();
    const owner = await this.ctx.stores.owners.findByTokenHash(hashToken(ownerToken));
    if (!owner || !tokenMatches(ownerToken, owner.tokenHash)) throw unauthenticated('this owner token is not valid');
    await this.ctx.stores.accounts.setMembership(account.id, owner.id, CalendarRole.OWNER, this.ctx.now());
    return owner;
  }

  /** Adds the account registered with `email` to the calendar, or changes its role; OWNERs only. */
  async addMember(calendarId: string, email: string, role: CalendarRole): Promise<MembershipWithCalendar> {
    await this.ctx.auth.requireOwnerRoleIn(calendarId);
    const member = await this.ctx.stores.accounts.findByEmailKey(emailKeyOf(email));
    if (!member) throw notFound('an account with this email (email)');
    const current = await this.ctx.stores.accounts.membership(member.id, calendarId);
    if (current?.role === CalendarRole.OWNER && role !== CalendarRole.OWNER) await this.keepAnOwner(calendarId, 'role');
    return this.ctx.stores.accounts.setMembership(member.id, calendarId, role, this.ctx.now());
  }

  /** Removes an account from the calendar; OWNERs only. False when it was no member. */
  async removeMember(calendarId: string, accountId: string): Promise<boolean> {
    await this.ctx.auth.requireOwnerRoleIn(calendarId);
    const current = await this.ctx.stores.accounts.membership(accountId, calendarId);
    if (!current) return false;
    if (current.role === CalendarRole.OWNER) await this.keepAnOwner(calendarId, 'accountId');
    return this.ctx.stores.accounts.removeMembership(accountId, calendarId);
  }

  /** The account's calendars, oldest membership first. */
  calendarsOf(account: Account): Promise<MembershipWithCalendar[]> {
    return this.ctx.stores.accounts.membershipsOf(account.id);
  }

  /** A calendar keeps at least one OWNER, or nobody could manage its members again. */
  private async keepAnOwner(calendarId: string, field: string): Promise<void> {
    if ((await this.ctx.stores.accounts.ownerCount(calendarId)) <= 1) throw badInput(field, 'a calendar keeps at least one OWNER');
  }
}
