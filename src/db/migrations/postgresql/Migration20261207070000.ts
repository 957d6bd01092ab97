import { Migration } from '@mikro-orm/migrations';

/**
 * Seats of group events (docs/api.md, Part 3, 38). event_type.seats_per_slot: null, or the seats
 * of each start (2..1000). booking.seats_per_slot records it when the booking is made or moved
 * (null: a booking that holds its time alone), as buffers are recorded, so the triggers below and
 * the booking store's writes agree on what a booking is whatever the event type says later.
 *
 * seat_slot counts the live seats of each group (event type, start) under a check: no start ever
 * holds more than its seats, however many requests race across processes. Racing seats serialize
 * on the group's row: `insert … on conflict do update` waits for the transaction that holds it and
 * then counts on its committed value (as event_type_day does for daily caps). A row trigger on
 * booking keeps it and the group's cells: the first seat writes them (the booking store's CTE and
 * move write cells for single bookings only), later seats write none, the cells pass from a
 * leaving seat to a staying one, and the last seat's cancel or move deletes them. So the time stays
 * occupied for every other booking of the owner from the first seat until the last one leaves.
 *
 * booking_no_overlap lets the seats of one group overlap each other and nothing else: seats of one
 * event type compare by their event type with `<>` (btree_gist), single bookings by their own id,
 * so two seats of one event type are left to booking_cell (which holds one group's cells once and
 * refuses an overlapping start of the same event type). Written by hand: the ORM cannot express triggers.
 */
export class Migration20261207070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "event_type" add column "seats_per_slot" int null;');
    this.addSql('alter table "booking" add column "seats_per_slot" int null;');
    this.addSql(`create table "seat_slot" ("event_type_id" varchar(36) not null, "starts_at" timestamptz not null, "taken" int not null, "seats" int not null, "span" tstzrange not null, constraint "seat_slot_pkey" primary key ("event_type_id", "starts_at"), constraint seat_slot_within_seats check (taken >= 0 and taken <= seats));`);
    this.addSql(`alter table "seat_slot" add constraint "seat_slot_event_type_id_foreign" foreign key ("event_type_id") references "event_type" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "booking" drop constraint "booking_no_overlap";`);
    this.addSql(
      `alter table "booking" add constraint "booking_no_overlap" exclude using gist ("owner_id" with =, "booking_occupied_span"("starts_at", "ends_at", "buffer_before_minutes", "buffer_after_minutes") with &&, (case when "seats_per_slot" is null then "id" else "event_type_id" end) with <>) where ("status" <> 'CANCELLED');`,
    );

    this.addSql(`create function "booking_keeps_seat_slot"() returns trigger language plpgsql as $$
declare
  left_seats int;
  group_span tstzrange;
  joined int;
  same_span boolean;
begin
  if tg_op in ('UPDATE', 'DELETE') and old."seats_per_slot" is not null and old."status" <> 'CANCELLED' then
    update "seat_slot" set "taken" = "taken" - 1 where "event_type_id" = old."event_type_id" and "starts_at" = old."starts_at" returning "taken" into left_seats;
    if coalesce(left_seats, 0) > 0 then
      update "booking_cell" set "booking_id" = (
          select "id" from "booking" where "event_type_id" = old."event_type_id" and "starts_at" = old."starts_at"
             and "seats_per_slot" is not null and "status" <> 'CANCELLED' and "id" <> old."id" limit 1)
        where "booking_id" = old."id";
    else
      delete from "booking_cell" where "booking_id" = old."id";
      delete from "seat_slot" where "event_type_id" = old."event_type_id" and "starts_at" = old."starts_at" and "taken" = 0;
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new."seats_per_slot" is not null and new."status" <> 'CANCELLED' then
    group_span := "booking_occupied_span"(new."starts_at", new."ends_at", new."buffer_before_minutes", new."buffer_after_minutes");
    insert into "seat_slot" ("event_type_id", "starts_at", "taken", "seats", "span")
      values (new."event_type_id", new."starts_at", 1, new."seats_per_slot", group_span)
      on conflict ("event_type_id", "starts_at") do update set "taken" = "seat_slot"."taken" + 1, "seats" = excluded."seats"
      returning "taken", "span" = group_span into joined, same_span;
    if not same_span then
      raise exception 'new row for relation "seat_slot" violates check constraint "seat_slot_same_span"'
        using errcode = 'check_violation', constraint = 'seat_slot_same_span', table = 'seat_slot';
    end if;
    if joined = 1 then
      insert into "booking_cell" ("owner_id", "cell", "booking_id")
        select new."owner_id", cell, new."id"
          from generate_series((extract(epoch from lower(group_span)) / 300)::int, (extract(epoch from upper(group_span)) / 300)::int - 1) as cell;
    end if;
  end if;
  return null;
end $$;`);
    const liveSeat = (row: 'old' | 'new') => `(${row}."seats_per_slot" is not null and ${row}."status" <> 'CANCELLED')`;
    const span = (row: 'old' | 'new') => `"booking_occupied_span"(${row}."starts_at", ${row}."ends_at", ${row}."buffer_before_minutes", ${row}."buffer_after_minutes")`;
    this.addSql(`create trigger "booking_insert_takes_seat" after insert on "booking" for each row
when ${liveSeat('new')} execute function "booking_keeps_seat_slot"();`);
    this.addSql(`create trigger "booking_update_moves_seat" after update of "status", "event_type_id", "starts_at", "ends_at", "buffer_before_minutes", "buffer_after_minutes", "seats_per_slot" on "booking" for each row
when ((${liveSeat('old')} or ${liveSeat('new')}) and (${liveSeat('old')}, old."event_type_id", old."starts_at", ${span('old')}) is distinct from (${liveSeat('new')}, new."event_type_id", new."starts_at", ${span('new')}))
execute function "booking_keeps_seat_slot"();`);
    this.addSql(`create trigger "booking_delete_gives_seat_back" after delete on "booking" for each row
when ${liveSeat('old')} execute function "booking_keeps_seat_slot"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_insert_takes_seat" on "booking";');
    this.addSql('drop trigger "booking_update_moves_seat" on "booking";');
    this.addSql('drop trigger "booking_delete_gives_seat_back" on "booking";');
    this.addSql('drop function "booking_keeps_seat_slot"();');
    this.addSql(`alter table "booking" drop constraint "booking_no_overlap";`);
    this.addSql(
      `alter table "booking" add constraint "booking_no_overlap" exclude using gist ("owner_id" with =, "booking_occupied_span"("starts_at", "ends_at", "buffer_before_minutes", "buffer_after_minutes") with &&) where ("status" <> 'CANCELLED');`,
    );
    this.addSql('drop table if exists "seat_slot" cascade;');
    this.addSql('alter table "booking" drop column "seats_per_slot";');
    this.addSql('alter table "event_type" drop column "seats_per_slot";');
  }
}
