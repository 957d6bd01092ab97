import { Migration } from '@mikro-orm/migrations';

/**
 * Writing bookings back into the owner's CalDAV calendars (docs/api.md, Part 3, 31): the
 * calendar_write table (a kind of the outbox: src/modules/calendar-write) and the trigger that
 * fills it in the statement that changes the booking, as the email trigger does
 * (Migration20261207041000): a booking PUTs its event, a reschedule PUTs it again (SEQUENCE + 1),
 * a cancel DELETEs it; one row per CALDAV source of the owner with write_bookings. `step` orders
 * the writes of one booking into one source (the claim takes the earliest pending only); the
 * booking's row lock, held by the changing statement, serialises two changes of one booking.
 * calendar_written_event keeps the ETag each source answered per booking, so the next write
 * replaces exactly that version (If-Match). Written by hand (the ORM cannot express triggers).
 */
export class Migration20261207052000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "calendar_write" ("id" varchar(32) not null, "owner_id" varchar(36) not null, "source_id" varchar(36) not null, "booking_id" varchar(36) not null, "step" int not null, "action" text check ("action" in ('PUT', 'DELETE')) not null, "sequence" int not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" text check ("status" in ('PENDING', 'WRITTEN', 'FAILED', 'SKIPPED')) not null default 'PENDING', "attempts" int not null default 0, "last_error" varchar(500) null, "due_at" timestamptz not null, "written_at" timestamptz null, "created_at" timestamptz not null, "claimed_until" timestamptz null, "claimed_by" varchar(36) null, constraint "calendar_write_pkey" primary key ("id"));`);
    this.addSql('alter table "calendar_write" add constraint "calendar_write_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');
    this.addSql('create index "calendar_write_due_idx" on "calendar_write" ("status", "due_at");');
    // The outbox's claim walks the owners of pending writes and takes each one's earliest (outbox.store.ts).
    this.addSql('create index "calendar_write_claim_idx" on "calendar_write" ("status", "owner_id", "due_at");');
    // The claim's order check: the earlier pending writes of the same booking into the same source.
    this.addSql('create index "calendar_write_order_idx" on "calendar_write" ("booking_id", "source_id", "step");');
    this.addSql('create index "calendar_write_owner_id_index" on "calendar_write" ("owner_id");');
    this.addSql('create index "calendar_write_claimed_until_index" on "calendar_write" ("claimed_until");');
    this.addSql('create index "calendar_write_claimed_by_index" on "calendar_write" ("claimed_by");');
    this.addSql('create table "calendar_written_event" ("source_id" varchar(36) not null, "booking_id" varchar(36) not null, "etag" varchar(1000) null, constraint "calendar_written_event_pkey" primary key ("source_id", "booking_id"));');

    this.addSql(`create function "booking_calendar_write"() returns trigger language plpgsql as $$
declare
  act text;
  at timestamptz := clock_timestamp();
begin
  if tg_op = 'INSERT' and new."status" = 'CONFIRMED' then
    act := 'PUT';
  elsif tg_op = 'UPDATE' and new."reschedule_count" > old."reschedule_count" then
    act := 'PUT';
  elsif tg_op = 'UPDATE' and old."status" = 'CONFIRMED' and new."status" = 'CANCELLED' then
    act := 'DELETE';
  else
    return null;
  end if;
  insert into "calendar_write" ("id", "owner_id", "source_id", "booking_id", "step", "action", "sequence", "starts_at", "ends_at", "status", "attempts", "due_at", "created_at")
    select replace(gen_random_uuid()::text, '-', ''), new."owner_id", s."id", new."id",
      coalesce((select max(w."step") from "calendar_write" w where w."booking_id" = new."id" and w."source_id" = s."id"), -1) + 1,
      act, new."reschedule_count", new."starts_at", new."ends_at", 'PENDING', 0, at, at
    from "calendar_source" s where s."owner_id" = new."owner_id" and s."kind" = 'CALDAV' and s."write_bookings";
  return null;
end $$;`);
    this.addSql('create trigger "booking_calendar_write" after insert or update on "booking" for each row execute function "booking_calendar_write"();');
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_calendar_write" on "booking";');
    this.addSql('drop function "booking_calendar_write"();');
    this.addSql('drop table "calendar_written_event";');
    this.addSql('drop table "calendar_write";');
  }
}
