import { Migration } from '@mikro-orm/migrations';

/**
 * A rename bumps the owner's data version too (Migration20261130164000 bumped it for zone and
 * slot length only). Public reads show the name (`owner { name }`), and the HTTP validators of
 * every process learn what changed from the data versions alone (src/graphql/http-cache.ts), so
 * a rename made anywhere must move the version. Recursive triggers are off, so the trigger's own
 * update of the row fires nothing again.
 */
export class Migration20261207031100 extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop trigger `owner_update_bumps_data_version`;');
    this.addSql(`create trigger \`owner_update_bumps_data_version\` after update of \`time_zone\`, \`slot_minutes\`, \`name\` on \`owner\`
  when old.\`time_zone\` is not new.\`time_zone\` or old.\`slot_minutes\` is not new.\`slot_minutes\` or old.\`name\` is not new.\`name\` begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`id\`;
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `owner_update_bumps_data_version`;');
    this.addSql(`create trigger \`owner_update_bumps_data_version\` after update of \`time_zone\`, \`slot_minutes\` on \`owner\`
  when old.\`time_zone\` is not new.\`time_zone\` or old.\`slot_minutes\` is not new.\`slot_minutes\` begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`id\`;
end;`);
  }
}
