import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { CreateOwnerInput } from '../owner/owner.inputs';
import { Account, CalendarMembership, CalendarRole } from './account.entity';
import { RegisterInput, Session } from './account.inputs';
import { AccountService } from './account.service';
import { MembershipService } from './membership.service';
import type { MembershipWithCalendar } from './account.store';

/** Accounts and sign-in (docs/api.md, Part 3, 32-33). */
@Resolver(() => Account)
export class AccountResolver {
  @Query(() => Account, { nullable: true, description: "The access token's account; null without a valid access token." })
  account(@Ctx() ctx: RequestContext): Promise<Account | null> {
    return new AccountService(ctx).account();
  }

  @FieldResolver(() => [CalendarMembership], { description: 'The calendars the account is a member of, with its role in each.' })
  calendars(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<MembershipWithCalendar[]> {
    return new MembershipService(ctx).calendarsOf(account);
  }

  @Mutation(() => Session, { description: 'Open: creates an account and signs it in.' })
  register(@Arg('input', () => RegisterInput, { description: 'Email, password (12-200 characters) and name.' }) input: RegisterInput, @Ctx() ctx: RequestContext): Promise<Session> {
    return new AccountService(ctx).register(input);
  }

  @Mutation(() => Session, { description: 'Open: signs in. A wrong email and a wrong password fail alike (UNAUTHENTICATED).' })
  login(
    @Arg('email', { description: 'The account\'s email, in any case.' }) email: string,
    @Arg('password', { description: 'Its password.' }) password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Session> {
    return new AccountService(ctx).login(email, password);
  }

  @Mutation(() => Session, { description: 'A new access token and refresh token; the presented refresh token stops working, and presenting it again ends the session.' })
  refreshSession(@Arg('refreshToken', { description: 'The last refresh token the session got.' }) refreshToken: string, @Ctx() ctx: RequestContext): Promise<Session> {
    return new AccountService(ctx).refreshSession(refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session: its access token and refresh token stop at once.' })
  logout(@Arg('refreshToken', { description: "The session's refresh token." }) refreshToken: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return new AccountService(ctx).logout(refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Open: emails a single-use reset link valid for 1 hour if an account has this email. Always true for a well-formed email.' })
  requestPasswordReset(@Arg('email', { description: 'The account\'s email.' }) email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return new AccountService(ctx).requestPasswordReset(email);
  }

  @Mutation(() => Session, { description: "Sets a new password with the reset link's token; ends every session of the account and signs in anew." })
  resetPassword(
    @Arg('token', { description: "The reset link's token." }) token: string,
    @Arg('password', { description: 'The new password, 12 to 200 characters.' }) password: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Session> {
    return new AccountService(ctx).resetPassword(token, password);
  }

  @Mutation(() => Owner, { description: 'With an access token: a new calendar whose OWNER is the account.' })
  createCalendar(@Arg('input', () => CreateOwnerInput, { description: "The calendar's name, time zone and slot length." }) input: CreateOwnerInput, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new MembershipService(ctx).createCalendar(input);
  }

  @Mutation(() => Owner, { description: 'With an access token: makes the account an OWNER of the calendar (made with createOwner) whose owner token it presents.' })
  claimCalendar(@Arg('ownerToken', { description: "The calendar's owner token." }) ownerToken: string, @Ctx() ctx: RequestContext): Promise<Owner> {
    return new MembershipService(ctx).claimCalendar(ownerToken);
  }

  @Mutation(() => CalendarMembership, { description: "The calendar's OWNER only (the Slotbook-Calendar header is ignored): adds the account with this email, or changes its role." })
  addCalendarMember(
    @Arg('calendarId', () => ID, { description: 'The calendar (Owner.id).' }) calendarId: string,
    @Arg('email', { description: "The member's account email." }) email: string,
    @Arg('role', () => CalendarRole, { description: 'OWNER or ADMIN.' }) role: CalendarRole,
    @Ctx() ctx: RequestContext,
  ): Promise<MembershipWithCalendar> {
    return new MembershipService(ctx).addMember(calendarId, email, role);
  }

  @Mutation(() => Boolean, { description: "The calendar's OWNER only (the Slotbook-Calendar header is ignored): removes an account from it; false when it was no member." })
  removeCalendarMember(
    @Arg('calendarId', () => ID, { description: 'The calendar (Owner.id).' }) calendarId: string,
    @Arg('accountId', () => ID, { description: 'The member (Account.id).' }) accountId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return new MembershipService(ctx).removeMember(calendarId, accountId);
  }
}

@Resolver(() => CalendarMembership)
export class CalendarMembershipResolver {
  @FieldResolver(() => Owner, { description: 'The calendar (its owner-only fields need the Slotbook-Calendar header naming it, or its only membership).' })
  calendar(@Root() membership: MembershipWithCalendar): Owner {
    return membership.owner;
  }
}
