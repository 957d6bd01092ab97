import { Migration } from '@mikro-orm/migrations';

export class Migration20261121130706 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`owner\` (\`id\` text not null, \`name\` text not null, \`time_zone\` text not null, \`slot_minutes\` integer not null default 60, \`token_hash\` text not null, \`data_version\` integer not null default 0, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`owner_token_hash_unique\` on \`owner\` (\`token_hash\`);`);

    this.addSql(`create table \`one_time_window\` (\`id\` text not null, \`owner_id\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, constraint \`one_time_window_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`one_time_window_owner_id_index\` on \`one_time_window\` (\`owner_id\`);`);
    this.addSql(`create index \`one_time_window_owner_ends_idx\` on \`one_time_window\` (\`owner_id\`, \`ends_at\`);`);

    this.addSql(`create table \`booking\` (\`id\` text not null, \`owner_id\` text not null, \`starts_at\` datetime not null, \`ends_at\` datetime not null, \`status\` text check (\`status\` in ('CONFIRMED', 'CANCELLED', 'COMPLETED')) not null default 'CONFIRMED', \`invitee_name\` text not null, \`invitee_email\` text not null, \`idempotency_key\` text null, \`created_at\` datetime not null, constraint \`booking_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`booking_owner_id_index\` on \`booking\` (\`owner_id\`);`);
    this.addSql(`create index \`booking_owner_status_starts_idx\` on \`booking\` (\`owner_id\`, \`status\`, \`starts_at\`, \`id\`);`);
    this.addSql(`create index \`booking_owner_starts_idx\` on \`booking\` (\`owner_id\`, \`starts_at\`, \`id\`);`);
    this.addSql(`create unique index \`booking_owner_idempotency_key_unique\` on \`booking\` (\`owner_id\`, \`idempotency_key\`);`);

    this.addSql(`create table \`booking_manage_token\` (\`token_hash\` text not null, \`booking_id\` text not null, constraint \`booking_manage_token_booking_id_foreign\` foreign key(\`booking_id\`) references \`booking\`(\`id\`) on delete cascade on update cascade, primary key (\`token_hash\`));`);
    this.addSql(`create index \`booking_manage_token_booking_idx\` on \`booking_manage_token\` (\`booking_id\`);`);

    this.addSql(`create table \`booking_cell\` (\`owner_id\` text not null, \`cell\` integer not null, \`booking_id\` text not null, constraint \`booking_cell_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, constraint \`booking_cell_booking_id_foreign\` foreign key(\`booking_id\`) references \`booking\`(\`id\`) on delete cascade on update cascade, primary key (\`owner_id\`, \`cell\`));`);
    this.addSql(`create index \`booking_cell_owner_id_index\` on \`booking_cell\` (\`owner_id\`);`);
    this.addSql(`create index \`booking_cell_booking_idx\` on \`booking_cell\` (\`booking_id\`);`);

    this.addSql(`create table \`recurring_window\` (\`id\` text not null, \`owner_id\` text not null, \`frequency\` text not null, \`interval\` integer not null, \`weekdays\` json not null, \`start_time\` integer not null, \`end_time\` integer not null, \`starts_on\` text not null, \`ends_on\` text null, \`count\` integer null, \`last_occurs_on\` text null, constraint \`recurring_window_owner_id_foreign\` foreign key(\`owner_id\`) references \`owner\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`recurring_window_owner_idx\` on \`recurring_window\` (\`owner_id\`);`);

    this.addSql(`create table \`window_exception\` (\`window_id\` text not null, \`date\` text not null, \`cancelled\` integer not null, \`starts_at\` datetime null, \`ends_at\` datetime null, constraint \`window_exception_window_id_foreign\` foreign key(\`window_id\`) references \`recurring_window\`(\`id\`) on delete cascade on update cascade, primary key (\`window_id\`, \`date\`));`);
    this.addSql(`create index \`window_exception_window_id_index\` on \`window_exception\` (\`window_id\`);`);
  }

}
