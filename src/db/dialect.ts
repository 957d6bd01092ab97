/** Which SQL a database speaks: SQLite is the embedded default, PostgreSQL how Slotbook scales out. */
export type Dialect = 'sqlite' | 'postgresql';

/** A database as config.ts parsed it from DATABASE_URL (the one place that reads the URL). */
export type DatabaseTarget = { dialect: 'sqlite'; dbName: string } | { dialect: 'postgresql'; clientUrl: string; dbName: string };
