import { Migration } from '@mikro-orm/migrations';

/**
 * The per-address rate-limit counters (src/http/rate-limits.ts), shared by every process on the
 * database; created here rather than by each process as it starts, so that schema changes all go
 * through migrations and starting processes no longer race to create it. UNLOGGED: a counter is
 * worth no WAL write or fsync, and losing them in a crash only hands every client a fresh window.
 * `if not exists`: databases that ran the earlier code already hold it. No entity maps it:
 * rate-limiter-flexible reads and writes it by name. SQLite has no counterpart: its processes
 * count in memory (README, Rate limits).
 */
export class Migration20261207031000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create unlogged table if not exists "rate_limit_counter" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "rate_limit_counter";');
  }
}
