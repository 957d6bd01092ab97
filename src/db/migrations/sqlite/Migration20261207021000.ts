import { Migration } from '@mikro-orm/migrations';

/** Whether `row` counts against its event type's day: it has one and is live. */
const counted = (row: 'old' | 'new') => `${row}.\`event_type_id\` is not null and ${row}.\`status\` <> 'CANCELLED'`;
/** Whether an update moved what the row counts against: its liveness, event type or local date. */
const countChanged = `(old.\`status\` = 'CANCELLED') <> (new.\`status\` = 'CANCELLED') or old.\`event_type_id\` is not new.\`event_type_id\` or old.\`local_date\` is not new.\`local_date\``;
/** An update that changed only the booking's local date: the owner's zone changed, not the booking. */
const redated = `old.\`status\` = new.\`status\` and old.\`event_type_id\` is new.\`event_type_id\` and old.\`starts_at\` = new.\`starts_at\` and old.\`local_date\` is not new.\`local_date\``;

/** Most webhook endpoints per owner: MAX_ENDPOINTS_PER_OWNER in src/modules/webhook/webhook.service.ts. */
const MAX_ENDPOINTS_PER_OWNER = 10;

/**
 * Two invariants the app checked only before writing, now kept by the database:
 *
 * - Daily caps after a zone change (docs/api.md, Part 2, details of 9-13): a booking counts on
 *   the local date of its start in the owner's *current* zone, so updateOwner re-dates the
 *   owner's live bookings (booking.local_date) in its transaction. A re-dated booking leaves its
 *   old day and joins its new one without the cap's check: the booking exists and is never
 *   cancelled, so a zone change must not fail, and a day it lands on past the cap just offers no
 *   more slots. The seat it joins with carries no cap (`cap` null); the next booking that takes a
 *   seat of that day writes the event type's cap again and is refused past it. A move (a new
 *   `starts_at`), a status change or a new booking still take their seat under the cap
 *   (booking_update_counts_day, as in Migration20261130150239).
 * - At most MAX_ENDPOINTS_PER_OWNER webhook endpoints per owner: checked by a trigger in the
 *   statement that adds one. SQLite writes one transaction at a time, so the count it reads
 *   cannot be stale.
 *
 * Written by hand: the ORM cannot express triggers.
 */
export class Migration20261207021000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger \`booking_update_counts_day\`;`);
    this.addSql(`create trigger \`booking_update_counts_day\` after update of \`status\`, \`event_type_id\`, \`local_date\` on \`booking\` when ${counted('new')} and (${countChanged}) and not (${redated}) begin
  insert into \`event_type_day\` (\`event_type_id\`, \`local_date\`, \`booked\`, \`cap\`)
    select new.\`event_type_id\`, new.\`local_date\`, 1, \`max_bookings_per_day\` from \`event_type\` where \`id\` = new.\`event_type_id\`
    on conflict (\`event_type_id\`, \`local_date\`) do update set \`booked\` = \`booked\` + 1, \`cap\` = excluded.\`cap\`;
end;`);
    this.addSql(`create trigger \`booking_redate_counts_day\` after update of \`local_date\` on \`booking\` when ${counted('new')} and (${redated}) begin
  insert into \`event_type_day\` (\`event_type_id\`, \`local_date\`, \`booked\`, \`cap\`) values (new.\`event_type_id\`, new.\`local_date\`, 1, null)
    on conflict (\`event_type_id\`, \`local_date\`) do update set \`booked\` = \`booked\` + 1, \`cap\` = null;
end;`);

    this.addSql(`create trigger \`webhook_endpoint_limit\` before insert on \`webhook_endpoint\`
when (select count(*) from \`webhook_endpoint\` where \`owner_id\` = new.\`owner_id\`) >= ${MAX_ENDPOINTS_PER_OWNER} begin
  select raise(abort, 'webhook_endpoint_limit: an owner has at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints');
end;`);
  }
}
