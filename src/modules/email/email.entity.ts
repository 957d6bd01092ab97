import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';

/** What an email tells (docs/api.md, Part 3, 25). */
export enum EmailKind {
  BOOKING_CONFIRMED = 'BOOKING_CONFIRMED',
  BOOKING_RESCHEDULED = 'BOOKING_RESCHEDULED',
  BOOKING_CANCELLED = 'BOOKING_CANCELLED',
  BOOKING_REMINDER = 'BOOKING_REMINDER',
  OWNER_NEW_BOOKING = 'OWNER_NEW_BOOKING',
  OWNER_BOOKING_CANCELLED = 'OWNER_BOOKING_CANCELLED',
  OWNER_BOOKING_RESCHEDULED = 'OWNER_BOOKING_RESCHEDULED',
  PASSWORD_RESET = 'PASSWORD_RESET',
}
registerEnumType(EmailKind, {
  name: 'EmailKind',
  description: 'What an email tells: the invitee of a booking change or reminder, the owner of a change, a person of a password reset.',
  valuesConfig: {
    BOOKING_CONFIRMED: { description: 'To the invitee: bookSlot took the booking; carries the invitation and the manage link.' },
    BOOKING_RESCHEDULED: { description: 'To the invitee: the booking moved; carries the updated invitation and the manage link.' },
    BOOKING_CANCELLED: { description: 'To the invitee: the booking was cancelled; carries the invitation\'s cancellation.' },
    BOOKING_REMINDER: { description: "To the invitee: the booking starts in one of its event type's reminderMinutes." },
    OWNER_NEW_BOOKING: { description: 'To the owner (Owner.email): a booking was made.' },
    OWNER_BOOKING_CANCELLED: { description: 'To the owner (Owner.email): a booking was cancelled.' },
    OWNER_BOOKING_RESCHEDULED: { description: 'To the owner (Owner.email): a booking moved.' },
    PASSWORD_RESET: { description: 'To a person: a link to reset their password.' },
  },
});

export enum EmailStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  NOT_SENT = 'NOT_SENT',
}
registerEnumType(EmailStatus, {
  name: 'EmailStatus',
  description: 'Where an email stands.',
  valuesConfig: {
    PENDING: { description: 'Not yet accepted by the SMTP server: an attempt is due at dueAt.' },
    SENT: { description: 'The SMTP server accepted it.' },
    FAILED: { description: 'Refused permanently (5xx), or every scheduled attempt failed.' },
    NOT_SENT: { description: 'The server has no SMTP_URL: recorded and readable here, never sent.' },
  },
});

/**
 * One email, written by the booking triggers (Migration20261207041000) in the statement that makes
 * the change, with the booking's time as the change left it; a kind of the outbox
 * (src/modules/outbox). Its content is rendered from these facts and the booking's owner and
 * event type when it is sent, and again when the owner reads it.
 */
@ObjectType({ description: 'An email Slotbook sent, will send, or (without SMTP_URL) would have sent.' })
@Entity({ tableName: 'email' })
@Index({ name: 'email_due_idx', properties: ['status', 'dueAt'] })
@Index({ name: 'email_claim_idx', properties: ['status', 'owner', 'dueAt'] })
@Index({ name: 'email_owner_created_idx', properties: ['owner', 'createdAt', 'id'] })
export class Email {
  @Field(() => ID, { description: 'Opaque id; also the left part of its Message-ID.' })
  @PrimaryKey({ type: 'string', length: 32 })
  id!: string;

  /** Whose list it is in; its fair share of the outbox. Null for a PASSWORD_RESET, which is a person's, not a calendar's. */
  @ManyToOne(() => Owner, { deleteRule: 'cascade', index: false, nullable: true })
  owner: Rel<Owner> | null = null;

  @Property({ type: 'string', length: 36, nullable: true, index: 'email_booking_id_index' })
  bookingId: string | null = null;

  @Field(() => EmailKind, { description: 'What it tells.' })
  @Enum({ items: () => EmailKind, type: 'string' })
  kind!: EmailKind;

  @Field({ description: 'The recipient\'s address.' })
  @Property({ type: 'string', length: 320, fieldName: 'to_address' })
  to!: string;

  @Property({ type: 'string', length: 200 })
  toName!: string;

  /** The recipient's zone, in which the email shows times. */
  @Property({ type: 'string', length: 64 })
  timeZone!: string;

  @Property({ type: 'datetime', nullable: true })
  startsAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  endsAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  previousStartsAt: Date | null = null;

  /** The booking's reschedule count at the change: the invitation's SEQUENCE. */
  @Property({ type: 'integer', default: 0 })
  sequence: Opt<number> = 0;

  @Property({ type: 'integer', nullable: true })
  reminderMinutes: number | null = null;

  @Field(() => EmailStatus, { description: 'PENDING until sent (SENT), refused for good (FAILED), or recorded without SMTP_URL (NOT_SENT).' })
  @Enum({ items: () => EmailStatus, type: 'string' })
  status: Opt<EmailStatus> = EmailStatus.PENDING;

  @Field(() => Int, { description: 'Attempts made so far.' })
  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (the SMTP reply or the connection error, never credentials); null when it did not.' })
  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Field(() => DateTimeScalar, { description: 'When it is (or was last) due: a reminder at startsAt − its minutes, a retry after its wait.' })
  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the SMTP server accepted it; null before.' })
  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;

  @Field(() => DateTimeScalar, { description: 'When the change it tells of was made.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Until when a process's outbox holds it (a lease, so a killed process's claims expire). */
  @Property({ type: 'datetime', nullable: true, index: 'email_claimed_until_index' })
  claimedUntil: Date | null = null;

  @Property({ type: 'string', length: 36, nullable: true })
  claimedBy: string | null = null;
}

/**
 * The reset token a PASSWORD_RESET email links to, kept only until the email settles
 * (email.sender.ts deletes it): password_reset holds only the token's hash, and the email must
 * carry the token itself.
 */
@Entity({ tableName: 'password_reset_email_link' })
export class PasswordResetEmailLink {
  @ManyToOne(() => Email, { primary: true, deleteRule: 'cascade' })
  email!: Rel<Email>;

  @Property({ type: 'string', length: 100 })
  token!: string;
}
