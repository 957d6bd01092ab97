import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { DateTimeScalar } from '../../shared/scalars';
import { Owner } from '../owner/owner.entity';

/** What a member may do with a calendar (docs/api.md, Part 3, 33). */
export enum CalendarRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
}
registerEnumType(CalendarRole, {
  name: 'CalendarRole',
  description: "A member's role in a calendar.",
  valuesConfig: {
    OWNER: { description: 'Everything, and also adding and removing members, rotating the owner token and removing calendar sources.' },
    ADMIN: { description: 'Every owner-only operation except those reserved to OWNER.' },
  },
});

/** A person (docs/api.md, Part 3, 32): not a calendar; a calendar is an Owner it is a member of. */
@ObjectType({ description: 'A person who signs in with an email and a password, is a member of calendars and administers teams.' })
@Entity({ tableName: 'account' })
export class Account {
  @Field(() => ID, { description: 'Opaque id; removeCalendarMember takes it.' })
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Field({ description: 'The sign-in address, as registered.' })
  @Property({ type: 'string', length: 320 })
  email!: string;

  /** The address lower-cased: unique, so two spellings of one address are one account. */
  @Property({ type: 'string', length: 320, unique: 'account_email_key_unique' })
  emailKey!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** The scrypt hash (account/password.ts); the password itself is never stored. */
  @Property({ type: 'string', length: 200 })
  passwordHash!: string;

  @Field(() => DateTimeScalar, { description: 'When the account was registered.' })
  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** One sign-in: its current access token (hashed) and, through RefreshToken, its refresh tokens. */
@Entity({ tableName: 'account_session' })
export class AccountSession {
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @ManyToOne(() => Account, { deleteRule: 'cascade', index: 'account_session_account_id_index' })
  account!: Rel<Account>;

  /** SHA-256 of the session's current access token; replaced on every refresh. */
  @Property({ type: 'string', length: 64, unique: 'account_session_access_token_hash_unique' })
  accessTokenHash!: string;

  @Property({ type: 'datetime' })
  accessExpiresAt!: Date;

  /** Set when the session ends (logout, refresh-token reuse, password reset): both its tokens stop at once. */
  @Property({ type: 'datetime', nullable: true })
  endedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** A refresh token of a session, by its hash: usable once (docs/api.md, Part 3, 33). */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken {
  @PrimaryKey({ type: 'string', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => AccountSession, { deleteRule: 'cascade', index: 'refresh_token_session_id_index' })
  session!: Rel<AccountSession>;

  /** When it was exchanged; presenting it again after that ends its session. */
  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** A password reset link's token, by its hash: single use, valid for an hour (docs/api.md, Part 3, 32). */
@Entity({ tableName: 'password_reset' })
export class PasswordReset {
  @PrimaryKey({ type: 'string', length: 64 })
  tokenHash!: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade', index: 'password_reset_account_id_index' })
  account!: Rel<Account>;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** An account's role in a calendar (an Owner). */
@ObjectType({ description: "An account's membership of a calendar." })
@Entity({ tableName: 'calendar_membership' })
@Index({ name: 'calendar_membership_owner_id_index', properties: ['owner'] })
export class CalendarMembership {
  @ManyToOne(() => Account, { primary: true, deleteRule: 'cascade' })
  account!: Rel<Account>;

  @ManyToOne(() => Owner, { primary: true, deleteRule: 'cascade', index: false })
  owner!: Rel<Owner>;

  @Field(() => CalendarRole, { description: "The account's role in it." })
  @Enum({ items: () => CalendarRole, type: 'string' })
  role!: CalendarRole;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}
