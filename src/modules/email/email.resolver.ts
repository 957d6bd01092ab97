import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { Owner } from '../owner/owner.entity';
import { PageInfo } from '../page-info';
import { Booking } from '../booking/booking.entity';
import { Email } from './email.entity';
import { EmailService } from './email.service';

@ObjectType({ description: 'The calendar invitation an email carries (iTIP, RFC 5546).' })
class EmailInvitation {
  @Field({ description: 'REQUEST (a booking made or moved) or CANCEL.' })
  method!: string;

  @Field({ description: 'The invitation as iCalendar text, as attached (invite.ics).' })
  ics!: string;
}

@ObjectType({ description: 'One email of a page, with its position in the list.' })
class EmailEdge {
  @Field({ description: 'Opaque position of this email in the list; clients never parse it.' })
  cursor!: string;

  @Field(() => Email, { description: 'The email.' })
  node!: Email;
}

@ObjectType({ description: "One page of the owner's emails, newest first." })
class EmailConnection {
  @Field(() => [EmailEdge], { description: 'The emails of this page, in order.' })
  edges!: EmailEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them with.' })
  pageInfo!: PageInfo;
}

/** Owner.email and Owner.emails: the email module's fields of Owner. */
@Resolver(() => Owner)
export class OwnerEmailsResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Owner only (also in the createOwner and updateOwner payloads): where owner notices go; null: none sent.' })
  email(@Root() owner: Owner, @Ctx() ctx: RequestContext): Promise<string | null> {
    return new EmailService(ctx).ownerEmail(owner);
  }

  @FieldResolver(() => EmailConnection, { description: "Owner only: the owner's emails (to invitees and to the owner), newest first." })
  emails(
    @Root() owner: Owner,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<EmailConnection> {
    return new EmailService(ctx).emailsOf(owner, first, after);
  }
}

/** An email's content, rendered when asked: the owner page shows each email whole. */
@Resolver(() => Email)
export class EmailResolver {
  @FieldResolver(() => String, { description: 'The subject line.' })
  async subject(@Root() email: Email, @Ctx() ctx: RequestContext): Promise<string> {
    return (await new EmailService(ctx).rendered(email))?.subject ?? '';
  }

  @FieldResolver(() => String, { description: 'The plain-text part.' })
  async text(@Root() email: Email, @Ctx() ctx: RequestContext): Promise<string> {
    return (await new EmailService(ctx).rendered(email))?.text ?? '';
  }

  @FieldResolver(() => String, { description: 'The HTML part, as sent; show it only in a sandboxed frame.' })
  async html(@Root() email: Email, @Ctx() ctx: RequestContext): Promise<string> {
    return (await new EmailService(ctx).rendered(email))?.html ?? '';
  }

  @FieldResolver(() => EmailInvitation, { nullable: true, description: 'The calendar invitation it carries; null for reminders.' })
  async invitation(@Root() email: Email, @Ctx() ctx: RequestContext): Promise<EmailInvitation | null> {
    return (await new EmailService(ctx).rendered(email))?.invitation ?? null;
  }

  @FieldResolver(() => Booking, { nullable: true, description: 'The booking it is about; null for a password reset.' })
  booking(@Root() email: Email, @Ctx() ctx: RequestContext): Promise<Booking | null> {
    return new EmailService(ctx).bookingOf(email);
  }
}
