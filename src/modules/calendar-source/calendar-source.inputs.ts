import { Field, InputType } from 'type-graphql';
import { CalendarSourceKind } from './calendar-source.entity';

// Every rule below is checked by CalendarSourceService (calendar-source.service.ts), which names
// the field and the rule in BAD_USER_INPUT; the descriptions say the same to clients.

const URL_RULE =
  'An absolute http or https URL of at most 2048 characters whose host is and resolves to public addresses only, unless the server sets CALENDAR_ALLOW_PRIVATE_URLS=true. user:password@ in it are taken as username and password and not stored in the URL.';
const CREDENTIAL_RULE = 'At most 1000 characters; stored encrypted and never returned. In a patch, "" removes it.';

@InputType({ description: 'A new calendar source of the token owner (docs/api.md, Part 3, 28-30).' })
export class CalendarSourceInput {
  @Field(() => CalendarSourceKind, { description: 'A feed (ICS) or a CalDAV calendar collection (CALDAV).' })
  kind!: CalendarSourceKind;

  @Field({ description: URL_RULE })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the owner calls it, at most 200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: CREDENTIAL_RULE })
  username?: string | null;

  @Field(() => String, { nullable: true, description: CREDENTIAL_RULE })
  password?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'CALDAV only: write bookings into this calendar (docs/api.md, Part 3, 31).' })
  writeBookings?: boolean | null;
}

@InputType({ description: 'Changes to a calendar source; omitted fields keep their value. A new url, username or password syncs it again from scratch.' })
export class CalendarSourcePatch {
  @Field(() => String, { nullable: true, description: URL_RULE })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'What the owner calls it, at most 200 characters; "" removes it.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: CREDENTIAL_RULE })
  username?: string | null;

  @Field(() => String, { nullable: true, description: CREDENTIAL_RULE })
  password?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'CALDAV only: write bookings into this calendar.' })
  writeBookings?: boolean | null;
}
