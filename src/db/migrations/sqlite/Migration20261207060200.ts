import { Migration } from '@mikro-orm/migrations';
import { overlapsBusy } from './Migration20261207050000';

/** The database's clock in Unix milliseconds, as SQLite rows store instants. */
const NOW_MS = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

const EMAIL_COLUMNS =
  '`id`, `owner_id`, `booking_id`, `kind`, `to_address`, `to_name`, `time_zone`, `starts_at`, `ends_at`, `previous_starts_at`, `sequence`, `reminder_minutes`, `status`, `attempts`, `due_at`, `created_at`';

const REFUSAL = "select raise(abort, 'CHECK constraint failed: booking_outside_busy_time')";

/** An owner notice of `kind` about booking `b` to host `h` (an owner row), as Migration20261207041000 writes the owner's. */
const hostNotice = (kind: string, previousStartsAt: string) =>
  `select lower(hex(randomblob(16))), h.\`id\`, b.\`id\`, '${kind}', h.\`email\`, h.\`name\`, h.\`time_zone\`, b.\`starts_at\`, b.\`ends_at\`, ${previousStartsAt}, b.\`reschedule_count\`, null, 'PENDING', 0, ${NOW_MS}, ${NOW_MS}`;

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
    this.addSql(`create trigger \`booking_host_insert_refuses_busy_time\` before insert on \`booking_host\` begin
  ${REFUSAL} from \`booking\` b where b.\`id\` = new.\`booking_id\` and b.\`owner_id\` <> new.\`owner_id\` and b.\`status\` <> 'CANCELLED'
    and (${overlapsBusy('new.`owner_id`', '(b.`starts_at` - b.`buffer_before_minutes` * 60000)', '(b.`ends_at` + b.`buffer_after_minutes` * 60000)')});
end;`);
    this.addSql(`create trigger \`booking_move_refuses_hosts_busy_time\` before update of \`starts_at\`, \`ends_at\`, \`buffer_before_minutes\`, \`buffer_after_minutes\` on \`booking\`
  when new.\`status\` <> 'CANCELLED' and (new.\`starts_at\` <> old.\`starts_at\` or new.\`ends_at\` <> old.\`ends_at\`) begin
  ${REFUSAL} from \`booking_host\` bh where bh.\`booking_id\` = new.\`id\` and bh.\`owner_id\` <> new.\`owner_id\`
    and (${overlapsBusy('bh.`owner_id`', '(new.`starts_at` - new.`buffer_before_minutes` * 60000)', '(new.`ends_at` + new.`buffer_after_minutes` * 60000)')});
end;`);
    this.addSql('alter table `owner` add column `hosts_team_bookings` integer not null default 0;');
    this.addSql(`create trigger \`booking_host_insert_marks_host\` after insert on \`booking_host\` when not (select \`hosts_team_bookings\` from \`owner\` where \`id\` = new.\`owner_id\`) begin
  update \`owner\` set \`hosts_team_bookings\` = 1 where \`id\` = new.\`owner_id\` and \`id\` <> (select \`owner_id\` from \`booking\` where \`id\` = new.\`booking_id\`);
end;`);
    this.addSql(`create trigger \`booking_host_email_created\` after insert on \`booking_host\` begin
  insert into \`email\` (${EMAIL_COLUMNS})
    ${hostNotice('OWNER_NEW_BOOKING', 'null')}
    from \`booking\` b join \`owner\` h on h.\`id\` = new.\`owner_id\`
    where b.\`id\` = new.\`booking_id\` and b.\`owner_id\` <> new.\`owner_id\` and h.\`email\` is not null;
end;`);
    for (const [name, when, kind, previous] of [
      ['rescheduled', 'after update of `reschedule_count` on `booking` when new.`reschedule_count` > old.`reschedule_count`', 'OWNER_BOOKING_RESCHEDULED', 'old.`starts_at`'],
      ['cancelled', "after update of `status` on `booking` when old.`status` = 'CONFIRMED' and new.`status` = 'CANCELLED'", 'OWNER_BOOKING_CANCELLED', 'null'],
    ] as const) {
      this.addSql(`create trigger \`booking_hosts_email_${name}\` ${when} begin
  insert into \`email\` (${EMAIL_COLUMNS})
    ${hostNotice(kind, previous)}
    from \`booking\` b join \`booking_host\` bh on bh.\`booking_id\` = b.\`id\` join \`owner\` h on h.\`id\` = bh.\`owner_id\`
    where b.\`id\` = new.\`id\` and bh.\`owner_id\` <> new.\`owner_id\` and h.\`email\` is not null;
end;`);
    }
  }

  override async down(): Promise<void> {
    for (const name of ['booking_hosts_email_cancelled', 'booking_hosts_email_rescheduled', 'booking_host_email_created', 'booking_host_insert_marks_host', 'booking_move_refuses_hosts_busy_time', 'booking_host_insert_refuses_busy_time']) {
      this.addSql(`drop trigger \`${name}\`;`);
    }
    this.addSql('alter table `owner` drop column `hosts_team_bookings`;');
  }
}
