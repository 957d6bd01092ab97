import { Migration } from '@mikro-orm/migrations';

/**
 * One write (`act`, a PL/pgSQL variable) of booking `b` into every source `s` that `from` joins:
 * as Migration20261207052000 writes the owner's, but the row belongs to the source's calendar
 * (owner_id), so the outbox counts it against that host's fair share.
 */
const writes = (from: string): string => `insert into "calendar_write" ("id", "owner_id", "source_id", "booking_id", "step", "action", "sequence", "starts_at", "ends_at", "status", "attempts", "due_at", "created_at")
    select replace(gen_random_uuid()::text, '-', ''), s."owner_id", s."id", b."id",
      coalesce((select max(w."step") from "calendar_write" w where w."booking_id" = b."id" and w."source_id" = s."id"), -1) + 1,
      act, b."reschedule_count", b."starts_at", b."ends_at", 'PENDING', 0, at, at
    ${from};`;

/** The CALDAV sources that write bookings back, of the calendar `owner`. */
const writingSources = (owner: string) => `join "calendar_source" s on s."owner_id" = ${owner} and s."kind" = 'CALDAV' and s."write_bookings"`;

/**
 * A collective booking is written back into every host's CalDAV calendars (docs/api.md, Part 3,
 * 31 and 37), not only its owner's: each extra host's CALDAV sources with writeBookings get the
 * booking's event PUT when the host is recorded (booking_host insert: the booking's own insert
 * trigger runs before its hosts exist), PUT again on a reschedule and DELETEd on a cancel, in the
 * statement that changes the booking, as Migration20261207052000 writes the owner's. Per booking
 * and source the writes keep their order (`step`; the booking's row lock, held by the changing
 * statement, serialises two changes of one booking). Written by hand (the ORM cannot express
 * triggers).
 */
export class Migration20261207091100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "booking_host_calendar_write"() returns trigger language plpgsql as $$
declare
  act text := 'PUT';
  at timestamptz := clock_timestamp();
begin
  ${writes(`from "booking" b ${writingSources('new."owner_id"')}
    where b."id" = new."booking_id" and b."owner_id" <> new."owner_id" and b."status" = 'CONFIRMED'`)}
  return null;
end $$;`);
    this.addSql('create trigger "booking_host_calendar_write" after insert on "booking_host" for each row execute function "booking_host_calendar_write"();');
    this.addSql(`create function "booking_hosts_calendar_write"() returns trigger language plpgsql as $$
declare
  act text := case when new."reschedule_count" > old."reschedule_count" then 'PUT' else 'DELETE' end;
  at timestamptz := clock_timestamp();
begin
  ${writes(`from "booking" b join "booking_host" bh on bh."booking_id" = b."id" and bh."owner_id" <> b."owner_id" ${writingSources('bh."owner_id"')}
    where b."id" = new."id"`)}
  return null;
end $$;`);
    this.addSql(`create trigger "booking_hosts_calendar_write" after update of "reschedule_count", "status" on "booking" for each row
  when (new."reschedule_count" > old."reschedule_count" or (old."status" = 'CONFIRMED' and new."status" = 'CANCELLED'))
  execute function "booking_hosts_calendar_write"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_hosts_calendar_write" on "booking";');
    this.addSql('drop function "booking_hosts_calendar_write"();');
    this.addSql('drop trigger "booking_host_calendar_write" on "booking_host";');
    this.addSql('drop function "booking_host_calendar_write"();');
  }
}
