import { Migration } from '@mikro-orm/migrations';

export class Migration20261121134201 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "owner" ("id" varchar(36) not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "slot_minutes" int not null default 60, "token_hash" varchar(64) not null, "data_version" int not null default 0, "created_at" timestamptz not null, constraint "owner_pkey" primary key ("id"));`);
    this.addSql(`alter table "owner" add constraint "owner_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "one_time_window" ("id" varchar(36) not null, "owner_id" varchar(36) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, constraint "one_time_window_pkey" primary key ("id"));`);
    this.addSql(`create index "one_time_window_owner_ends_idx" on "one_time_window" ("owner_id", "ends_at");`);

    this.addSql(`create table "booking" ("id" varchar(36) not null, "owner_id" varchar(36) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" text check ("status" in ('CONFIRMED', 'CANCELLED', 'COMPLETED')) not null default 'CONFIRMED', "invitee_name" varchar(200) not null, "invitee_email" varchar(320) not null, "idempotency_key" varchar(200) null, "created_at" timestamptz not null, constraint "booking_pkey" primary key ("id"));`);
    this.addSql(`create index "booking_owner_status_starts_idx" on "booking" ("owner_id", "status", "starts_at", "id");`);
    this.addSql(`create index "booking_owner_starts_idx" on "booking" ("owner_id", "starts_at", "id");`);
    this.addSql(`alter table "booking" add constraint "booking_owner_idempotency_key_unique" unique ("owner_id", "idempotency_key");`);

    this.addSql(`create table "booking_manage_token" ("token_hash" varchar(64) not null, "booking_id" varchar(36) not null, constraint "booking_manage_token_pkey" primary key ("token_hash"));`);
    this.addSql(`create index "booking_manage_token_booking_idx" on "booking_manage_token" ("booking_id");`);

    this.addSql(`create table "booking_cell" ("owner_id" varchar(36) not null, "cell" int not null, "booking_id" varchar(36) not null, constraint "booking_cell_pkey" primary key ("owner_id", "cell"));`);
    this.addSql(`create index "booking_cell_booking_idx" on "booking_cell" ("booking_id");`);

    this.addSql(`create table "recurring_window" ("id" varchar(36) not null, "owner_id" varchar(36) not null, "frequency" varchar(8) not null, "interval" int not null, "weekdays" jsonb not null, "start_time" int not null, "end_time" int not null, "starts_on" varchar(10) not null, "ends_on" varchar(10) null, "count" int null, "last_occurs_on" varchar(10) null, constraint "recurring_window_pkey" primary key ("id"));`);
    this.addSql(`create index "recurring_window_owner_idx" on "recurring_window" ("owner_id");`);

    this.addSql(`create table "window_exception" ("window_id" varchar(36) not null, "date" varchar(10) not null, "cancelled" boolean not null, "starts_at" timestamptz null, "ends_at" timestamptz null, constraint "window_exception_pkey" primary key ("window_id", "date"));`);

    this.addSql(`alter table "one_time_window" add constraint "one_time_window_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "booking" add constraint "booking_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "booking_manage_token" add constraint "booking_manage_token_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "booking_cell" add constraint "booking_cell_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "booking_cell" add constraint "booking_cell_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "recurring_window" add constraint "recurring_window_owner_id_foreign" foreign key ("owner_id") references "owner" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "window_exception" add constraint "window_exception_window_id_foreign" foreign key ("window_id") references "recurring_window" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "one_time_window" drop constraint "one_time_window_owner_id_foreign";`);

    this.addSql(`alter table "booking" drop constraint "booking_owner_id_foreign";`);

    this.addSql(`alter table "booking_cell" drop constraint "booking_cell_owner_id_foreign";`);

    this.addSql(`alter table "recurring_window" drop constraint "recurring_window_owner_id_foreign";`);

    this.addSql(`alter table "booking_manage_token" drop constraint "booking_manage_token_booking_id_foreign";`);

    this.addSql(`alter table "booking_cell" drop constraint "booking_cell_booking_id_foreign";`);

    this.addSql(`alter table "window_exception" drop constraint "window_exception_window_id_foreign";`);

    this.addSql(`drop table if exists "owner" cascade;`);

    this.addSql(`drop table if exists "one_time_window" cascade;`);

    this.addSql(`drop table if exists "booking" cascade;`);

    this.addSql(`drop table if exists "booking_manage_token" cascade;`);

    this.addSql(`drop table if exists "booking_cell" cascade;`);

    this.addSql(`drop table if exists "recurring_window" cascade;`);

    this.addSql(`drop table if exists "window_exception" cascade;`);
  }

}
