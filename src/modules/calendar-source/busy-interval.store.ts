/**
 * The busy interval store: every statement on busy_interval (Migration20261207050000), the busy
 * time synced from the owner's other calendars (docs/api.md, Part 3, 28-29).
 *
 * A source's intervals are replaced whole, in one transaction that also bumps the owner's data
 * version once (the free-slot cache key, the ETags' input and, through the change feed, live
 * slots' signal in every process): the table has no bump trigger, which would fire per row on
 * SQLite. The calendar read (calendar.store.ts) and the booking triggers read the same overlap as
 * `busyOf`, through `busyOverlapSql`.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../../db/dialect';
import { retryTransient } from '../../db/retry-transient';
import { mergeIntervals, type Interval } from '../../scheduling';
import type { StoreDeps } from '../stores';

/**
 * Intervals longer than this live in the partial index busy_interval_owner_long_idx; shorter ones
 * are searched in (owner_id, starts_at) from `from` minus this. Its SQL spelling must match the
 * index's predicate, or the planners cannot use the index.
 */
const LONG_MS = 2 * 86_400_000;
const LONG_SQL: Record<Dialect, string> = { sqlite: String(LONG_MS), postgresql: `interval '2 days'` };

/** How many source ids one count statement names, well under both databases' parameter limits. */
const COUNT_CHUNK = 500;

/**
 * The two selects, each one bounded index search, of `columns` of one owner's busy intervals
 * overlapping [from, to): those of at most 2 days, then the longer ones. Each binds what
 * `busyOverlapParams` lists for it, in order.
 */
export function busyOverlapSql(dialect: Dialect, columns: string): [short: string, long: string] {
  const long = LONG_SQL[dialect];
  return [
    `select ${columns} from busy_interval where owner_id = ? and starts_at >= ? and starts_at < ? and ends_at > ? and ends_at - starts_at <= ${long}`,
    `select ${columns} from busy_interval where owner_id = ? and ends_at - starts_at > ${long} and ends_at > ? and starts_at < ?`,
  ];
}

/** The parameters of busyOverlapSql's two selects, instants bound by `at` as the dialect compares them. */
export function busyOverlapParams<T>(ownerId: string, range: Interval, at: (ms: number) => T): [short: unknown[], long: unknown[]] {
  return [
    [ownerId, at(range.start - LONG_MS), at(range.end), at(range.start)],
    [ownerId, at(range.start), at(range.end)],
  ];
}

/** node-pg cannot write instants outside years 1-9999 (`+010000-…`), and no stored instant lies outside them: clamping loses nothing. */
const PG_INSTANTS = { first: Date.parse('0001-01-01T00:00:00Z'), last: Date.parse('9999-12-31T23:59:59.999Z') };

/** How an instant is bound: SQLite stores epoch ms, PostgreSQL a timestamptz. */
const AT: Record<Dialect, (ms: number) => number | Date> = {
  sqlite: (ms) => ms,
  postgresql: (ms) => new Date(Math.min(Math.max(ms, PG_INSTANTS.first), PG_INSTANTS.last)),
};

/** Epoch ms of a column, as each dialect answers it. */
const MS: Record<Dialect, (column: string) => string> = {
  sqlite: (column) => column,
  postgresql: (column) => `(extract(epoch from ${column}) * 1000)::float8`,
};

/**
 * One statement inserting every interval: SQLite reads a JSON array of [start, end] pairs,
 * PostgreSQL two bigint arrays (as array literals: knex would spread a JS array into one
 * parameter per element, past PostgreSQL's 65,535).
 */
const INSERT_ALL: Record<Dialect, { sql: string; params(ownerId: string, sourceId: string, intervals: readonly Interval[]): unknown[] }> = {
  sqlite: {
    sql: `insert into busy_interval (owner_id, source_id, starts_at, ends_at)
select ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(?)`,
    params: (ownerId, sourceId, intervals) => [ownerId, sourceId, JSON.stringify(intervals.map((i) => [i.start, i.end]))],
  },
  postgresql: {
    sql: `insert into busy_interval (owner_id, source_id, starts_at, ends_at)
select ?, ?, timestamptz 'epoch' + s * interval '1 millisecond', timestamptz 'epoch' + e * interval '1 millisecond' from unnest(?::bigint[], ?::bigint[]) as t(s, e)`,
    params: (ownerId, sourceId, intervals) => [ownerId, sourceId, `{${intervals.map((i) => i.start).join(',')}}`, `{${intervals.map((i) => i.end).join(',')}}`],
  },
};

const byStartThenEnd = (a: Interval, b: Interval): number => a.start - b.start || a.end - b.end;

/** Whether `kept`, in any order, are exactly the `stored` intervals (ascending by start, then end). */
function sameIntervals(stored: readonly Interval[], kept: readonly Interval[]): boolean {
  if (stored.length !== kept.length) return false;
  const sorted = [...kept].sort(byStartThenEnd);
  return sorted.every((interval, i) => interval.start === stored[i]!.start && interval.end === stored[i]!.end);
}

/** Deletes one source's intervals in `tx`; answers how many there were. */
async function deleteRows(tx: EntityManager, ownerId: string, sourceId: string): Promise<number> {
  const removed = await tx.execute<{ affectedRows: number }>('delete from busy_interval where owner_id = ? and source_id = ?', [ownerId, sourceId], 'run');
  return removed.affectedRows;
}

/** Once per change of busy time, never per row (no trigger): see the file's comment. */
async function bumpDataVersion(tx: EntityManager, ownerId: string): Promise<void> {
  await tx.execute('update owner set data_version = data_version + 1 where id = ?', [ownerId], 'run');
}

/** Busy intervals of the owner's other calendars: replacing a source's, counting and reading them. */
export class BusyIntervalStore {
  constructor(private readonly deps: StoreDeps) {}

  /**
   * Makes `intervals` the source's busy time, atomically: readers see the old set or the new one,
   * and the owner's data version moves once when the set changed; the same set again writes
   * nothing. Empty intervals (end ≤ start) occupy no time and are not stored.
   */
  async replaceSource(ownerId: string, sourceId: string, intervals: readonly Interval[]): Promise<void> {
    const kept = intervals.filter((i) => Number.isFinite(i.start) && Number.isFinite(i.end) && i.end > i.start);
    // Most syncs of a feed without ETag read what is stored already: rewriting it would bump the
    // data version (every process's cached slots of the owner) and churn the table for nothing.
    // One sync per source runs at a time (the outbox's lease), so the comparison holds until the write.
    if (sameIntervals(await this.storedOf(ownerId, sourceId), kept)) return;
    const { sql, params } = INSERT_ALL[this.deps.dialect];
    await retryTransient(() =>
      this.deps.em().fork().transactional(async (tx) => {
        // The bump first: on SQLite the first statement writes, so the write lock is taken up front
        // instead of failing an upgrade; on PostgreSQL it takes the owner's row lock, which a
        // booking's busy check takes too (Migration20261207093000), so a booking racing this
        // replace waits for it and then sees its rows. The set differs from the stored one, so
        // something changes and the bump is due.
        await bumpDataVersion(tx, ownerId);
        await deleteRows(tx, ownerId, sourceId);
        if (kept.length > 0) await tx.execute(sql, params(ownerId, sourceId, kept), 'run');
      }),
    );
  }

  /**
   * Forgets the source's busy time, bumping the owner's data version if it had any: inside `tx`
   * when given (the caller's transaction, e.g. the source's own removal, so no reader sees one
   * without the other), else in a transaction of its own.
   */
  async removeSource(ownerId: string, sourceId: string, tx?: EntityManager): Promise<void> {
    if (!tx) return retryTransient(() => this.deps.em().fork().transactional((own) => this.removeSource(ownerId, sourceId, own)));
    if ((await deleteRows(tx, ownerId, sourceId)) > 0) await bumpDataVersion(tx, ownerId);
  }

  /**
   * The source's stored intervals, by start then end. Sorted here: an ORDER BY in the statement
   * lets the planners walk all of the owner's intervals in (owner_id, starts_at) order instead
   * of searching busy_interval_source_idx for the source's own.
   */
  private async storedOf(ownerId: string, sourceId: string): Promise<Interval[]> {
    const dialect = this.deps.dialect;
    const rows = await this.deps.em().execute<Array<{ starts_at: number | string; ends_at: number | string }>>(
      `select ${MS[dialect]('starts_at')} as starts_at, ${MS[dialect]('ends_at')} as ends_at from busy_interval where source_id = ? and owner_id = ?`,
      [sourceId, ownerId],
      'all',
    );
    return rows.map((row) => ({ start: Number(row.starts_at), end: Number(row.ends_at) })).sort(byStartThenEnd);
  }

  /** How many intervals each source holds, as stored (before merging); 0 for a source with none. */
  async countBySource(sourceIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(sourceIds.map((id) => [id, 0]));
    for (let i = 0; i < sourceIds.length; i += COUNT_CHUNK) {
      const chunk = sourceIds.slice(i, i + COUNT_CHUNK);
      const rows = await this.deps.em().execute<Array<{ source_id: string; n: number | string }>>(
        `select source_id, count(*) as n from busy_interval where source_id in (${chunk.map(() => '?').join(', ')}) group by source_id`,
        chunk,
        'all',
      );
      for (const row of rows) counts.set(row.source_id, Number(row.n));
    }
    return counts;
  }

  /** The owner's busy intervals overlapping [range.start, range.end), unclipped, overlapping or touching ones merged, ascending. */
  async busyOf(ownerId: string, range: Interval): Promise<Interval[]> {
    const dialect = this.deps.dialect;
    const columns = `${MS[dialect]('starts_at')} as starts_at, ${MS[dialect]('ends_at')} as ends_at`;
    const [short, long] = busyOverlapSql(dialect, columns);
    const [shortParams, longParams] = busyOverlapParams(ownerId, range, AT[dialect]);
    const rows = await this.deps.em().execute<Array<{ starts_at: number | string; ends_at: number | string }>>(
      `${short} union all ${long}`,
      [...shortParams, ...longParams],
      'all',
    );
    return mergeIntervals(rows.map((row) => ({ start: Number(row.starts_at), end: Number(row.ends_at) })));
  }
}
