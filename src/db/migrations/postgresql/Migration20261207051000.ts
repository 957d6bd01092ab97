import { Migration } from '@mikro-orm/migrations';

/** Most calendar sources per owner: MAX_SOURCES_PER_OWNER in src/modules/calendar-source/calendar-source.service.ts. */
const MAX_SOURCES_PER_OWNER = 10;

/**
 * Calendar sources (docs/api.md, Part 3, 28-30): the owner's other calendars, each a recurring
 * job of the outbox (src/modules/calendar-source/calendar-sync.ts): due at next_sync_at,
 * leased through claimed_by/claimed_until, attempts counting failures in a row for the backoff.
 * Credentials are stored sealed (secret-box.ts). At most MAX_SOURCES_PER_OWNER per owner, checked
 * by a trigger in the statement that adds one, as webhook endpoints are (Migration20261207021000):
 * it first locks the owner's row, so concurrent additions for one owner (from any process) count
 * one after the other. Refused as a check violation naming calendar_source_limit.
 *
 * app_secret keeps the key generated when SECRET_KEY is not set (secret-key.ts), so every process
 * sharing the database seals and opens with the same one.
 */
export class Migration20261207051000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "calendar_source" ("id" varchar(36) not null, "owner_id" varchar(36) not null, "kind" text check ("kind" in ('ICS', 'CALDAV')) not null, "url" varchar(2048) not null, "name" varchar(200) null, "username_sealed" text null, "password_sealed" text null, "write_bookings" boolean not null default false, "status" text check ("status" in ('SYNCING', 'OK', 'FAILING')) not null default 'SYNCING', "last_synced_at" timestamptz null, "last_error" varchar(500) null, "etag" varchar(1000) null, "ctag" varchar(1000) null, "sync_token" varchar(1000) null, "next_sync_at" timestamptz not null, "attempts" int not null default 0, "claimed_until" timestamptz null, "claimed_by" varchar(36) null, "created_at" timestamptz not null, constraint "calendar_source_pkey" primary key ("id"));`);
    this.addSql('alter table "calendar_source" add constraint "calendar_source_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');
    this.addSql('create index "calendar_source_owner_id_index" on "calendar_source" ("owner_id");');
    this.addSql('create index "calendar_source_next_sync_at_index" on "calendar_source" ("next_sync_at");');
    this.addSql('create index "calendar_source_claimed_until_index" on "calendar_source" ("claimed_until");');
    this.addSql('create index "calendar_source_claimed_by_index" on "calendar_source" ("claimed_by");');
    this.addSql(`create function "calendar_source_limit"() returns trigger language plpgsql as $$
begin
  perform 1 from "owner" where "id" = new."owner_id" for update;
  if (select count(*) from "calendar_source" where "owner_id" = new."owner_id") >= ${MAX_SOURCES_PER_OWNER} then
    raise exception 'calendar_source_limit: an owner has at most ${MAX_SOURCES_PER_OWNER} calendar sources' using errcode = 'check_violation', constraint = 'calendar_source_limit';
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "calendar_source_limit" before insert on "calendar_source" for each row execute function "calendar_source_limit"();`);
    this.addSql('create table "app_secret" ("name" varchar(64) not null, "value" varchar(200) not null, constraint "app_secret_pkey" primary key ("name"));');
  }

  override async down(): Promise<void> {
    this.addSql('drop table "app_secret";');
    this.addSql('drop table "calendar_source" cascade;');
    this.addSql('drop function "calendar_source_limit"();');
  }
}
