import { Migration } from '@mikro-orm/migrations';

/**
 * A collective booking (docs/api.md, Part 3, 37) occupies its extra hosts' time too, so every
 * change of it bumps their data versions (the free-slot cache key, ETags and live updates) as the
 * booking triggers (Migration20261130141500) bump its owner's: when a host is recorded, and when
 * the booking's status or time changes. Written by hand.
 */
export class Migration20261207060100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create trigger \`booking_host_insert_bumps_data_version\` after insert on \`booking_host\` begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`owner_id\`;
end;`);
    this.addSql(`create trigger \`booking_update_bumps_hosts_data_version\` after update of \`status\`, \`starts_at\`, \`ends_at\`, \`owner_id\` on \`booking\`
when exists (select 1 from \`booking_host\` where \`booking_id\` = new.\`id\`) begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1
    where \`id\` in (select \`owner_id\` from \`booking_host\` where \`booking_id\` = new.\`id\` and \`owner_id\` <> new.\`owner_id\`);
end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger `booking_update_bumps_hosts_data_version`;');
    this.addSql('drop trigger `booking_host_insert_bumps_data_version`;');
  }
}
