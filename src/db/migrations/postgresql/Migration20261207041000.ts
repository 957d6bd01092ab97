import { Migration } from '@mikro-orm/migrations';

const EMAIL_COLUMNS =
  '"id", "owner_id", "booking_id", "kind", "to_address", "to_name", "time_zone", "starts_at", "ends_at", "previous_starts_at", "sequence", "reminder_minutes", "status", "attempts", "due_at", "created_at"';

/**
 * Emails (docs/api.md, Part 3, 25-27): Owner.email, EventType.reminderMinutes, the invitee's
 * zone on booking, the email table (a kind of the outbox: src/modules/outbox), and the trigger
 * that writes it in the statement that changes the booking, as the webhook trigger does
 * (Migration20261130163634): a booking writes the invitee's confirmation, the owner's notice and
 * the reminders; a reschedule its notices and moves the unsent reminders (drops, writes anew); a
 * cancel its notices and drops the unsent reminders. booking_email_link keeps the manage token
 * the emails link to (the one-statement booking writes it: BookingStore); the booking's other
 * tokens are stored hashed, but emails carry this one in the clear anyway. Written by hand (the
 * ORM cannot express triggers).
 */
export class Migration20261207041000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "owner" add column "email" varchar(320) null;');
    this.addSql(`alter table "event_type" add column "reminder_minutes" jsonb not null default '[]';`);
    this.addSql('alter table "booking" add column "invitee_time_zone" varchar(64) null;');
    this.addSql('create table "booking_email_link" ("booking_id" varchar(36) not null, "manage_token" varchar(100) not null, constraint "booking_email_link_pkey" primary key ("booking_id"));');
    this.addSql('alter table "booking_email_link" add constraint "booking_email_link_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on update cascade on delete cascade;');
    this.addSql(`create table "email" ("id" varchar(32) not null, "owner_id" varchar(36) not null, "booking_id" varchar(36) null, "kind" text check ("kind" in ('BOOKING_CONFIRMED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REMINDER', 'OWNER_NEW_BOOKING', 'OWNER_BOOKING_CANCELLED', 'OWNER_BOOKING_RESCHEDULED', 'PASSWORD_RESET')) not null, "to_address" varchar(320) not null, "to_name" varchar(200) not null, "time_zone" varchar(64) not null, "starts_at" timestamptz null, "ends_at" timestamptz null, "previous_starts_at" timestamptz null, "sequence" int not null default 0, "reminder_minutes" int null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED', 'NOT_SENT')) not null default 'PENDING', "attempts" int not null default 0, "last_error" varchar(500) null, "due_at" timestamptz not null, "sent_at" timestamptz null, "created_at" timestamptz not null, "claimed_until" timestamptz null, "claimed_by" varchar(36) null, constraint "email_pkey" primary key ("id"));`);
    this.addSql('alter table "email" add constraint "email_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');
    this.addSql('create index "email_due_idx" on "email" ("status", "due_at");');
    this.addSql('create index "email_owner_created_idx" on "email" ("owner_id", "created_at", "id");');
    this.addSql('create index "email_booking_id_index" on "email" ("booking_id");');
    // The fair claim counts each owner's rows in flight: few, found by this index.
    this.addSql('create index "email_claimed_until_index" on "email" ("claimed_until");');
    this.addSql('create index "webhook_delivery_claimed_until_index" on "webhook_delivery" ("claimed_until");');
    // A claim's rows are read back by its token.
    this.addSql('create index "email_claimed_by_index" on "email" ("claimed_by");');
    this.addSql('create index "webhook_delivery_claimed_by_index" on "webhook_delivery" ("claimed_by");');

    this.addSql(`create function "booking_email_outbox"() returns trigger language plpgsql as $$
declare
  at timestamptz := clock_timestamp();
  o record;
  invitee_kind text;
  owner_kind text;
  previous timestamptz;
begin
  if tg_op = 'INSERT' then
    invitee_kind := 'BOOKING_CONFIRMED'; owner_kind := 'OWNER_NEW_BOOKING';
  elsif new."reschedule_count" > old."reschedule_count" then
    invitee_kind := 'BOOKING_RESCHEDULED'; owner_kind := 'OWNER_BOOKING_RESCHEDULED'; previous := old."starts_at";
  elsif old."status" = 'CONFIRMED' and new."status" = 'CANCELLED' then
    invitee_kind := 'BOOKING_CANCELLED'; owner_kind := 'OWNER_BOOKING_CANCELLED';
  else
    return null;
  end if;
  select "name", "email", "time_zone" into o from "owner" where "id" = new."owner_id";
  insert into "email" (${EMAIL_COLUMNS}) values
    (replace(gen_random_uuid()::text, '-', ''), new."owner_id", new."id", invitee_kind, new."invitee_email", new."invitee_name", coalesce(new."invitee_time_zone", o."time_zone"),
     new."starts_at", new."ends_at", previous, new."reschedule_count", null, 'PENDING', 0, at, at);
  if o."email" is not null then
    insert into "email" (${EMAIL_COLUMNS}) values
      (replace(gen_random_uuid()::text, '-', ''), new."owner_id", new."id", owner_kind, o."email", o."name", o."time_zone",
       new."starts_at", new."ends_at", previous, new."reschedule_count", null, 'PENDING', 0, at, at);
  end if;
  if tg_op = 'UPDATE' then
    delete from "email" where "booking_id" = new."id" and "kind" = 'BOOKING_REMINDER' and "status" = 'PENDING';
  end if;
  if invitee_kind <> 'BOOKING_CANCELLED' and new."event_type_id" is not null then
    insert into "email" (${EMAIL_COLUMNS})
      select replace(gen_random_uuid()::text, '-', ''), new."owner_id", new."id", 'BOOKING_REMINDER', new."invitee_email", new."invitee_name", coalesce(new."invitee_time_zone", o."time_zone"),
        new."starts_at", new."ends_at", null, new."reschedule_count", m::int, 'PENDING', 0, new."starts_at" - make_interval(mins => m::int), at
      from "event_type" e cross join lateral jsonb_array_elements_text(e."reminder_minutes") m
      where e."id" = new."event_type_id" and new."starts_at" - make_interval(mins => m::int) > at;
  end if;
  return null;
end $$;`);
    this.addSql('create trigger "booking_email_outbox" after insert or update on "booking" for each row execute function "booking_email_outbox"();');
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_email_outbox" on "booking";');
    this.addSql('drop function "booking_email_outbox"();');
    this.addSql('drop index "webhook_delivery_claimed_until_index";');
    this.addSql('drop table if exists "email" cascade;');
    this.addSql('drop table if exists "booking_email_link" cascade;');
    this.addSql('alter table "booking" drop column "invitee_time_zone";');
    this.addSql('alter table "event_type" drop column "reminder_minutes";');
    this.addSql('alter table "owner" drop column "email";');
  }
}
