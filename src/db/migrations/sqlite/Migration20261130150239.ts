import { Migration } from '@mikro-orm/migrations';

/** The booking_request view: booking's columns that a booking statement writes, and what goes with them. */
export function bookingRequestView(columns: string[]): string {
  return `create view \`booking_request\` as select ${columns.map((c) => `\`${c}\``).join(', ')}, null as \`token_hash\`, null as \`cells\` from \`booking\` where 0;`;
}

const PART1_COLUMNS = ['id', 'owner_id', 'starts_at', 'ends_at', 'status', 'invitee_name', 'invitee_email', 'idempotency_key', 'created_at'];
export const COLUMNS = [...PART1_COLUMNS, 'event_type_id', 'buffer_before_minutes', 'buffer_after_minutes', 'local_date'];

/** Five minutes in epoch milliseconds: one booking_cell. */
const CELL_MS = 300_000;

/** booking_request's INSTEAD OF trigger: the booking, its cells and its manage token (the data version is bumped by booking's own triggers). */
export function bookingRequestTrigger(columns: string[], { checksCells }: { checksCells: boolean }): string {
  const list = columns.map((c) => `\`${c}\``).join(', ');
  const values = columns.map((c) => `new.\`${c}\``).join(', ');
  // The cells the statement brings must be those of the occupied span its own columns give, so a
  // writer cannot record buffers the cells do not hold.
  const occupiedFrom = `new.\`starts_at\` - new.\`buffer_before_minutes\` * 60000`;
  const occupiedUntil = `new.\`ends_at\` + new.\`buffer_after_minutes\` * 60000`;
  const cellsCheck = `  select raise(abort, 'booking_request: cells must cover the occupied span')
    where json_array_length(new.\`cells\`) <> (${occupiedUntil} - (${occupiedFrom})) / ${CELL_MS}
       or json_extract(new.\`cells\`, '$[0]') <> (${occupiedFrom}) / ${CELL_MS};
`;
  return `create trigger \`booking_request_insert\` instead of insert on \`booking_request\` begin
${checksCells ? cellsCheck : ''}  insert into \`booking\` (${list})
    values (${values});
  insert into \`booking_cell\` (\`owner_id\`, \`cell\`, \`booking_id\`) select new.\`owner_id\`, \`value\`, new.\`id\` from json_each(new.\`cells\`);
  insert into \`booking_manage_token\` (\`token_hash\`, \`booking_id\`) values (new.\`token_hash\`, new.\`id\`);
end;`;
}

/** One more live booking of `row`'s event type on its local date, refused by the check past the event type's current cap. */
function countsDay(row: 'new'): string {
  return `insert into \`event_type_day\` (\`event_type_id\`, \`local_date\`, \`booked\`, \`cap\`)
    select ${row}.\`event_type_id\`, ${row}.\`local_date\`, 1, \`max_bookings_per_day\` from \`event_type\` where \`id\` = ${row}.\`event_type_id\`
    on conflict (\`event_type_id\`, \`local_date\`) do update set \`booked\` = \`booked\` + 1, \`cap\` = excluded.\`cap\`;`;
}

function releasesDay(row: 'old'): string {
  return `update \`event_type_day\` set \`booked\` = \`booked\` - 1 where \`event_type_id\` = ${row}.\`event_type_id\` and \`local_date\` = ${row}.\`local_date\`;`;
}

/** Whether `row` counts against its event type's day: it has one and is live. */
const counted = (row: 'old' | 'new') => `${row}.\`event_type_id\` is not null and ${row}.\`status\` <> 'CANCELLED'`;
/** Whether an update moved what the row counts against: its liveness, event type or local date. */
const countChanged = `(old.\`status\` = 'CANCELLED') <> (new.\`status\` = 'CANCELLED') or old.\`event_type_id\` is not new.\`event_type_id\` or old.\`local_date\` is not new.\`local_date\``;

/**
 * The database keeps booking policies (docs/api.md, Part 2, semantics 10-11) as it keeps
 * the no-overlap rule, so they hold under any concurrency and across processes:
 *
 * - Occupied spans: a booking occupies [starts_at − buffer_before, ends_at + buffer_after) with the
 *   buffers it recorded, and its booking_cell rows now cover that span (buffers lie on the 5-minute
 *   grid), so booking_cell's primary key (owner_id, cell) refuses a booking inside another's
 *   buffers. booking_request (the one-statement booking, Migration20261121153739) gains the event
 *   type's columns and refuses cells that are not those of the occupied span its columns give.
 *   Existing bookings have no buffers: their cells already cover their occupied span.
 * - Daily caps: event_type_day counts the live bookings of an event type per owner-local date
 *   (booking.local_date, computed by the app in the owner's zone: SQLite has no time zones), with
 *   the event type's maxBookingsPerDay as of each increment; its check refuses the count past the
 *   cap. Triggers on booking keep the count, in the statement that writes the booking: a booking
 *   takes a seat, cancelling (or deleting) releases it, moving to another date moves it. Every
 *   writer keeps the count, and a refused count rolls the whole statement back. Only a change of
 *   what a booking counts against fires them: completing one, or moving it within its day, does
 *   not (neither adds a booking to a day). SQLite writes one transaction at a time, so two racing
 *   bookings of one day are counted one after the other.
 *
 * Generated by `npm run migration:create` (the table and column); the view and triggers by hand:
 * the ORM cannot express them. No down(): SQLite cannot drop a column that a trigger names.
 */
export class Migration20261130150239 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`event_type_day\` (\`event_type_id\` text not null, \`local_date\` text not null, \`booked\` integer not null, \`cap\` integer null, constraint \`event_type_day_event_type_id_foreign\` foreign key(\`event_type_id\`) references \`event_type\`(\`id\`) on delete cascade on update cascade, primary key (\`event_type_id\`, \`local_date\`), constraint event_type_day_within_cap check (booked >= 0 and (cap is null or booked <= cap)));`);

    this.addSql(`alter table \`booking\` add column \`local_date\` text null;`);

    this.addSql(`drop trigger \`booking_request_insert\`;`);
    this.addSql(`drop view \`booking_request\`;`);
    this.addSql(bookingRequestView(COLUMNS));
    this.addSql(bookingRequestTrigger(COLUMNS, { checksCells: true }));

    this.addSql(`create trigger \`booking_insert_counts_day\` after insert on \`booking\` when ${counted('new')} begin
  ${countsDay('new')}
end;`);
    this.addSql(`create trigger \`booking_update_releases_day\` after update of \`status\`, \`event_type_id\`, \`local_date\` on \`booking\` when ${counted('old')} and (${countChanged}) begin
  ${releasesDay('old')}
end;`);
    this.addSql(`create trigger \`booking_update_counts_day\` after update of \`status\`, \`event_type_id\`, \`local_date\` on \`booking\` when ${counted('new')} and (${countChanged}) begin
  ${countsDay('new')}
end;`);
    this.addSql(`create trigger \`booking_delete_releases_day\` after delete on \`booking\` when ${counted('old')} begin
  ${releasesDay('old')}
end;`);
  }
}
