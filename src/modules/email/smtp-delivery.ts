/**
 * One email's trip to the SMTP server: rendered and composed into MIME (render/compose.ts), then
 * handed with its envelope to a pooled nodemailer transport that keeps its connections open for
 * the next email. Runs in the email worker thread (email.delivery.ts), or on the calling thread
 * with EMAIL_RENDER_THREADS=0; the transports live in whichever thread sends. Everything in and
 * out is plain data, so it crosses to a worker thread as is.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { EmailFacts } from './render';
import { composeEmail, type Envelope } from './render/compose';

/** Where and how emails are sent: SMTP_URL, the connections kept and the timeout of every exchange. */
export interface SmtpSettings {
  url: string;
  maxConnections: number;
  timeoutMs: number;
}

export interface Delivery {
  smtp: SmtpSettings;
  facts: EmailFacts;
  /** The message's From, To and Message-ID headers. */
  headers: Envelope;
  /** The SMTP envelope: MAIL FROM and RCPT TO addresses. */
  envelope: { from: string; to: string[] };
}

/** What the SMTP server answered: accepted, or nodemailer's error, reduced to plain data. */
export type DeliveryResult = { sent: true } | { sent: false; responseCode?: number; response?: string; message?: string; code?: string };

const transports = new Map<string, Transporter>();

function transportFor(smtp: SmtpSettings): Transporter {
  const key = JSON.stringify(smtp);
  let transport = transports.get(key);
  if (!transport) {
    // The URL parsed here, not handed over as `url`: given `url`, nodemailer reads the URL alone
    // and drops every other option, so the pool and the timeouts were ignored (one connection per email).
    transport = nodemailer.createTransport({
      ...parseConnectionUrl(smtp.url),
      pool: true,
      maxConnections: smtp.maxConnections,
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
    } satisfies SMTPPool.Options);
    transports.set(key, transport);
  }
  return transport;
}

export async function deliverEmail(delivery: Delivery): Promise<DeliveryResult> {
  const raw = await composeEmail(delivery.facts, delivery.headers);
  try {
    await transportFor(delivery.smtp).sendMail({ envelope: delivery.envelope, raw });
    return { sent: true };
  } catch (err) {
    const { responseCode, response, message, code } = err as { responseCode?: number; response?: string; message?: string; code?: string };
    return { sent: false, responseCode, response, message, code };
  }
}

/** Closes this thread's SMTP connections. */
export function closeTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}
