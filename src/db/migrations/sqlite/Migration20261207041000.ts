import { Migration } from '@mikro-orm/migrations';
import { bookingRequestTrigger, bookingRequestView, COLUMNS } from './Migration20261130150239';

/** The database's clock in Unix milliseconds, as SQLite rows store instants. */
const NOW_MS = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

const EMAIL_COLUMNS =
  '`id`, `owner_id`, `booking_id`, `kind`, `to_address`, `to_name`, `time_zone`, `starts_at`, `ends_at`, `previous_starts_at`, `sequence`, `reminder_minutes`, `status`, `attempts`, `due_at`, `created_at`';

/** One email about booking `new` (the row as the change left it), to the invitee or the owner. */
function bookingEmail(kind: string, to: 'invitee' | 'owner', previousStartsAt: string): string {
  const recipient = to === 'invitee' ? 'new.`invitee_email`, new.`invitee_name`, coalesce(new.`invitee_time_zone`, o.`time_zone`)' : 'o.`email`, o.`name`, o.`time_zone`';
  return `  insert into \`email\` (${EMAIL_COLUMNS})
    select lower(hex(randomblob(16))), new.\`owner_id\`, new.\`id\`, '${kind}', ${recipient}, new.\`starts_at\`, new.\`ends_at\`, ${previousStartsAt}, new.\`reschedule_count\`, null, 'PENDING', 0, ${NOW_MS}, ${NOW_MS}
    from \`owner\` o where o.\`id\` = new.\`owner_id\`${to === 'owner' ? ' and o.`email` is not null' : ''};`;
}

/** The invitee's reminders of booking `new`: one per reminderMinutes of its event type, due startsAt − m, none already past. */
const REMINDERS = `  insert into \`email\` (${EMAIL_COLUMNS})
    select lower(hex(randomblob(16))), new.\`owner_id\`, new.\`id\`, 'BOOKING_REMINDER', new.\`invitee_email\`, new.\`invitee_name\`, coalesce(new.\`invitee_time_zone\`, o.\`time_zone\`),
      new.\`starts_at\`, new.\`ends_at\`, null, new.\`reschedule_count\`, m.\`value\`, 'PENDING', 0, new.\`starts_at\` - m.\`value\` * 60000, ${NOW_MS}
    from \`owner\` o join \`event_type\` e on e.\`id\` = new.\`event_type_id\` join json_each(e.\`reminder_minutes\`) m
    where o.\`id\` = new.\`owner_id\` and new.\`starts_at\` - m.\`value\` * 60000 > ${NOW_MS};`;

/** Reminders of booking `new` not yet sent. */
const DROP_REMINDERS = "  delete from `email` where `booking_id` = new.`id` and `kind` = 'BOOKING_REMINDER' and `status` = 'PENDING';";

/**
 * Emails (docs/api.md, Part 3, 25-27): Owner.email, EventType.reminderMinutes, the invitee's
 * zone on booking, the email table (a kind of the outbox: src/modules/outbox), and the triggers
 * that write it in the statement that changes the booking, as the webhook triggers do
 * (Migration20261130163632): a booking writes the invitee's confirmation, the owner's notice and
 * the reminders; a reschedule its notices and moves the unsent reminders (drops, writes anew);
 * a cancel its notices and drops the unsent reminders. booking_request (the one-statement
 * booking) gains the invitee's zone and the manage token its emails link to, kept in
 * booking_email_link: the booking's other tokens are stored hashed, but emails carry this one
 * in the clear anyway. Written by hand (the ORM cannot express triggers).
 */
export class Migration20261207041000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `owner` add column `email` text null;');
    this.addSql("alter table `event_type` add column `reminder_minutes` json not null default '[]';");
    this.addSql('alter table `booking` add column `invitee_time_zone` text null;');
    this.addSql('create table `booking_email_link` (`booking_id` text not null, `manage_token` text not null, constraint `booking_email_link_booking_id_foreign` foreign key(`booking_id`) references `booking`(`id`) on delete cascade on update cascade, primary key (`booking_id`));');
    this.addSql(`create table \`email\` (\`id\` text not null, \`owner_id\` text not null, \`booking_id\` text null, \`kind\` text check (\`kind\` in ('BOOKING_CONFIRMED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REMINDER', 'OWNER_NEW_BOOKING', 'OWNER_BOOKING_CANCELLED', 'OWNER_BOOKING_RESCHEDULED', 'PASSWORD_RESET')) not null, \`to_address\` text not null, \`to_name\` text not null, \`time_zone\` text not null, \`starts_at\` datetime null, \`ends_at\` datetime null, \`previous_starts_at\` datetime null, \`sequence\` integer not null default 0, \`reminder_minutes\` integer null, \`status\` text check (\`status\` in ('PENDING', 'SENT', 'FAILED', 'NOT_SENT')) not null default 'PENDING', \`attempts\` integer not null default 0, \`last_error\` text null, \`due_at\` datetime not null, \`sent_at\` datetime null, \`created_at\` datetime not null, \`claimed_until\` datetime null, \`claimed_by\` text null, constraint \`email_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql('create index `email_due_idx` on `email` (`status`, `due_at`);');
    this.addSql('create index `email_owner_created_idx` on `email` (`owner_id`, `created_at`, `id`);');
    this.addSql('create index `email_booking_id_index` on `email` (`booking_id`);');
    // The fair claim counts each owner's rows in flight: few, found by this index.
    this.addSql('create index `email_claimed_until_index` on `email` (`claimed_until`);');
    this.addSql('create index `webhook_delivery_claimed_until_index` on `webhook_delivery` (`claimed_until`);');
    // A claim's rows are read back by its token.
    this.addSql('create index `email_claimed_by_index` on `email` (`claimed_by`);');
    this.addSql('create index `webhook_delivery_claimed_by_index` on `webhook_delivery` (`claimed_by`);');

    const columns = [...COLUMNS, 'invitee_time_zone'];
    this.addSql('drop trigger `booking_request_insert`;');
    this.addSql('drop view `booking_request`;');
    this.addSql(bookingRequestView(columns).replace(' from `booking` where 0;', ', null as `manage_token` from `booking` where 0;'));
    this.addSql(
      bookingRequestTrigger(columns, { checksCells: true }).replace(
        /\nend;$/,
        '\n  insert into `booking_email_link` (`booking_id`, `manage_token`) select new.`id`, new.`manage_token` where new.`manage_token` is not null;\nend;',
      ),
    );

    this.addSql(`create trigger \`booking_email_created\` after insert on \`booking\` begin
${bookingEmail('BOOKING_CONFIRMED', 'invitee', 'null')}
${bookingEmail('OWNER_NEW_BOOKING', 'owner', 'null')}
${REMINDERS}
end;`);
    this.addSql(`create trigger \`booking_email_rescheduled\` after update of \`reschedule_count\` on \`booking\` when new.\`reschedule_count\` > old.\`reschedule_count\` begin
${bookingEmail('BOOKING_RESCHEDULED', 'invitee', 'old.`starts_at`')}
${bookingEmail('OWNER_BOOKING_RESCHEDULED', 'owner', 'old.`starts_at`')}
${DROP_REMINDERS}
${REMINDERS}
end;`);
    this.addSql(`create trigger \`booking_email_cancelled\` after update of \`status\` on \`booking\` when old.\`status\` = 'CONFIRMED' and new.\`status\` = 'CANCELLED' begin
${bookingEmail('BOOKING_CANCELLED', 'invitee', 'null')}
${bookingEmail('OWNER_BOOKING_CANCELLED', 'owner', 'null')}
${DROP_REMINDERS}
end;`);
  }
}
