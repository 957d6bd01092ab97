import { Migration } from '@mikro-orm/migrations';
import { endpointsFor, OWNER, webhookOutboxFunction } from './Migration20261130163634';

/** In booking_host's trigger, `new` is the host's row: its calendar's endpoints. */
const HOST = 'e."owner_id" = new."owner_id"';

/**
 * Webhooks reach every host of a collective booking (docs/api.md, Part 3, 37, with Part 2, 14-15):
 * each extra host's active endpoints get the booking's events, the same message (one id, one
 * body) as the owner's endpoints get, recorded in the statement that records the host or changes
 * the booking.
 *
 * - Created: the booking's insert (booking_webhook_outbox) writes the owner's deliveries before
 *   its hosts exist, so booking_host_webhook_created writes an extra host's deliveries when its
 *   booking_host row is inserted, and the message unless the owner's endpoints already made it.
 * - Cancelled, completed, rescheduled: booking_webhook_outbox's endpoints become the owner's and
 *   every booking_host's (a single or round-robin booking has no booking_host rows), so each
 *   change still writes its message once.
 *
 * Written by hand (the ORM cannot express triggers).
 */
export class Migration20261207091000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(webhookOutboxFunction('create or replace', endpointsFor(`(${OWNER} or e."owner_id" in (select "owner_id" from "booking_host" where "booking_id" = new."id"))`)));
    this.addSql(`create function "booking_host_webhook_created"() returns trigger language plpgsql as $$
declare
  change text := 'BOOKING_CREATED';
  message_id text := 'msg_' || new."booking_id" || '_created';
  at timestamptz := clock_timestamp();
begin
  if new."owner_id" = (select "owner_id" from "booking" where "id" = new."booking_id")
    or not exists (select 1 ${endpointsFor(HOST)}) then
    return null;
  end if;
  insert into "webhook_message" ("id", "booking_id", "event", "occurred_at", "starts_at", "ends_at", "status", "previous_starts_at", "previous_ends_at")
    select message_id, b."id", change, at, b."starts_at", b."ends_at", b."status", null, null from "booking" b where b."id" = new."booking_id"
    on conflict ("id") do nothing;
  insert into "webhook_delivery" ("id", "message_id", "endpoint_id", "status", "attempts", "next_attempt_at", "created_at")
    select replace(gen_random_uuid()::text, '-', ''), message_id, e."id", 'PENDING', 0, at, at ${endpointsFor(HOST)};
  return null;
end $$;`);
    this.addSql('create trigger "booking_host_webhook_created" after insert on "booking_host" for each row execute function "booking_host_webhook_created"();');
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_host_webhook_created" on "booking_host";');
    this.addSql('drop function "booking_host_webhook_created"();');
    this.addSql(webhookOutboxFunction('create or replace', endpointsFor(OWNER)));
  }
}
