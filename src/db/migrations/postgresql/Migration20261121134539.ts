import { Migration } from '@mikro-orm/migrations';

/**
 * A second guard against double booking on PostgreSQL, beside booking_cell's primary key: no
 * two live bookings of one owner may overlap in time, whatever writes them. The ORM cannot
 * express an exclusion constraint, so this migration was created blank by the CLI and written
 * by hand. btree_gist (a trusted extension since PostgreSQL 13) lets `owner_id with =` sit in
 * a GiST index; the database owner may create it.
 */
export class Migration20261121134539 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(
      `alter table "booking" add constraint "booking_no_overlap" exclude using gist ("owner_id" with =, tstzrange("starts_at", "ends_at") with &&) where ("status" <> 'CANCELLED');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "booking" drop constraint "booking_no_overlap";`);
  }
}
