import { Migration } from '@mikro-orm/migrations';

/**
 * An owner's zone and slot length decide its free slots too: a change to either now bumps its
 * data version, as every booking, window and event type change already does
 * (Migration20261130141500), so that one number says whether anything behind an owner's slots
 * moved. Live updates (freeSlotsChanged) rely on it: on a SQLite file each process polls the
 * versions of the owners it has subscribers for. Written by hand: the ORM cannot express triggers.
 * Recursive triggers are off, so the trigger's own update of the row fires nothing again.
 */
export class Migration20261130164000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create trigger \`owner_update_bumps_data_version\` after update of \`time_zone\`, \`slot_minutes\` on \`owner\`
  when old.\`time_zone\` is not new.\`time_zone\` or old.\`slot_minutes\` is not new.\`slot_minutes\` begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`id\`;
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `owner_update_bumps_data_version`;');
  }
}
