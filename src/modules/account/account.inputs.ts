import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../shared/scalars';
import { Account } from './account.entity';

/** An account's email: trimmed, 3 to 320 characters, a valid address. */
export const ACCOUNT_EMAIL = { min: 3, max: 320, trim: true } as const;

/** A person's display name: trimmed, 1 to 200 characters. */
export const ACCOUNT_NAME = { min: 1, max: 200, trim: true } as const;

@InputType({ description: 'A new account: email, password and name.' })
export class RegisterInput {
  @Field({ description: 'The sign-in address; unique, compared case-insensitively.' })
  email!: string;

  @Field({ description: '12 to 200 characters (code points); stored only as a memory-hard hash.' })
  password!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  name!: string;
}

@ObjectType({ description: 'A signed-in session: a short-lived access token and the refresh token that renews it.' })
export class Session {
  @Field({ description: 'Sent as `Authorization: Bearer <accessToken>`; valid 15 minutes, and stops at once when the session ends.' })
  accessToken!: string;

  @Field(() => DateTimeScalar, { description: 'When the access token expires.' })
  accessExpiresAt!: Date;

  @Field({ description: 'For refreshSession (once: it returns a new one) and logout; valid 30 days. Keep it out of reach of scripts.' })
  refreshToken!: string;

  @Field(() => Account, { description: 'The signed-in account.' })
  account!: Account;
}
