import { Migration } from '@mikro-orm/migrations';
import { CHANGES as ALL_CHANGES } from './Migration20261130163632';

/** The database's clock in Unix milliseconds, as SQLite rows store instants. */
const NOW_MS = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

/** The booking changes after its insert that are reported (Migration20261130163632 defines them). */
const CHANGES = ALL_CHANGES.filter((change) => change.event !== 'BOOKING_CREATED');

/** Active endpoints that take `event` of the calendars in `owners` (a subquery or a single value). */
const endpointsFor = (event: string, owners: string): string =>
  `from \`webhook_endpoint\` where \`owner_id\` in (${owners}) and \`active\` = 1 and instr(\`event_list\`, ',${event},') > 0`;

/** Booking `new`'s owner and every host of it (booking_host lists them all for a collective booking; a single or round-robin booking has none). */
const HOSTS = 'select new.`owner_id` union select `owner_id` from `booking_host` where `booking_id` = new.`id`';

/** The update trigger reporting `change` to the endpoints of the calendars in `owners`. */
function changeTrigger(change: (typeof CHANGES)[number], owners: string): string {
  const messageId = `'msg_' || new.\`id\` || ${change.id}`;
  return `create trigger \`booking_webhook_${change.event.toLowerCase()}\` ${change.on} on \`booking\`
when ${change.when} and exists (select 1 ${endpointsFor(change.event, owners)})
begin
  insert into \`webhook_message\` (\`id\`, \`booking_id\`, \`event\`, \`occurred_at\`, \`starts_at\`, \`ends_at\`, \`status\`, \`previous_starts_at\`, \`previous_ends_at\`)
    values (${messageId}, new.\`id\`, '${change.event}', ${NOW_MS}, new.\`starts_at\`, new.\`ends_at\`, new.\`status\`, ${change.previous[0]}, ${change.previous[1]});
  insert into \`webhook_delivery\` (\`id\`, \`message_id\`, \`endpoint_id\`, \`status\`, \`attempts\`, \`next_attempt_at\`, \`created_at\`)
    select lower(hex(randomblob(16))), ${messageId}, \`id\`, 'PENDING', 0, ${NOW_MS}, ${NOW_MS} ${endpointsFor(change.event, owners)};
end;`;
}

/**
 * Webhooks reach every host of a collective booking (docs/api.md, Part 3, 37, with Part 2, 14-15):
 * each extra host's active endpoints get the booking's events, the same message (one id, one
 * body) as the owner's endpoints get, recorded in the statement that records the host or changes
 * the booking.
 *
 * - Created: the booking's own insert trigger (Migration20261130163632) writes the owner's
 *   deliveries before its hosts exist, so booking_host_webhook_created writes an extra host's
 *   deliveries when its booking_host row is inserted, and the message unless the owner's
 *   endpoints already made it.
 * - Cancelled, completed, rescheduled: the booking's update triggers are replaced by ones whose
 *   endpoints are the owner's and every booking_host's. One trigger per change writes its message
 *   once: SQLite fires triggers of one event newest first, so a second trigger inserting the same
 *   message would run before the owner's and break its insert.
 *
 * Written by hand (the ORM cannot express triggers).
 */
export class Migration20261207091000 extends Migration {
  override async up(): Promise<void> {
    for (const change of CHANGES) {
      this.addSql(`drop trigger \`booking_webhook_${change.event.toLowerCase()}\`;`);
      this.addSql(changeTrigger(change, HOSTS));
    }

    const created = endpointsFor('BOOKING_CREATED', 'new.`owner_id`');
    this.addSql(`create trigger \`booking_host_webhook_created\` after insert on \`booking_host\`
when new.\`owner_id\` <> (select \`owner_id\` from \`booking\` where \`id\` = new.\`booking_id\`) and exists (select 1 ${created})
begin
  insert into \`webhook_message\` (\`id\`, \`booking_id\`, \`event\`, \`occurred_at\`, \`starts_at\`, \`ends_at\`, \`status\`, \`previous_starts_at\`, \`previous_ends_at\`)
    select 'msg_' || b.\`id\` || '_created', b.\`id\`, 'BOOKING_CREATED', ${NOW_MS}, b.\`starts_at\`, b.\`ends_at\`, b.\`status\`, null, null
    from \`booking\` b where b.\`id\` = new.\`booking_id\`
    on conflict (\`id\`) do nothing;
  insert into \`webhook_delivery\` (\`id\`, \`message_id\`, \`endpoint_id\`, \`status\`, \`attempts\`, \`next_attempt_at\`, \`created_at\`)
    select lower(hex(randomblob(16))), 'msg_' || new.\`booking_id\` || '_created', \`id\`, 'PENDING', 0, ${NOW_MS}, ${NOW_MS} ${created};
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `booking_host_webhook_created`;');
    for (const change of CHANGES) {
      this.addSql(`drop trigger \`booking_webhook_${change.event.toLowerCase()}\`;`);
      this.addSql(changeTrigger(change, 'new.`owner_id`'));
    }
  }
}
