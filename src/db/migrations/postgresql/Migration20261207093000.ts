import { Migration } from '@mikro-orm/migrations';
import { overlapsBusy } from './Migration20261207050000';

const REFUSE = `raise exception 'new row for relation "booking" violates check constraint "booking_outside_busy_time"'
      using errcode = 'check_violation', constraint = 'booking_outside_busy_time', table = 'booking';`;

const occupiedFrom = (b: string) => `(${b}."starts_at" - ${b}."buffer_before_minutes" * interval '1 minute')`;
const occupiedTo = (b: string) => `(${b}."ends_at" + ${b}."buffer_after_minutes" * interval '1 minute')`;

/**
 * A booking and a sync adding busy time over it, committing at the same moment, could both
 * commit on PostgreSQL (docs/api.md, Part 3, 29): under READ COMMITTED the booking's busy check
 * (Migration20261207050000, 20261207060200) did not see the sync's rows, which were not yet
 * committed, and the sync does not look at bookings. On SQLite one writer at a time already
 * orders them.
 *
 * Now both take the owner's row lock before they read or write busy time: the checks lock each
 * checked calendar's owner row (FOR NO KEY UPDATE, which the booking's data-version bump takes
 * later in the same transaction anyway), and BusyIntervalStore.replaceSource bumps the data
 * version first. Whichever comes second waits for the first to commit; a check that waited then
 * reads busy time again (each statement of a PL/pgSQL function takes a new snapshot under READ
 * COMMITTED) and sees the sync's rows. Bookings of one calendar already queued on that row lock
 * for their bump; what is new is that they wait for a running sync's replace of that calendar's
 * busy time. Several hosts are locked in id order, so two checks never wait on each other in a cycle.
 */
/** The three busy checks, with the owner row locks first (`locked`) or as they were written before. */
function busyChecks(locked: boolean): string[] {
  const lock = (sql: string) => (locked ? sql : '');
  return [
    `create or replace function "booking_refuses_busy_time"() returns trigger language plpgsql as $$
begin
  ${lock('perform 1 from "owner" where "id" = new."owner_id" for no key update;')}
  if ${overlapsBusy('new."owner_id"', occupiedFrom('new'), occupiedTo('new'))} then
    ${REFUSE}
  end if;
  return new;
end $$;`,
    `create or replace function "booking_host_refuses_busy_time"() returns trigger language plpgsql as $$
declare
  b record;
begin
  select * into b from "booking" where "id" = new."booking_id";
  if b."owner_id" <> new."owner_id" and b."status" <> 'CANCELLED' then
    ${lock('perform 1 from "owner" where "id" = new."owner_id" for no key update;')}
    if ${overlapsBusy('new."owner_id"', occupiedFrom('b'), occupiedTo('b'))} then
      ${REFUSE}
    end if;
  end if;
  return new;
end $$;`,
    `create or replace function "booking_move_refuses_hosts_busy_time"() returns trigger language plpgsql as $$
begin
  ${lock(`perform 1 from "owner" where "id" in (select bh."owner_id" from "booking_host" bh where bh."booking_id" = new."id" and bh."owner_id" <> new."owner_id")
    order by "id" for no key update;`)}
  if exists (select 1 from "booking_host" bh where bh."booking_id" = new."id" and bh."owner_id" <> new."owner_id"
    and (${overlapsBusy('bh."owner_id"', occupiedFrom('new'), occupiedTo('new'))})) then
    ${REFUSE}
  end if;
  return new;
end $$;`,
  ];
}

export class Migration20261207093000 extends Migration {
  override async up(): Promise<void> {
    for (const sql of busyChecks(true)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of busyChecks(false)) this.addSql(sql);
  }
}
