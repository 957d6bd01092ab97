import { Migration } from '@mikro-orm/migrations';

/**
 * Teams (docs/api.md, Part 3, 35-37): teams with a unique slug, their members (calendars, with a
 * priority 0..4 and a weight 1..100 under CHECKs), the accounts that administer each, a team
 * event type's team and scheduling type (plain `add column`), and booking_host: the calendars
 * whose time a collective booking occupies. A team event type is stored under one member
 * calendar (owner_id is not null), so an owner's own slugs are unique among its own event types
 * only and a team's among the team's. Written by hand, in the migration generator's forms.
 */
export class Migration20261207060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "team" ("id" varchar(36) not null, "name" varchar(200) not null, "slug" varchar(60) not null, "created_at" timestamptz not null, constraint "team_pkey" primary key ("id"));');
    this.addSql('alter table "team" add constraint "team_slug_unique" unique ("slug");');
    this.addSql('create table "team_member" ("team_id" varchar(36) not null, "owner_id" varchar(36) not null, "priority" int not null default 2 check ("priority" between 0 and 4), "weight" int not null default 1 check ("weight" between 1 and 100), "created_at" timestamptz not null, constraint "team_member_pkey" primary key ("team_id", "owner_id"));');
    this.addSql('create index "team_member_owner_id_index" on "team_member" ("owner_id");');
    this.addSql('alter table "team_member" add constraint "team_member_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "team_member" add constraint "team_member_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');
    this.addSql('create table "team_admin" ("team_id" varchar(36) not null, "account_id" varchar(36) not null, "created_at" timestamptz not null, constraint "team_admin_pkey" primary key ("team_id", "account_id"));');
    this.addSql('create index "team_admin_account_id_index" on "team_admin" ("account_id");');
    this.addSql('alter table "team_admin" add constraint "team_admin_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "team_admin" add constraint "team_admin_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "event_type" add column "team_id" varchar(36) null;');
    this.addSql(`alter table "event_type" add column "scheduling_type" text null check ("scheduling_type" in ('ROUND_ROBIN', 'COLLECTIVE'));`);
    this.addSql('alter table "event_type" add constraint "event_type_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "event_type" drop constraint "event_type_owner_slug_unique";');
    this.addSql(`create unique index "event_type_owner_slug_unique" on "event_type" ("owner_id", "slug", coalesce("team_id", ''));`);
    this.addSql('create unique index "event_type_team_slug_unique" on "event_type" ("team_id", "slug");');
    this.addSql('create table "booking_host" ("booking_id" varchar(36) not null, "owner_id" varchar(36) not null, constraint "booking_host_pkey" primary key ("booking_id", "owner_id"));');
    this.addSql('create index "booking_host_owner_idx" on "booking_host" ("owner_id", "booking_id");');
    this.addSql('alter table "booking_host" add constraint "booking_host_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "booking_host" add constraint "booking_host_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table "booking_host";');
    this.addSql('drop index "event_type_team_slug_unique";');
    this.addSql('drop index "event_type_owner_slug_unique";');
    this.addSql('alter table "event_type" add constraint "event_type_owner_slug_unique" unique ("owner_id", "slug");');
    this.addSql('alter table "event_type" drop column "scheduling_type", drop column "team_id";');
    this.addSql('drop table "team_admin";');
    this.addSql('drop table "team_member";');
    this.addSql('drop table "team";');
  }
}
