/**
 * Renders emails (docs/api.md, Part 3, 25-27): given the facts of one email, its subject, plain
 * text, HTML and iTIP invitation, and the nodemailer options that send them. Pure: no I/O, no
 * clock, no environment, so the outbox can render at record time, at send time or for the owner
 * page and get the same email.
 */
import { bookingContent, passwordResetContent } from './email-content';
import { renderDocument } from './email-document';
import type { EmailFacts, RenderedEmail } from './email-facts';
import { bookingInvitation } from './invitation';

export type { BookingEmailFacts, BookingEmailKind, EmailFacts, EmailKind, PasswordResetFacts, RenderedEmail } from './email-facts';
export { toMailOptions } from './mail-options';

export async function renderEmail(facts: EmailFacts): Promise<RenderedEmail> {
  if (facts.kind === 'PASSWORD_RESET') {
    const content = passwordResetContent(facts);
    return { subject: content.subject, ...renderDocument(content), invitation: null };
  }
  const content = bookingContent(facts);
  return { subject: content.subject, ...renderDocument(content), invitation: bookingInvitation(facts) };
}
