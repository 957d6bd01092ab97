import { Migration } from '@mikro-orm/migrations';

/** Most webhook endpoints per owner: MAX_ENDPOINTS_PER_OWNER in src/modules/webhook/webhook.service.ts. */
const MAX_ENDPOINTS_PER_OWNER = 10;

/**
 * Two invariants the app checked only before writing, now kept by the database:
 *
 * - Daily caps after a zone change (docs/api.md, Part 2, details of 9-13): a booking counts on
 *   the local date of its start in the owner's *current* zone, so updateOwner re-dates the
 *   owner's live bookings (booking.local_date) in its transaction. A re-dated booking (an update
 *   of local_date alone: same start, status and event type) leaves its old day and joins its new
 *   one without the cap's check: the booking exists and is never cancelled, so a zone change must
 *   not fail, and a day it lands on past the cap just offers no more slots. The seat it joins
 *   with carries no cap (`cap` null); the next booking that takes a seat of that day writes the
 *   event type's cap again and is refused past it. Moves, status changes and new bookings still
 *   take their seat under the cap, as in Migration20261130150246.
 * - At most MAX_ENDPOINTS_PER_OWNER webhook endpoints per owner, checked by a trigger in the
 *   statement that adds one. It first locks the owner's row, so concurrent additions for one
 *   owner (from any process) count one after the other instead of each reading a count that
 *   does not yet hold the others'. Refused as a check violation naming webhook_endpoint_limit.
 *
 * Written by hand: the ORM cannot express triggers.
 */
export class Migration20261207021000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function "booking_counts_event_type_day"() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old."event_type_id" is not null and old."status" <> 'CANCELLED' then
    update "event_type_day" set "booked" = "booked" - 1 where "event_type_id" = old."event_type_id" and "local_date" = old."local_date";
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new."event_type_id" is not null and new."status" <> 'CANCELLED' then
    if tg_op = 'UPDATE' and old."status" = new."status" and old."event_type_id" = new."event_type_id" and old."starts_at" = new."starts_at" then
      insert into "event_type_day" ("event_type_id", "local_date", "booked", "cap") values (new."event_type_id", new."local_date", 1, null)
        on conflict ("event_type_id", "local_date") do update set "booked" = "event_type_day"."booked" + 1, "cap" = null;
    else
      insert into "event_type_day" ("event_type_id", "local_date", "booked", "cap")
        select new."event_type_id", new."local_date", 1, "max_bookings_per_day" from "event_type" where "id" = new."event_type_id"
        on conflict ("event_type_id", "local_date") do update set "booked" = "event_type_day"."booked" + 1, "cap" = excluded."cap";
    end if;
  end if;
  return null;
end $$;`);

    this.addSql(`create function "webhook_endpoint_limit"() returns trigger language plpgsql as $$
begin
  perform 1 from "owner" where "id" = new."owner_id" for update;
  if (select count(*) from "webhook_endpoint" where "owner_id" = new."owner_id") >= ${MAX_ENDPOINTS_PER_OWNER} then
    raise exception 'webhook_endpoint_limit: an owner has at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints' using errcode = 'check_violation', constraint = 'webhook_endpoint_limit';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "webhook_endpoint_limit" before insert on "webhook_endpoint" for each row execute function "webhook_endpoint_limit"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "webhook_endpoint_limit" on "webhook_endpoint";`);
    this.addSql(`drop function "webhook_endpoint_limit"();`);
  }
}
