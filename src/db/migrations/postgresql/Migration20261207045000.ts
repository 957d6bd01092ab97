import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox's fair claim (src/modules/outbox/outbox.store.ts) walks the distinct owners of
 * pending emails and endpoints of pending deliveries, and takes each one's earliest due rows:
 * both through these indexes, so a claim costs the same with 10 due rows or 100,000.
 */
export class Migration20261207045000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index "email_claim_idx" on "email" ("status", "owner_id", "due_at");');
    this.addSql('create index "webhook_delivery_claim_idx" on "webhook_delivery" ("status", "endpoint_id", "next_attempt_at");');
  }

  override async down(): Promise<void> {
    this.addSql('drop index "email_claim_idx";');
    this.addSql('drop index "webhook_delivery_claim_idx";');
  }
}
