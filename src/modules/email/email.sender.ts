/**
 * Emails as a kind of the outbox (src/modules/outbox/outbox.ts; docs/api.md, Part 3, 27): each
 * claimed email is rendered and handed to the SMTP server at SMTP_URL: SENT when it accepts,
 * retried on a temporary refusal (4xx) or a failed connection, FAILED at once on a permanent one
 * (5xx). Without SMTP_URL nothing leaves the machine: the email is settled NOT_SENT.
 */
import type { OutboxItem, OutboxKind, SendOutcome } from '../outbox/outbox';
import { EmailKind, EmailStatus } from './email.entity';
import { EMAILS, type EmailStore, type EmailWithContext } from './email.store';
import { emailFactsOf, mailbox, messageIdOf, type EmailSettings } from './email.content';
import addressparser from 'nodemailer/lib/addressparser';
import { emailCourier, emailsPerThread } from './email.delivery';
import type { DeliveryResult, SmtpSettings } from './smtp-delivery';

/** The contract's retry schedule: 1 min, 5 min, 30 min, 2 h, 6 h, then FAILED. */
export const DEFAULT_EMAIL_RETRY_DELAYS_MS: readonly number[] = [60, 300, 1_800, 7_200, 21_600].map((s) => s * 1000);

export interface EmailOptions extends EmailSettings {
  /** Waits after each failed attempt (EMAIL_RETRY_DELAYS). */
  retryDelaysMs: readonly number[];
  /** How often the outbox is read when nothing woke it: reminders go out within this of their due time. */
  pollIntervalMs: number;
  /** Most emails in flight in this process (also the SMTP connections it keeps). */
  concurrency: number;
  /** Most emails in flight while requests keep the process busy (outbox.ts, RequestLoad). */
  concurrencyWhenBusy: number;
  /** Most emails of one owner in flight at once, across processes. */
  perOwnerInFlight: number;
  /** An SMTP exchange not over within this is a failure. */
  timeoutMs: number;
  /** How long shutdown lets sends in flight finish. */
  stopGraceMs: number;
  /** Worker threads that render, compose and send emails (EMAIL_RENDER_THREADS); 0 does it on the request thread. */
  renderThreads: number;
}

export const DEFAULT_EMAIL_OPTIONS: Omit<EmailOptions, keyof EmailSettings> = {
  retryDelaysMs: DEFAULT_EMAIL_RETRY_DELAYS_MS,
  pollIntervalMs: 1_000,
  concurrency: 16,
  // One at a time while requests keep the process busy: an email can wait seconds, a booking
  // should not. Each costs CPU to render, compose and speak SMTP (and the SMTP server's too, when
  // it shares the machine): 16 at once under full load took 10-17% of bookSlot's throughput.
  concurrencyWhenBusy: 1,
  perOwnerInFlight: 8,
  timeoutMs: 15_000,
  stopGraceMs: 2_000,
  renderThreads: 1,
};

/** SMTP_URL's user and password, in every form they may appear in an error, so none is ever stored. */
function credentialsOf(smtpUrl: string): string[] {
  try {
    const url = new URL(smtpUrl);
    return [url.username, url.password, decodeURIComponent(url.username), decodeURIComponent(url.password)].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/** The address of MAIL_FROM (which may carry a display name): the envelope's sender. */
function addressOf(from: string): string {
  return addressparser(from, { flatten: true })[0]?.address ?? from;
}

export function emailDeliveries(store: EmailStore, options: EmailOptions, now: () => Date): OutboxKind<EmailWithContext & OutboxItem> {
  const secrets = options.smtpUrl ? credentialsOf(options.smtpUrl) : [];
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
  const courier = emailCourier(options.renderThreads, options.concurrency, { warm: options.smtpUrl !== null });
  const maxConnections = emailsPerThread(options.concurrency, options.renderThreads);
  const smtp: SmtpSettings | null = options.smtpUrl ? { url: options.smtpUrl, maxConnections, timeoutMs: options.timeoutMs } : null;
  const sender = options.smtpUrl ? addressOf(options.mailFrom) : '';
  const outcomeOf = (result: DeliveryResult): SendOutcome => {
    if (result.sent) return { kind: 'done' };
    const reply = result.responseCode ? `SMTP ${result.responseCode}: ${result.response ?? result.message ?? ''}` : `could not send: ${result.code ?? ''} ${result.message ?? ''}`.trim();
    // 5xx: the server refuses for good (RFC 5321, 4.2.1); a retry would get the same answer.
    return { kind: 'failed', error: scrub(reply), final: (result.responseCode ?? 0) >= 500 };
  };

  const send = async (item: EmailWithContext, signal: AbortSignal): Promise<SendOutcome> => {
    const facts = emailFactsOf(item, options);
    if (!facts) return { kind: 'failed', final: true, error: item.email.kind === EmailKind.PASSWORD_RESET ? 'its reset link is gone' : 'its booking is gone' };
    // Without SMTP_URL nothing is sent, so nothing is rendered: the owner page renders what it shows.
    if (!smtp) return settled(item, { kind: 'done', status: EmailStatus.NOT_SENT });
    // The signal is the outbox's, alive as long as the process: the listener goes when the send
    // is over, or every email sent would leave one behind.
    let onAbort = (): void => {};
    const aborted = new Promise<SendOutcome>((resolve) => {
      onAbort = () => resolve({ kind: 'aborted' });
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const sent = courier
      .deliver({
        smtp,
        facts,
        headers: { from: options.mailFrom, to: mailbox(item.email.toName, item.email.to), messageId: messageIdOf(item.email.id, options.mailFrom) },
        envelope: { from: sender, to: [item.email.to] },
      })
      .then(outcomeOf);
    return settled(item, await Promise.race([sent, aborted]).finally(() => signal.removeEventListener('abort', onAbort)));
  };

  /** A password reset's token is kept only until its email settles (PasswordResetEmailLink). */
  const settled = async (item: EmailWithContext, outcome: SendOutcome): Promise<SendOutcome> => {
    const final = outcome.kind === 'done' || (outcome.kind === 'failed' && outcome.final);
    if (final && item.email.kind === EmailKind.PASSWORD_RESET) await store.forgetResetToken(item.email.id);
    return outcome;
  };

  return {
    name: 'email',
    table: EMAILS,
    statuses: { done: EmailStatus.SENT, failed: EmailStatus.FAILED },
    pacing: options,
    // The later of the app's clock (tests inject it to bring reminders due) and the real one, as
    // the database's, which stamps the emails a change makes due at once.
    now: () => new Date(Math.max(now().getTime(), Date.now())),
    load: async (claim) => (await store.claimed(claim)).map((item) => ({ ...item, id: item.email.id, attempts: item.email.attempts })),
    send,
    purge: (before) => store.purgeSettledBefore(before),
    close: () => courier.close(),
  };
}
