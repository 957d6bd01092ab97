import { Migration } from '@mikro-orm/migrations';

/** Tables whose rows decide an owner's free slots, and how a row names its owner. */
const OWNED_BY: Array<[table: string, owner: (row: 'new' | 'old') => string]> = [
  ['booking', (row) => `${row}.\`owner_id\``],
  ['one_time_window', (row) => `${row}.\`owner_id\``],
  ['recurring_window', (row) => `${row}.\`owner_id\``],
  ['window_exception', (row) => `(select \`owner_id\` from \`recurring_window\` where \`id\` = ${row}.\`window_id\`)`],
];

const EVENTS = [
  ['insert', ['new']],
  ['update', ['old', 'new']],
  ['delete', ['old']],
] as const;

/** booking_request's INSTEAD OF trigger (Migration20261121153739), with or without its own bump. */
function bookingRequestTrigger({ bumpsOwner }: { bumpsOwner: boolean }): string {
  return `create trigger \`booking_request_insert\` instead of insert on \`booking_request\` begin
  insert into \`booking\` (\`id\`, \`owner_id\`, \`starts_at\`, \`ends_at\`, \`status\`, \`invitee_name\`, \`invitee_email\`, \`idempotency_key\`, \`created_at\`)
    values (new.\`id\`, new.\`owner_id\`, new.\`starts_at\`, new.\`ends_at\`, new.\`status\`, new.\`invitee_name\`, new.\`invitee_email\`, new.\`idempotency_key\`, new.\`created_at\`);
  insert into \`booking_cell\` (\`owner_id\`, \`cell\`, \`booking_id\`) select new.\`owner_id\`, \`value\`, new.\`id\` from json_each(new.\`cells\`);
  insert into \`booking_manage_token\` (\`token_hash\`, \`booking_id\`) values (new.\`token_hash\`, new.\`id\`);
${bumpsOwner ? '  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` = new.\`owner_id\`;\n' : ''}end;`;
}

/**
 * The owner's data version (the free-slot cache key) is bumped by the database itself: a trigger
 * on every table whose rows decide free slots, so no writer — a service, a hand-written
 * statement, another process, an operator's SQL — can change availability or bookings and
 * forget it. Replaces the bumps the code made by hand and the booking_request trigger's own
 * bump. Written by hand: the ORM cannot express triggers.
 */
export class Migration20261130141500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger \`booking_request_insert\`;`);
    this.addSql(bookingRequestTrigger({ bumpsOwner: false }));
    for (const [table, owner] of OWNED_BY) {
      for (const [event, rows] of EVENTS) {
        const owners = rows.map(owner).join(', ');
        this.addSql(`create trigger \`${table}_${event}_bumps_data_version\` after ${event} on \`${table}\` begin
  update \`owner\` set \`data_version\` = \`data_version\` + 1 where \`id\` in (${owners});
end;`);
      }
    }
  }

  override async down(): Promise<void> {
    for (const [table] of OWNED_BY) for (const [event] of EVENTS) this.addSql(`drop trigger \`${table}_${event}_bumps_data_version\`;`);
    this.addSql(`drop trigger \`booking_request_insert\`;`);
    this.addSql(bookingRequestTrigger({ bumpsOwner: true }));
  }
}
