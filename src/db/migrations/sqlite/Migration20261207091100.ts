import { Migration } from '@mikro-orm/migrations';

/** The database's clock in Unix milliseconds, as SQLite rows store instants. */
const NOW_MS = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

const COLUMNS = '`id`, `owner_id`, `source_id`, `booking_id`, `step`, `action`, `sequence`, `starts_at`, `ends_at`, `status`, `attempts`, `due_at`, `created_at`';

/**
 * One write of booking `b` (the row as the change left it) into every source `s` that the
 * query's `from` joins: as Migration20261207052000 writes the owner's, but the row belongs to the
 * source's calendar (owner_id), so the outbox counts it against that host's fair share.
 */
const writes = (action: 'PUT' | 'DELETE', from: string): string => `  insert into \`calendar_write\` (${COLUMNS})
    select lower(hex(randomblob(16))), s.\`owner_id\`, s.\`id\`, b.\`id\`,
      coalesce((select max(w.\`step\`) from \`calendar_write\` w where w.\`booking_id\` = b.\`id\` and w.\`source_id\` = s.\`id\`), -1) + 1,
      '${action}', b.\`reschedule_count\`, b.\`starts_at\`, b.\`ends_at\`, 'PENDING', 0, ${NOW_MS}, ${NOW_MS}
    ${from};`;

/** The CALDAV sources that write bookings back, of the calendar `owner`. */
const writingSources = (owner: string) => `join \`calendar_source\` s on s.\`owner_id\` = ${owner} and s.\`kind\` = 'CALDAV' and s.\`write_bookings\` = 1`;

/** Booking `new` joined with the write-back sources of each of its extra hosts (booking_host rows other than its owner). */
const EXTRA_HOSTS_SOURCES = `from \`booking\` b join \`booking_host\` bh on bh.\`booking_id\` = b.\`id\` and bh.\`owner_id\` <> b.\`owner_id\` ${writingSources('bh.`owner_id`')}
    where b.\`id\` = new.\`id\``;

/**
 * A collective booking is written back into every host's CalDAV calendars (docs/api.md, Part 3,
 * 31 and 37), not only its owner's: each extra host's CALDAV sources with writeBookings get the
 * booking's event PUT when the host is recorded (booking_host insert: the booking's own insert
 * trigger runs before its hosts exist), PUT again on a reschedule and DELETEd on a cancel, in the
 * statement that changes the booking, as Migration20261207052000 writes the owner's. Per
 * booking and source the writes keep their order (`step`). Written by hand (the ORM cannot
 * express triggers).
 */
export class Migration20261207091100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create trigger \`booking_host_calendar_write_created\` after insert on \`booking_host\` begin
${writes('PUT', `from \`booking\` b ${writingSources('new.`owner_id`')}
    where b.\`id\` = new.\`booking_id\` and b.\`owner_id\` <> new.\`owner_id\` and b.\`status\` = 'CONFIRMED'`)}
end;`);
    this.addSql(`create trigger \`booking_hosts_calendar_write_rescheduled\` after update of \`reschedule_count\` on \`booking\` when new.\`reschedule_count\` > old.\`reschedule_count\` begin
${writes('PUT', EXTRA_HOSTS_SOURCES)}
end;`);
    this.addSql(`create trigger \`booking_hosts_calendar_write_cancelled\` after update of \`status\` on \`booking\` when old.\`status\` = 'CONFIRMED' and new.\`status\` = 'CANCELLED' begin
${writes('DELETE', EXTRA_HOSTS_SOURCES)}
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `booking_hosts_calendar_write_cancelled`;');
    this.addSql('drop trigger `booking_hosts_calendar_write_rescheduled`;');
    this.addSql('drop trigger `booking_host_calendar_write_created`;');
  }
}
