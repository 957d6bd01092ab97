import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints that time out are backed off (src/modules/webhook/dispatcher.ts): how many
 * attempts in a row got no answer in time, and until when the endpoint's deliveries wait. The
 * outbox's claim skips an endpoint's deliveries until then.
 */
export class Migration20261207046000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "webhook_endpoint" add column "timeouts_in_row" int not null default 0;');
    this.addSql('alter table "webhook_endpoint" add column "backed_off_until" timestamptz null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "webhook_endpoint" drop column "timeouts_in_row";');
    this.addSql('alter table "webhook_endpoint" drop column "backed_off_until";');
  }
}
