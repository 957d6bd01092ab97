import { Migration } from '@mikro-orm/migrations';

/** Intervals longer than this (2 days, in ms) are found through their own partial index: see the class comment. */
const LONG = '172800000';

/** Whether a busy interval of owner `owner` overlaps [start, end): one bounded index search per length class. */
export function overlapsBusy(owner: string, start: string, end: string): string {
  return `exists (select 1 from \`busy_interval\` where \`owner_id\` = ${owner} and \`starts_at\` >= ${start} - ${LONG} and \`starts_at\` < ${end} and \`ends_at\` > ${start} and \`ends_at\` - \`starts_at\` <= ${LONG})
      or exists (select 1 from \`busy_interval\` where \`owner_id\` = ${owner} and \`ends_at\` - \`starts_at\` > ${LONG} and \`ends_at\` > ${start} and \`starts_at\` < ${end})`;
}

/** Refuses booking `new` when its occupied span overlaps busy time, with a message MikroORM reads as a check violation. */
const REFUSE_OVER_BUSY = `  select raise(abort, 'CHECK constraint failed: booking_outside_busy_time') where ${overlapsBusy(
  'new.`owner_id`',
  '(new.`starts_at` - new.`buffer_before_minutes` * 60000)',
  '(new.`ends_at` + new.`buffer_after_minutes` * 60000)',
)};`;

/**
 * Busy time synced from the owner's other calendars (docs/api.md, Part 3, 28-29): busy_interval,
 * written only by BusyIntervalStore, which replaces a source's rows in one transaction and bumps
 * the owner's data version once for it (no per-row bump trigger: a sync writes up to 100,000 rows).
 * source_id has no foreign key: calendar_source is another module's table, which deletes a
 * source's rows through the store.
 *
 * The overlap read ([from, to)) must not walk every interval starting before `to`: intervals of at
 * most 2 days are searched by (owner_id, starts_at) from `from − 2 days`; the few longer ones
 * (holidays) by a partial index of their own. Both are covering.
 *
 * A booking, or a move, whose occupied span overlaps busy time is refused by the database in the
 * statement that writes it (Part 3, 29), so no read-then-write race books over it. Only a change of
 * the span is checked: completing or cancelling a booking that a later sync covered still works
 * (existing bookings are never touched). Written by hand: the ORM cannot express triggers.
 */
export class Migration20261207050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`busy_interval\` (\`id\` integer not null primary key autoincrement, \`owner_id\` text not null, \`source_id\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, constraint \`busy_interval_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql('create index `busy_interval_owner_starts_idx` on `busy_interval` (`owner_id`, `starts_at`, `ends_at`);');
    this.addSql(`create index \`busy_interval_owner_long_idx\` on \`busy_interval\` (\`owner_id\`, \`ends_at\`, \`starts_at\`) where \`ends_at\` - \`starts_at\` > ${LONG};`);
    this.addSql('create index `busy_interval_source_idx` on `busy_interval` (`source_id`);');
    this.addSql(`create trigger \`booking_insert_refuses_busy_time\` before insert on \`booking\` when new.\`status\` <> 'CANCELLED' begin
${REFUSE_OVER_BUSY}
end;`);
    this.addSql(`create trigger \`booking_move_refuses_busy_time\` before update of \`starts_at\`, \`ends_at\`, \`buffer_before_minutes\`, \`buffer_after_minutes\` on \`booking\`
  when new.\`status\` <> 'CANCELLED' and (new.\`starts_at\` <> old.\`starts_at\` or new.\`ends_at\` <> old.\`ends_at\` or new.\`buffer_before_minutes\` <> old.\`buffer_before_minutes\` or new.\`buffer_after_minutes\` <> old.\`buffer_after_minutes\`) begin
${REFUSE_OVER_BUSY}
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `booking_move_refuses_busy_time`;');
    this.addSql('drop trigger `booking_insert_refuses_busy_time`;');
    this.addSql('drop table `busy_interval`;');
  }
}
