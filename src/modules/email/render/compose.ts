import MailComposer from 'nodemailer/lib/mail-composer';
import type { EmailFacts } from './email-facts';
import { renderEmail } from './index';
import { toMailOptions } from './mail-options';

export interface Envelope {
  from: string;
  to: string;
  messageId: string;
}

/**
 * An email as the SMTP server receives it (RFC 5322 text): rendered (renderEmail) and composed
 * into MIME by nodemailer's own composer, the one sendMail uses, so a raw send is the same
 * message. Called by the email worker thread just before it sends (smtp-delivery.ts).
 */
export async function composeEmail(facts: EmailFacts, envelope: Envelope): Promise<Buffer> {
  const mail = toMailOptions(await renderEmail(facts), envelope);
  return new MailComposer(mail).compile().build();
}
