import { Migration } from '@mikro-orm/migrations';

/**
 * Live updates (freeSlotsChanged) across processes. An owner's zone and slot length decide its
 * free slots too: a change to either now bumps its data version, as every booking, window and
 * event type change already does (Migration20261130141500), so that one number says whether
 * anything behind an owner's slots moved. Every new version is announced with NOTIFY on the
 * channel `slotbook_owner_changed`, payload `<owner id>:<data version>` (never slots):
 * PostgreSQL delivers it to every listening process when, and only if, the transaction commits.
 * The announcing trigger fires on any update of the row: `update of "data_version"` names the
 * statement's columns and would miss a bump made by the before trigger. Written by hand: the
 * ORM cannot express triggers.
 */
export class Migration20261130164006 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "owner_update_bumps_data_version"() returns trigger language plpgsql as $$
begin
  if new."time_zone" is distinct from old."time_zone" or new."slot_minutes" is distinct from old."slot_minutes" then
    new."data_version" := old."data_version" + 1;
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "owner_update_bumps_data_version" before update of "time_zone", "slot_minutes" on "owner" for each row execute function "owner_update_bumps_data_version"();`);
    this.addSql(`create function "owner_data_version_notifies"() returns trigger language plpgsql as $$
begin
  perform pg_notify('slotbook_owner_changed', new."id" || ':' || new."data_version");
  return null;
end $$;`);
    this.addSql(`create trigger "owner_data_version_notifies" after update on "owner" for each row
  when (new."data_version" is distinct from old."data_version") execute function "owner_data_version_notifies"();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger "owner_data_version_notifies" on "owner";');
    this.addSql('drop function "owner_data_version_notifies"();');
    this.addSql('drop trigger "owner_update_bumps_data_version" on "owner";');
    this.addSql('drop function "owner_update_bumps_data_version"();');
  }
}
