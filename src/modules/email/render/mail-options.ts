import type { SendMailOptions } from 'nodemailer';
import type { RenderedEmail } from './email-facts';

/**
 * Nodemailer's options for a rendered email (docs/api.md, Part 3, 26). The invitation goes in as
 * nodemailer's `icalEvent`, which writes the layout Google Calendar itself sends: a
 * `text/calendar; method=…` part beside the text and HTML (Gmail's and Outlook's buttons) and the
 * same data as an `invite.ics` attachment (Apple Mail, and any client that ignores the part). One
 * attachment, not two: a second copy would be offered as a second invitation.
 */
export function toMailOptions(rendered: RenderedEmail, envelope: { from: string; to: string; messageId: string }): SendMailOptions {
  return {
    from: envelope.from,
    to: envelope.to,
    // Stable per email, so a resend is recognisable (docs/api.md, Part 3, 26).
    messageId: envelope.messageId,
    subject: rendered.subject,
    // Base64 for the text parts: the HTML is mostly ASCII, but its style attributes are full of
    // `=`, which quoted-printable writes as `=3D`, so base64 is the smaller message (8.1 KB against
    // 10.1 KB for a confirmation) and skips nodemailer's choosing between the two (half the CPU).
    textEncoding: 'base64',
    text: rendered.text,
    html: rendered.html,
    // RFC 3834: automatic mail; out-of-office responders do not answer it.
    headers: { 'Auto-Submitted': 'auto-generated' },
    ...(rendered.invitation
      ? { icalEvent: { method: rendered.invitation.method, filename: 'invite.ics', content: rendered.invitation.ics } }
      : {}),
  };
}
