import { Migration } from '@mikro-orm/migrations';

/**
 * A booking on SQLite in one statement: `insert into booking_request (…)` writes the booking, its
 * cells (a JSON array of cell numbers), its manage token and the owner's data version bump through
 * an INSTEAD OF trigger. SQLite cannot write several tables in one plain statement the way
 * PostgreSQL's data-modifying CTEs do; a statement with its triggers is atomic all the same, so a
 * refusal by booking_cell's primary key (or any other constraint) leaves nothing written. One
 * statement means one round trip holding the write lock instead of six (begin, four writes,
 * commit). The ORM cannot express views with triggers, so this migration was created blank by the
 * CLI and written by hand.
 */
export class Migration20261121153739 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create view \`booking_request\` as select \`id\`, \`owner_id\`, \`starts_at\`, \`ends_at\`, \`status\`, \`invitee_name\`, \`invitee_email\`, \`idempotency_key\`, \`created_at\`, null as \`token_hash\`, null as \`cells\` from \`booking\` where 0;`,
    );
    this.addSql(`create trigger \`booking_request_insert\` instead of insert on \`booking_request\` begin
  insert into \`booking\` (\`id\`, \`owner_id\`, \`starts_at\`, \`ends_at\`, \`status\`, \`invitee_name\`, \`invitee_email\`, \`idempotency_key\`, \`created_at\`)
    values (new.\`id\`, new.\`owner_id\`, new.\`starts_at\`, new.\`ends_at\`, new.\`status\`, new.\`invitee_name\`, new.\`invitee_email\`, new.\`idempotency_key\`, new.\`created_at\`);
  insert into \`booking_cell\` (\`owner_id\`, \`cell\`, \`booking_id\`) select new.\`owner_id\`, \`value\`, new.\`id\` from json_each(new.\`cells\`);
  insert into \`booking_manage_token\` (\`token_hash\`, \`booking_id\`) values (new.\`token_hash\`, new.\`id\`);
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`owner_id\`;
end;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger \`booking_request_insert\`;`);
    this.addSql(`drop view \`booking_request\`;`);
  }
}
