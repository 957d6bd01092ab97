import { Migration } from '@mikro-orm/migrations';

/**
 * An idempotency key held per event type as well as per owner (docs/api.md, Part 1 and Part 3,
 * 36): a team event type's bookings go to different members, so two requests with one key racing
 * onto two members passed booking_owner_idempotency_key_unique and made two bookings. For a
 * calendar's own event type this adds nothing (its bookings have one owner); rows without an event
 * type or a key are not held (NULLs are distinct).
 */
export class Migration20261207093100 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "booking" add constraint "booking_event_type_idempotency_key_unique" unique ("event_type_id", "idempotency_key");');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "booking" drop constraint "booking_event_type_idempotency_key_unique";');
  }
}
