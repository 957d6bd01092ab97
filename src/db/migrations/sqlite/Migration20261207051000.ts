import { Migration } from '@mikro-orm/migrations';

/** Most calendar sources per owner: MAX_SOURCES_PER_OWNER in src/modules/calendar-source/calendar-source.service.ts. */
const MAX_SOURCES_PER_OWNER = 10;

/**
 * Calendar sources (docs/api.md, Part 3, 28-30): the owner's other calendars, each a recurring
 * job of the outbox (src/modules/calendar-source/calendar-sync.ts): due at next_sync_at,
 * leased through claimed_by/claimed_until, attempts counting failures in a row for the backoff.
 * Credentials are stored sealed (secret-box.ts). At most MAX_SOURCES_PER_OWNER per owner, checked
 * by a trigger in the statement that adds one, as webhook endpoints are (Migration20261207021000):
 * SQLite writes one transaction at a time, so the count it reads cannot be stale.
 *
 * app_secret keeps the key generated when SECRET_KEY is not set (secret-key.ts), so every process
 * sharing the database seals and opens with the same one.
 */
export class Migration20261207051000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table \`calendar_source\` (\`id\` text not null, \`owner_id\` text not null, \`kind\` text check (\`kind\` in ('ICS', 'CALDAV')) not null, \`url\` text not null, \`name\` text null, \`username_sealed\` text null, \`password_sealed\` text null, \`write_bookings\` integer not null default false, \`status\` text check (\`status\` in ('SYNCING', 'OK', 'FAILING')) not null default 'SYNCING', \`last_synced_at\` datetime null, \`last_error\` text null, \`etag\` text null, \`ctag\` text null, \`sync_token\` text null, \`next_sync_at\` datetime not null, \`attempts\` integer not null default 0, \`claimed_until\` datetime null, \`claimed_by\` text null, \`created_at\` datetime not null, constraint \`calendar_source_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql('create index `calendar_source_owner_id_index` on `calendar_source` (`owner_id`);');
    this.addSql('create index `calendar_source_next_sync_at_index` on `calendar_source` (`next_sync_at`);');
    this.addSql('create index `calendar_source_claimed_until_index` on `calendar_source` (`claimed_until`);');
    this.addSql('create index `calendar_source_claimed_by_index` on `calendar_source` (`claimed_by`);');
    this.addSql(`create trigger \`calendar_source_limit\` before insert on \`calendar_source\`
when (select count(*) from \`calendar_source\` where \`owner_id\` = new.\`owner_id\`) >= ${MAX_SOURCES_PER_OWNER} begin
  select raise(abort, 'calendar_source_limit: an owner has at most ${MAX_SOURCES_PER_OWNER} calendar sources');
end;`);
    this.addSql('create table `app_secret` (`name` text not null, `value` text not null, primary key (`name`));');
  }
}
