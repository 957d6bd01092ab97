import { Migration } from '@mikro-orm/migrations';

/**
 * A collective booking (docs/api.md, Part 3, 37) occupies its extra hosts' time too, so every
 * change of it bumps their data versions (the free-slot cache key, ETags and, through the owner
 * trigger's NOTIFY, live updates) as the booking triggers (Migration20261130141500) bump its
 * owner's: when a host is recorded, and when the booking's status or time changes. Written by hand.
 */
export class Migration20261207060100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "booking_host_insert_bumps_data_version"() returns trigger language plpgsql as $$
begin
  update "owner" set "data_version" = "data_version" + 1 where "id" = new."owner_id";
  return null;
end $$;`);
    this.addSql('create trigger "booking_host_insert_bumps_data_version" after insert on "booking_host" for each row execute function "booking_host_insert_bumps_data_version"();');
    this.addSql(`create function "booking_update_bumps_hosts_data_version"() returns trigger language plpgsql as $$
begin
  update "owner" set "data_version" = "data_version" + 1
    where "id" in (select "owner_id" from "booking_host" where "booking_id" = new."id" and "owner_id" <> new."owner_id");
  return null;
end $$;`);
    this.addSql(`create trigger "booking_update_bumps_hosts_data_version" after update of "status", "starts_at", "ends_at", "owner_id" on "booking"
  for each row when (old."status" is distinct from new."status" or old."starts_at" is distinct from new."starts_at" or old."owner_id" is distinct from new."owner_id")
  execute function "booking_update_bumps_hosts_data_version"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "booking_update_bumps_hosts_data_version" on "booking";');
    this.addSql('drop function "booking_update_bumps_hosts_data_version"();');
    this.addSql('drop trigger "booking_host_insert_bumps_data_version" on "booking_host";');
    this.addSql('drop function "booking_host_insert_bumps_data_version"();');
  }
}
