import type { RequestContext } from '../context';
import type { Owner } from '../owner/owner.entity';
import { privateFieldsRevealed } from '../owner/owner.service';
import { decodeCursor, encodeCursor, validatePageSize } from '../../shared/pagination';
import type { Email } from './email.entity';
import type { Booking } from '../booking/booking.entity';
import { bookingFactsOf } from './email.content';
import { renderEmail, type RenderedEmail } from './render';

interface EmailPage {
  edges: Array<{ cursor: string; node: Email }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Rendered content per email, once per request however many of its fields are asked for. */
const renderedInRequest = new WeakMap<Email, Promise<RenderedEmail | null>>();

/** The owner's emails (docs/api.md, Part 3, 25-27): listed and read whole by the owner only. */
export class EmailService {
  constructor(private readonly ctx: RequestContext) {}

  /** Owner.email: the owner's, or the payload of the createOwner or updateOwner that set it. */
  async ownerEmail(owner: Owner): Promise<string | null> {
    if (!privateFieldsRevealed(owner)) await this.ctx.auth.requireOwnerOf(owner.id);
    return owner.email;
  }

  async emailsOf(owner: Owner, first: number | null, after: string | null | undefined): Promise<EmailPage> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    const size = validatePageSize(first ?? 20);
    const cursor = after == null ? null : decodeCursor(after);
    const { emails, hasMore } = await this.ctx.stores.emails.page(owner.id, cursor, size);
    const edges = emails.map((node) => ({ cursor: encodeCursor({ startsAt: node.createdAt.getTime(), id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: hasMore, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** The booking an email is about; reached only through Owner.emails, which checked the owner. */
  bookingOf(email: Email): Promise<Booking | null> {
    return email.bookingId ? this.ctx.stores.bookings.findBooking(email.bookingId) : Promise.resolve(null);
  }

  /**
   * The email as it is (or would be) sent, rendered from its facts now; reached only through
   * Owner.emails, which checked the owner. Null for an email whose booking is gone.
   */
  rendered(email: Email): Promise<RenderedEmail | null> {
    let rendered = renderedInRequest.get(email);
    if (!rendered) {
      rendered = this.ctx.stores.emails.contextOf(email).then((context) => {
        const facts = context && bookingFactsOf(context, this.ctx.emails);
        return facts ? renderEmail(facts) : null;
      });
      renderedInRequest.set(email, rendered);
    }
    return rendered;
  }
}
