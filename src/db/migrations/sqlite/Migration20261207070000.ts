import { Migration } from '@mikro-orm/migrations';
import { bookingRequestView, COLUMNS } from './Migration20261130150239';

/** Five minutes in epoch milliseconds: one booking_cell. */
const CELL_MS = 300_000;

/** Where `row`'s occupied span starts and ends, in epoch ms (SQLite stores instants so). */
const spanFrom = (row: 'old' | 'new') => `(${row}.\`starts_at\` - ${row}.\`buffer_before_minutes\` * 60000)`;
const spanUntil = (row: 'old' | 'new') => `(${row}.\`ends_at\` + ${row}.\`buffer_after_minutes\` * 60000)`;

/** Whether `row` holds a seat: a live booking of a group event (it recorded seats_per_slot). */
const liveSeat = (row: 'old' | 'new') => `(${row}.\`seats_per_slot\` is not null and ${row}.\`status\` <> 'CANCELLED')`;

/** Whether an update took the booking to another group or another occupied span. */
const groupChanged = `(new.\`event_type_id\` is not old.\`event_type_id\` or new.\`starts_at\` <> old.\`starts_at\` or ${spanFrom('new')} <> ${spanFrom('old')} or ${spanUntil('new')} <> ${spanUntil('old')})`;

const groupOf = (row: 'old' | 'new') => `\`event_type_id\` = ${row}.\`event_type_id\` and \`starts_at\` = ${row}.\`starts_at\``;

/**
 * Booking `new` takes a seat of its group (its event type and start): refused when the group's
 * occupied span differs (a seat of another length or buffers), or, by seat_slot's check, past
 * the seats. The first seat writes the group's cells, which booking_cell's primary key holds
 * against every other booking of the owner. Triggers may not use a WITH clause, so the cells are
 * counted out with json_each over a JSON array of as many zeros (hex of a zeroblob, two zeros a byte).
 */
const JOINS = (when: string) => `  select raise(abort, 'CHECK constraint failed: seat_slot_same_span') from \`seat_slot\`
    where ${when} and ${groupOf('new')} and (\`span_from\` <> ${spanFrom('new')} or \`span_until\` <> ${spanUntil('new')});
  insert into \`seat_slot\` (\`event_type_id\`, \`starts_at\`, \`taken\`, \`seats\`, \`span_from\`, \`span_until\`)
    select new.\`event_type_id\`, new.\`starts_at\`, 1, new.\`seats_per_slot\`, ${spanFrom('new')}, ${spanUntil('new')} where ${when}
    on conflict (\`event_type_id\`, \`starts_at\`) do update set \`taken\` = \`taken\` + 1, \`seats\` = excluded.\`seats\`;
  insert into \`booking_cell\` (\`owner_id\`, \`cell\`, \`booking_id\`)
    select new.\`owner_id\`, ${spanFrom('new')} / ${CELL_MS} + \`key\`, new.\`id\`
      from json_each('[' || replace(hex(zeroblob((${spanUntil('new')} - ${spanFrom('new')}) / ${CELL_MS})), '00', '0,') || '0]')
     where ${when} and \`key\` < (${spanUntil('new')} - ${spanFrom('new')}) / ${CELL_MS}
       and (select \`taken\` from \`seat_slot\` where ${groupOf('new')}) = 1;`;

/**
 * Booking `old` gives its seat back. While other seats of the group stay, the group's cells (which
 * name one seat) pass to one of them, so the time stays occupied; the last seat's leaving deletes
 * them and the group's row.
 */
const LEAVES = (when: string) => `  update \`seat_slot\` set \`taken\` = \`taken\` - 1 where ${when} and ${groupOf('old')};
  update \`booking_cell\` set \`booking_id\` = (
      select \`id\` from \`booking\` where ${groupOf('old')} and \`seats_per_slot\` is not null and \`status\` <> 'CANCELLED' and \`id\` <> old.\`id\` limit 1)
    where ${when} and \`booking_id\` = old.\`id\` and exists (select 1 from \`seat_slot\` where ${groupOf('old')} and \`taken\` > 0);
  delete from \`booking_cell\` where ${when} and \`booking_id\` = old.\`id\` and not exists (select 1 from \`seat_slot\` where ${groupOf('old')} and \`taken\` > 0);
  delete from \`seat_slot\` where ${when} and ${groupOf('old')} and \`taken\` = 0;`;

/**
 * Seats of group events (docs/api.md, Part 3, 38). event_type.seats_per_slot: null, or the seats
 * of each start (2..1000). booking.seats_per_slot records it when the booking is made or moved
 * (null: a booking that holds its time alone), as buffers are recorded, so the triggers below and
 * the booking store's writes agree on what a booking is whatever the event type says later.
 *
 * seat_slot counts the live seats of each group (event type, start) under a check: no start ever
 * holds more than its seats, however many requests race across processes. SQLite writes one
 * transaction at a time, so racing seats are counted one after the other. The triggers on booking
 * keep it and the group's cells: the first seat writes them (booking_request and the store's move
 * write cells for single bookings only), later seats write none, the cells pass from a leaving
 * seat to a staying one, and the last seat's cancel or move deletes them. So the time stays
 * occupied for every other booking of the owner from the first seat until the last one leaves.
 *
 * booking_request gains seats_per_slot. Written by hand: the ORM cannot express triggers. No
 * down(): SQLite cannot drop a column that a trigger names.
 */
export class Migration20261207070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `event_type` add column `seats_per_slot` integer null;');
    this.addSql('alter table `booking` add column `seats_per_slot` integer null;');
    this.addSql(`create table \`seat_slot\` (\`event_type_id\` text not null, \`starts_at\` datetime not null, \`taken\` integer not null, \`seats\` integer not null, \`span_from\` datetime not null, \`span_until\` datetime not null, constraint \`seat_slot_event_type_id_foreign\` foreign key(\`event_type_id\`) references \`event_type\`(\`id\`) on delete cascade on update cascade, primary key (\`event_type_id\`, \`starts_at\`), constraint seat_slot_within_seats check (taken >= 0 and taken <= seats));`);

    const columns = [...COLUMNS, 'invitee_time_zone', 'seats_per_slot'];
    const list = columns.map((c) => `\`${c}\``).join(', ');
    const values = columns.map((c) => `new.\`${c}\``).join(', ');
    this.addSql('drop trigger `booking_request_insert`;');
    this.addSql('drop view `booking_request`;');
    this.addSql(bookingRequestView(columns).replace(' from `booking` where 0;', ', null as `manage_token` from `booking` where 0;'));
    // As Migration20261207041000 left it, but the cells (and their check) are a single booking's only: a seat's are the triggers'.
    this.addSql(`create trigger \`booking_request_insert\` instead of insert on \`booking_request\` begin
  select raise(abort, 'booking_request: cells must cover the occupied span')
    where new.\`seats_per_slot\` is null
      and (json_array_length(new.\`cells\`) <> (${spanUntil('new')} - ${spanFrom('new')}) / ${CELL_MS}
       or json_extract(new.\`cells\`, '$[0]') <> ${spanFrom('new')} / ${CELL_MS});
  insert into \`booking\` (${list})
    values (${values});
  insert into \`booking_cell\` (\`owner_id\`, \`cell\`, \`booking_id\`) select new.\`owner_id\`, \`value\`, new.\`id\` from json_each(new.\`cells\`) where new.\`seats_per_slot\` is null;
  insert into \`booking_manage_token\` (\`token_hash\`, \`booking_id\`) values (new.\`token_hash\`, new.\`id\`);
  insert into \`booking_email_link\` (\`booking_id\`, \`manage_token\`) select new.\`id\`, new.\`manage_token\` where new.\`manage_token\` is not null;
end;`);

    this.addSql(`create trigger \`booking_insert_takes_seat\` after insert on \`booking\` when ${liveSeat('new')} begin
${JOINS('1')}
end;`);
    // One trigger for both sides of an update, so the old group is left before the new one is joined.
    const leaves = `${liveSeat('old')} and (not ${liveSeat('new')} or ${groupChanged})`;
    const joins = `${liveSeat('new')} and (not ${liveSeat('old')} or ${groupChanged})`;
    this.addSql(`create trigger \`booking_update_moves_seat\` after update of \`status\`, \`event_type_id\`, \`starts_at\`, \`ends_at\`, \`buffer_before_minutes\`, \`buffer_after_minutes\`, \`seats_per_slot\` on \`booking\`
  when (${leaves}) or (${joins}) begin
${LEAVES(`(${leaves})`)}
${JOINS(`(${joins})`)}
end;`);
    this.addSql(`create trigger \`booking_delete_gives_seat_back\` after delete on \`booking\` when ${liveSeat('old')} begin
${LEAVES('1')}
end;`);
  }
}
