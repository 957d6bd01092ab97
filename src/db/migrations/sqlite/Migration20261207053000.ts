import { Migration } from '@mikro-orm/migrations';

const EMAIL_COLUMNS =
  '`id`, `owner_id`, `booking_id`, `kind`, `to_address`, `to_name`, `time_zone`, `starts_at`, `ends_at`, `previous_starts_at`, `sequence`, `reminder_minutes`, `status`, `attempts`, `last_error`, `due_at`, `sent_at`, `created_at`, `claimed_until`, `claimed_by`';

/**
 * Accounts and sign-in (docs/api.md, Part 3, 32-33): accounts (the address unique lower-cased),
 * sessions with their current access token's hash, refresh tokens and password reset tokens by
 * their hashes, and calendar memberships with a role. A PASSWORD_RESET email belongs to no
 * calendar, so email.owner_id becomes nullable: SQLite changes a column only by rebuilding the
 * table. legacy_alter_table keeps the rename from re-checking the booking triggers that write
 * `email` (they name the table, which exists again after the rename). The reset email's token
 * waits in password_reset_email_link only until the email settles. Written by hand.
 */
export class Migration20261207053000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `account` (`id` text not null, `email` text not null, `email_key` text not null, `name` text not null, `password_hash` text not null, `created_at` datetime not null, primary key (`id`));');
    this.addSql('create unique index `account_email_key_unique` on `account` (`email_key`);');
    this.addSql('create table `account_session` (`id` text not null, `account_id` text not null, `access_token_hash` text not null, `access_expires_at` datetime not null, `ended_at` datetime null, `created_at` datetime not null, constraint `account_session_account_id_foreign` foreign key(`account_id`) references `account`(`id`) on delete cascade on update cascade, primary key (`id`));');
    this.addSql('create index `account_session_account_id_index` on `account_session` (`account_id`);');
    this.addSql('create unique index `account_session_access_token_hash_unique` on `account_session` (`access_token_hash`);');
    this.addSql('create table `refresh_token` (`token_hash` text not null, `session_id` text not null, `used_at` datetime null, `created_at` datetime not null, constraint `refresh_token_session_id_foreign` foreign key(`session_id`) references `account_session`(`id`) on delete cascade on update cascade, primary key (`token_hash`));');
    this.addSql('create index `refresh_token_session_id_index` on `refresh_token` (`session_id`);');
    this.addSql('create table `password_reset` (`token_hash` text not null, `account_id` text not null, `expires_at` datetime not null, `used_at` datetime null, `created_at` datetime not null, constraint `password_reset_account_id_foreign` foreign key(`account_id`) references `account`(`id`) on delete cascade on update cascade, primary key (`token_hash`));');
    this.addSql('create index `password_reset_account_id_index` on `password_reset` (`account_id`);');
    this.addSql("create table `calendar_membership` (`account_id` text not null, `owner_id` text not null, `role` text check (`role` in ('OWNER', 'ADMIN')) not null, `created_at` datetime not null, constraint `calendar_membership_account_id_foreign` foreign key(`account_id`) references `account`(`id`) on delete cascade on update cascade, constraint `calendar_membership_owner_id_foreign` foreign key(`owner_id`) references `owner`(`id`) on delete cascade on update cascade, primary key (`account_id`, `owner_id`));");
    this.addSql('create index `calendar_membership_owner_id_index` on `calendar_membership` (`owner_id`);');

    this.addSql('pragma legacy_alter_table = on;');
    this.addSql(`create table \`email_rebuilt\` (\`id\` text not null, \`owner_id\` text null, \`booking_id\` text null, \`kind\` text check (\`kind\` in ('BOOKING_CONFIRMED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REMINDER', 'OWNER_NEW_BOOKING', 'OWNER_BOOKING_CANCELLED', 'OWNER_BOOKING_RESCHEDULED', 'PASSWORD_RESET')) not null, \`to_address\` text not null, \`to_name\` text not null, \`time_zone\` text not null, \`starts_at\` datetime null, \`ends_at\` datetime null, \`previous_starts_at\` datetime null, \`sequence\` integer not null default 0, \`reminder_minutes\` integer null, \`status\` text check (\`status\` in ('PENDING', 'SENT', 'FAILED', 'NOT_SENT')) not null default 'PENDING', \`attempts\` integer not null default 0, \`last_error\` text null, \`due_at\` datetime not null, \`sent_at\` datetime null, \`created_at\` datetime not null, \`claimed_until\` datetime null, \`claimed_by\` text null, constraint \`email_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`email_rebuilt\` (${EMAIL_COLUMNS}) select ${EMAIL_COLUMNS} from \`email\`;`);
    this.addSql('drop table `email`;');
    this.addSql('alter table `email_rebuilt` rename to `email`;');
    this.addSql('pragma legacy_alter_table = off;');
    this.addSql('create index `email_due_idx` on `email` (`status`, `due_at`);');
    this.addSql('create index `email_owner_created_idx` on `email` (`owner_id`, `created_at`, `id`);');
    this.addSql('create index `email_booking_id_index` on `email` (`booking_id`);');
    this.addSql('create index `email_claimed_until_index` on `email` (`claimed_until`);');
    this.addSql('create index `email_claimed_by_index` on `email` (`claimed_by`);');
    this.addSql('create index `email_claim_idx` on `email` (`status`, `owner_id`, `due_at`);');
    this.addSql('create table `password_reset_email_link` (`email_id` text not null, `token` text not null, constraint `password_reset_email_link_email_id_foreign` foreign key(`email_id`) references `email`(`id`) on delete cascade on update cascade, primary key (`email_id`));');
  }
}
