import { Migration } from '@mikro-orm/migrations';
import { overlapsBusy } from './Migration20261207050000';

const EMAIL_COLUMNS =
  '"id", "owner_id", "booking_id", "kind", "to_address", "to_name", "time_zone", "starts_at", "ends_at", "previous_starts_at", "sequence", "reminder_minutes", "status", "attempts", "due_at", "created_at"';

const REFUSE = `raise exception 'new row for relation "booking" violates check constraint "booking_outside_busy_time"'
      using errcode = 'check_violation', constraint = 'booking_outside_busy_time', table = 'booking';`;

/** Owner notices of `kind` about booking `b` to every extra host `h` with an email, as Migration20261207041000 writes the owner's. */
const hostNotices = (kind: string, previous: string, hosts: string) => `insert into "email" (${EMAIL_COLUMNS})
    select replace(gen_random_uuid()::text, '-', ''), h."id", b."id", '${kind}', h."email", h."name", h."time_zone", b."starts_at", b."ends_at", ${previous}, b."reschedule_count", null, 'PENDING', 0, clock_timestamp(), clock_timestamp()
    from "booking" b join "owner" h on ${hosts}
    where b."id" = new."${kind === 'OWNER_NEW_BOOKING' ? 'booking_id' : 'id'}" and h."id" <> b."owner_id" and h."email" is not null;`;

/**
 * A collective booking's extra hosts (booking_host, docs/api.md, Part 3, 37) are guarded and told
 * as its owner is: their synced busy time refuses the booking or its move in the database
 * (booking_outside_busy_time, as Migration20261207050000 does for the owner), and each host with
 * an email gets the owner notices of rule 25 (as Migration20261207041000 writes the owner's),
 * in the statement that records the host, moves or cancels the booking. owner.hosts_team_bookings
 * marks a calendar that hosts another owner's booking, so only its booking pages look in
 * booking_host. Written by hand.
 */
export class Migration20261207060200 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "booking_host_refuses_busy_time"() returns trigger language plpgsql as $$
declare
  b record;
begin
  select * into b from "booking" where "id" = new."booking_id";
  if b."owner_id" <> new."owner_id" and b."status" <> 'CANCELLED'
    and (${overlapsBusy('new."owner_id"', `(b."starts_at" - b."buffer_before_minutes" * interval '1 minute')`, `(b."ends_at" + b."buffer_after_minutes" * interval '1 minute')`)}) then
    ${REFUSE}
  end if;
  return new;
end $$;`);
    this.addSql('create trigger "booking_host_insert_refuses_busy_time" before insert on "booking_host" for each row execute function "booking_host_refuses_busy_time"();');
    this.addSql(`create function "booking_move_refuses_hosts_busy_time"() returns trigger language plpgsql as $$
begin
  if exists (select 1 from "booking_host" bh where bh."booking_id" = new."id" and bh."owner_id" <> new."owner_id"
    and (${overlapsBusy('bh."owner_id"', `(new."starts_at" - new."buffer_before_minutes" * interval '1 minute')`, `(new."ends_at" + new."buffer_after_minutes" * interval '1 minute')`)})) then
    ${REFUSE}
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "booking_move_refuses_hosts_busy_time" before update of "starts_at", "ends_at" on "booking" for each row
  when (new."status" <> 'CANCELLED' and (new."starts_at", new."ends_at") is distinct from (old."starts_at", old."ends_at"))
  execute function "booking_move_refuses_hosts_busy_time"();`);
    this.addSql('alter table "owner" add column "hosts_team_bookings" boolean not null default false;');
    this.addSql(`create function "booking_host_email_created"() returns trigger language plpgsql as $$
begin
  ${hostNotices('OWNER_NEW_BOOKING', 'null', 'h."id" = new."owner_id"')}
  update "owner" set "hosts_team_bookings" = true where "id" = new."owner_id" and not "hosts_team_bookings"
    and "id" <> (select "owner_id" from "booking" where "id" = new."booking_id");
  return null;
end $$;`);
    this.addSql('create trigger "booking_host_email_created" after insert on "booking_host" for each row execute function "booking_host_email_created"();');
    this.addSql(`create function "booking_hosts_email_changed"() returns trigger language plpgsql as $$
begin
  if new."reschedule_count" > old."reschedule_count" then
    ${hostNotices('OWNER_BOOKING_RESCHEDULED', 'old."starts_at"', 'h."id" in (select "owner_id" from "booking_host" where "booking_id" = new."id")')}
  elsif old."status" = 'CONFIRMED' and new."status" = 'CANCELLED' then
    ${hostNotices('OWNER_BOOKING_CANCELLED', 'null', 'h."id" in (select "owner_id" from "booking_host" where "booking_id" = new."id")')}
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "booking_hosts_email_changed" after update of "reschedule_count", "status" on "booking" for each row
  when (new."reschedule_count" > old."reschedule_count" or (old."status" = 'CONFIRMED' and new."status" = 'CANCELLED'))
  execute function "booking_hosts_email_changed"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_hosts_email_changed" on "booking";');
    this.addSql('drop function "booking_hosts_email_changed"();');
    this.addSql('drop trigger "booking_host_email_created" on "booking_host";');
    this.addSql('drop function "booking_host_email_created"();');
    this.addSql('drop trigger "booking_move_refuses_hosts_busy_time" on "booking";');
    this.addSql('drop function "booking_move_refuses_hosts_busy_time"();');
    this.addSql('drop trigger "booking_host_insert_refuses_busy_time" on "booking_host";');
    this.addSql('drop function "booking_host_refuses_busy_time"();');
    this.addSql('alter table "owner" drop column "hosts_team_bookings";');
  }
}
