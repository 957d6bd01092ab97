import { Migration } from '@mikro-orm/migrations';

/**
 * A rename bumps the owner's data version too (Migration20261130164006 bumped it for zone and
 * slot length only), and so is announced on `slotbook_owner_changed`. Public reads show the name
 * (`owner { name }`), and the HTTP validators of every process learn what changed from those
 * announcements alone (src/graphql/http-cache.ts), so a rename made anywhere must reach them.
 */
export class Migration20261207031100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function "owner_update_bumps_data_version"() returns trigger language plpgsql as $$
begin
  if new."time_zone" is distinct from old."time_zone" or new."slot_minutes" is distinct from old."slot_minutes" or new."name" is distinct from old."name" then
    new."data_version" := old."data_version" + 1;
  end if;
  return new;
end $$;`);
    this.addSql('drop trigger "owner_update_bumps_data_version" on "owner";');
    this.addSql(`create trigger "owner_update_bumps_data_version" before update of "time_zone", "slot_minutes", "name" on "owner" for each row execute function "owner_update_bumps_data_version"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function "owner_update_bumps_data_version"() returns trigger language plpgsql as $$
begin
  if new."time_zone" is distinct from old."time_zone" or new."slot_minutes" is distinct from old."slot_minutes" then
    new."data_version" := old."data_version" + 1;
  end if;
  return new;
end $$;`);
    this.addSql('drop trigger "owner_update_bumps_data_version" on "owner";');
    this.addSql(`create trigger "owner_update_bumps_data_version" before update of "time_zone", "slot_minutes" on "owner" for each row execute function "owner_update_bumps_data_version"();`);
  }
}
