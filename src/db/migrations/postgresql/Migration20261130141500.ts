import { Migration } from '@mikro-orm/migrations';

/** Tables whose rows decide an owner's free slots, and how a changed row (in `rows`) names its owner. */
const OWNED_BY: Array<[table: string, owners: (rows: string) => string]> = [
  ['booking', (rows) => `select "owner_id" from ${rows}`],
  ['one_time_window', (rows) => `select "owner_id" from ${rows}`],
  ['recurring_window', (rows) => `select "owner_id" from ${rows}`],
  ['window_exception', (rows) => `select w."owner_id" from ${rows} c join "recurring_window" w on w."id" = c."window_id"`],
];

/**
 * The owner's data version (the free-slot cache key) is bumped by the database itself: a
 * statement-level trigger with transition tables on every table whose rows decide free slots,
 * so no writer can forget it, and a bulk write bumps each owner once per statement instead of
 * once per row. Replaces the bumps the code made by hand (the booking CTE's included). Written
 * by hand: the ORM cannot express triggers.
 */
export class Migration20261130141500 extends Migration {
  override async up(): Promise<void> {
    for (const [table, owners] of OWNED_BY) {
      const events: Array<[event: string, tables: string, rows: string[]]> = [
        ['insert', 'new table as changed_new', ['changed_new']],
        ['update', 'old table as changed_old new table as changed_new', ['changed_old', 'changed_new']],
        ['delete', 'old table as changed_old', ['changed_old']],
      ];
      for (const [event, tables, rows] of events) {
        const name = `${table}_${event}_bumps_data_version`;
        this.addSql(`create function "${name}"() returns trigger language plpgsql as $$
begin
  update "owner" set "data_version" = "data_version" + 1 where "id" in (${rows.map(owners).join(' union ')});
  return null;
end $$;`);
        this.addSql(`create trigger "${name}" after ${event} on "${table}" referencing ${tables} for each statement execute function "${name}"();`);
      }
    }
  }

  override async down(): Promise<void> {
    for (const [table] of OWNED_BY) {
      for (const event of ['insert', 'update', 'delete']) {
        this.addSql(`drop trigger "${table}_${event}_bumps_data_version" on "${table}";`);
        this.addSql(`drop function "${table}_${event}_bumps_data_version"();`);
      }
    }
  }
}
