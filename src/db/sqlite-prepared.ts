import sqlite3 from 'sqlite3';

// sqlite3 connections with statements prepared once per SQL text: what the hot read and write
// connections (connections.ts, write-connection.ts) are made of on a SQLite file.

/** A sqlite3 connection and the statements prepared on it, by SQL text. */
export class PreparedSqlite {
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();

  private constructor(private readonly db: sqlite3.Database) {}

  /** Opens a SQLite file with sqlite3 in `mode` (sqlite3.OPEN_* flags), running `setup` (PRAGMAs) first. */
  static async open(file: string, mode: number, setup: (db: sqlite3.Database) => Promise<void> = async () => {}): Promise<PreparedSqlite> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(opened)));
    });
    try {
      await setup(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new PreparedSqlite(db);
  }

  all<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return this.prepared(sql).then(
      (statement) => new Promise<T[]>((resolve, reject) => statement.all([...params], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    );
  }

  run(sql: string, params: readonly unknown[]): Promise<void> {
    return this.prepared(sql).then(
      (statement) => new Promise<void>((resolve, reject) => statement.run([...params], (err: Error | null) => (err ? reject(err) : resolve()))),
    );
  }

  async close(): Promise<void> {
    const prepared = await Promise.allSettled(this.statements.values());
    this.statements.clear();
    for (const p of prepared) if (p.status === 'fulfilled') await new Promise<void>((resolve) => p.value.finalize(() => resolve()));
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }

  /** Prepared once per SQL text; a failed prepare is forgotten so the next call tries again. */
  private prepared(sql: string): Promise<sqlite3.Statement> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new Promise((resolve, reject) => {
        const prepared: sqlite3.Statement = this.db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
      });
      this.statements.set(sql, statement);
      statement.catch(() => this.statements.delete(sql));
    }
    return statement;
  }
}
