import { Migration } from '@mikro-orm/migrations';

/**
 * Accounts and sign-in (docs/api.md, Part 3, 32-33): accounts (the address unique lower-cased),
 * sessions with their current access token's hash, refresh tokens and password reset tokens by
 * their hashes, and calendar memberships with a role. A PASSWORD_RESET email belongs to no
 * calendar, so email.owner_id becomes nullable; its token waits in password_reset_email_link
 * only until the email settles. Written by hand, in the migration generator's forms.
 */
export class Migration20261207053000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "account" ("id" varchar(36) not null, "email" varchar(320) not null, "email_key" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(200) not null, "created_at" timestamptz not null, constraint "account_pkey" primary key ("id"));');
    this.addSql('alter table "account" add constraint "account_email_key_unique" unique ("email_key");');
    this.addSql('create table "account_session" ("id" varchar(36) not null, "account_id" varchar(36) not null, "access_token_hash" varchar(64) not null, "access_expires_at" timestamptz not null, "ended_at" timestamptz null, "created_at" timestamptz not null, constraint "account_session_pkey" primary key ("id"));');
    this.addSql('create index "account_session_account_id_index" on "account_session" ("account_id");');
    this.addSql('alter table "account_session" add constraint "account_session_access_token_hash_unique" unique ("access_token_hash");');
    this.addSql('alter table "account_session" add constraint "account_session_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;');
    this.addSql('create table "refresh_token" ("token_hash" varchar(64) not null, "session_id" varchar(36) not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "refresh_token_pkey" primary key ("token_hash"));');
    this.addSql('create index "refresh_token_session_id_index" on "refresh_token" ("session_id");');
    this.addSql('alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "account_session" ("id") on update cascade on delete cascade;');
    this.addSql('create table "password_reset" ("token_hash" varchar(64) not null, "account_id" varchar(36) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "password_reset_pkey" primary key ("token_hash"));');
    this.addSql('create index "password_reset_account_id_index" on "password_reset" ("account_id");');
    this.addSql('alter table "password_reset" add constraint "password_reset_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;');
    this.addSql(`create table "calendar_membership" ("account_id" varchar(36) not null, "owner_id" varchar(36) not null, "role" text check ("role" in ('OWNER', 'ADMIN')) not null, "created_at" timestamptz not null, constraint "calendar_membership_pkey" primary key ("account_id", "owner_id"));`);
    this.addSql('create index "calendar_membership_owner_id_index" on "calendar_membership" ("owner_id");');
    this.addSql('alter table "calendar_membership" add constraint "calendar_membership_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "calendar_membership" add constraint "calendar_membership_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');

    this.addSql('alter table "email" alter column "owner_id" drop not null;');
    this.addSql('create table "password_reset_email_link" ("email_id" varchar(32) not null, "token" varchar(100) not null, constraint "password_reset_email_link_pkey" primary key ("email_id"));');
    this.addSql('alter table "password_reset_email_link" add constraint "password_reset_email_link_email_id_foreign" foreign key ("email_id") references "email" ("id") on update cascade on delete cascade;');
  }
}
