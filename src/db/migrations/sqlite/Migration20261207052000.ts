import { Migration } from '@mikro-orm/migrations';

/** The database's clock in Unix milliseconds, as SQLite rows store instants. */
const NOW_MS = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

const COLUMNS = '`id`, `owner_id`, `source_id`, `booking_id`, `step`, `action`, `sequence`, `starts_at`, `ends_at`, `status`, `attempts`, `due_at`, `created_at`';

/**
 * One write of booking `new` per CALDAV source of its owner that writes bookings back. `step`
 * orders the writes of one booking into one source (the claim takes the earliest pending only).
 */
const writes = (action: 'PUT' | 'DELETE'): string => `  insert into \`calendar_write\` (${COLUMNS})
    select lower(hex(randomblob(16))), new.\`owner_id\`, s.\`id\`, new.\`id\`,
      coalesce((select max(w.\`step\`) from \`calendar_write\` w where w.\`booking_id\` = new.\`id\` and w.\`source_id\` = s.\`id\`), -1) + 1,
      '${action}', new.\`reschedule_count\`, new.\`starts_at\`, new.\`ends_at\`, 'PENDING', 0, ${NOW_MS}, ${NOW_MS}
    from \`calendar_source\` s where s.\`owner_id\` = new.\`owner_id\` and s.\`kind\` = 'CALDAV' and s.\`write_bookings\` = 1;`;

/**
 * Writing bookings back into the owner's CalDAV calendars (docs/api.md, Part 3, 31): the
 * calendar_write table (a kind of the outbox: src/modules/calendar-write) and the triggers that
 * fill it in the statement that changes the booking, as the email triggers do
 * (Migration20261207041000): a booking PUTs its event, a reschedule PUTs it again (SEQUENCE + 1),
 * a cancel DELETEs it. calendar_written_event keeps the ETag each source answered per booking, so
 * the next write replaces exactly that version (If-Match). Written by hand (the ORM cannot
 * express triggers).
 */
export class Migration20261207052000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`calendar_write\` (\`id\` text not null, \`owner_id\` text not null, \`source_id\` text not null, \`booking_id\` text not null, \`step\` integer not null, \`action\` text check (\`action\` in ('PUT', 'DELETE')) not null, \`sequence\` integer not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`status\` text check (\`status\` in ('PENDING', 'WRITTEN', 'FAILED', 'SKIPPED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`last_error\` text null, \`due_at\` datetime not null, \`written_at\` datetime null, \`created_at\` datetime not null, \`claimed_until\` datetime null, \`claimed_by\` text null, constraint \`calendar_write_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql('create index `calendar_write_due_idx` on `calendar_write` (`status`, `due_at`);');
    // The outbox's claim walks the owners of pending writes and takes each one's earliest (outbox.store.ts).
    this.addSql('create index `calendar_write_claim_idx` on `calendar_write` (`status`, `owner_id`, `due_at`);');
    // The claim's order check: the earlier pending writes of the same booking into the same source.
    this.addSql('create index `calendar_write_order_idx` on `calendar_write` (`booking_id`, `source_id`, `step`);');
    this.addSql('create index `calendar_write_owner_id_index` on `calendar_write` (`owner_id`);');
    this.addSql('create index `calendar_write_claimed_until_index` on `calendar_write` (`claimed_until`);');
    this.addSql('create index `calendar_write_claimed_by_index` on `calendar_write` (`claimed_by`);');
    this.addSql('create table `calendar_written_event` (`source_id` text not null, `booking_id` text not null, `etag` text null, primary key (`source_id`, `booking_id`));');

    this.addSql(`create trigger \`booking_calendar_write_created\` after insert on \`booking\` when new.\`status\` = 'CONFIRMED' begin
${writes('PUT')}
end;`);
    this.addSql(`create trigger \`booking_calendar_write_rescheduled\` after update of \`reschedule_count\` on \`booking\` when new.\`reschedule_count\` > old.\`reschedule_count\` begin
${writes('PUT')}
end;`);
    this.addSql(`create trigger \`booking_calendar_write_cancelled\` after update of \`status\` on \`booking\` when old.\`status\` = 'CONFIRMED' and new.\`status\` = 'CANCELLED' begin
${writes('DELETE')}
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `booking_calendar_write_cancelled`;');
    this.addSql('drop trigger `booking_calendar_write_rescheduled`;');
    this.addSql('drop trigger `booking_calendar_write_created`;');
    this.addSql('drop table `calendar_written_event`;');
    this.addSql('drop table `calendar_write`;');
  }
}
