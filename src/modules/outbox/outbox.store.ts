/**
 * The outbox's statements, shared by every kind of side effect (webhook deliveries, emails): each
 * kind keeps its rows in its own table with the same bookkeeping columns (status, attempts,
 * last_error, a due column, claimed_by, claimed_until), and this store claims, records and
 * releases them. Rows are written by the change that causes them, in its transaction (the
 * booking triggers), never here.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/knex';
import type { Dialect } from '../../db/dialect';

/** Where one kind keeps its rows, and how a row finds its owner (whose fair share it counts against). */
export interface OutboxTable {
  table: string;
  /** The column holding when the next attempt is due. */
  dueColumn: string;
  /** Joins from the row (aliased `t`) to what `partitionKey` and `eligible` read; '' for none. */
  join: string;
  /** Whose share a row counts against: the owner's id, so no owner's rows can hold up another's. */
  partitionKey: string;
  /**
   * A column of the row that names its partition or a part of it (the owner, or a webhook's
   * endpoint, which belongs to one owner), led by an index on (status, scanColumn, dueColumn): the
   * claim walks its distinct values.
   */
  scanColumn: string;
  /**
   * A further condition on what the row joins (an active endpoint not backed off), per dialect,
   * with `nowBinds` placeholders `?` each bound to the claim's now; null for none. Checked after
   * each scan key's earliest rows are taken, so it must hold for all rows of a key or none (as an
   * endpoint's state does for the rows walked by endpoint).
   */
  eligible: { sql: Record<Dialect, string>; nowBinds: number } | null;
  /**
   * A condition on the row itself (on the alias given), checked while each key's earliest rows are
   * taken, so rows that fail it never use up their owner's share: a calendar write waiting for its
   * booking's earlier write. Absent: none.
   */
  rowEligible?: (row: string) => string;
  /** The column stamped when a row is done (delivered_at, sent_at). */
  doneAtColumn: string;
  /** Whether a settled row's due column becomes null (webhooks' nextAttemptAt) or keeps its last value (emails' dueAt). */
  clearsDueWhenSettled: boolean;
  /**
   * Which rows still wait for an attempt (on the alias given); status PENDING unless given. A
   * recurring job (a calendar source's sync) is never settled: every row is pending.
   */
  pending?: (row: string) => string;
}

const pendingOf = (t: OutboxTable, row: string): string => (t.pending ? t.pending(row) : `${row}.status = 'PENDING'`);

/** How much a claim may take: at most `limit` rows, at most `perPartition` in flight per owner across every process. */
export interface ClaimLimits {
  now: Date;
  leaseUntil: Date;
  limit: number;
  perPartition: number;
}

/** A row's state after an attempt, as the runner decided it from the kind's answer and retry schedule. */
export interface AttemptState {
  status: string;
  error: string | null;
  nextAttemptAt: Date | null;
  doneAt: Date | null;
  /** Kind-specific columns to set too (a webhook's last_response_status). */
  columns?: Record<string, unknown>;
  /** A recurring job's success: attempts count failures in a row, so they start again from 0. */
  resetAttempts?: boolean;
}

/**
 * The fair claim: among due, unclaimed (or lease-expired) rows, each owner's earliest first, then
 * each owner's second, and so on (round robin by rank), skipping owners that already have
 * `perPartition` rows in flight anywhere. Strictly by due time, one owner with many due rows to
 * slow receivers would hold every attempt slot (docs/api.md, Part 3, 27; issue 21's finding).
 *
 * The work is bounded by the number of scan keys with pending rows, never by the backlog: the
 * recursive `keys` walks the distinct scan keys of pending rows one index seek each (a loose
 * index scan, which neither SQLite nor PostgreSQL does on its own), and each key contributes at
 * most `perPartition` of its earliest claimable rows, found through the same index. Ranking every
 * due row instead cost about 110 ms a claim at 10,000 due emails, and stalled a process behind a
 * backlog of 125,000.
 */
function fairCandidates(t: OutboxTable, dialect: Dialect): string {
  const eligible = t.eligible ? ` and ${t.eligible.sql[dialect]}` : '';
  const claimable = (row: string) => pendingOf(t, row) + (t.rowEligible ? ` and ${t.rowEligible(row)}` : '');
  // A key's earliest claimable rows, through the claim index (rows without a key, such as a
  // password reset's email, which belongs to no calendar, are one more group of their own).
  const earliest = (key: string) => `select f.id from ${t.table} f
    where ${claimable('f')} and f.${t.scanColumn} ${key} and f.${t.dueColumn} <= ? and (f.claimed_until is null or f.claimed_until < ?)
    order by f.${t.dueColumn} limit ?`;
  const columns = `t.id, ${t.partitionKey} as part, t.${t.dueColumn} as due`;
  // PostgreSQL takes each key's rows laterally; SQLite has no LATERAL but runs the same
  // correlated subquery once per key.
  const perKey =
    dialect === 'sqlite'
      ? `select ${columns} from keys join ${t.table} t on t.id in (${earliest('= keys.k')}) ${t.join} where true${eligible}`
      : `select ${columns} from keys cross join lateral (${earliest('= keys.k')}) l join ${t.table} t on t.id = l.id ${t.join} where true${eligible}`;
  const keyless = `select ${columns} from ${t.table} t ${t.join} where t.id in (${earliest('is null')})${eligible}`;
  return `
with recursive keys(k) as (
  select (select s.${t.scanColumn} from ${t.table} s where ${pendingOf(t, 's')} and s.${t.scanColumn} is not null order by s.${t.scanColumn} limit 1)
  union all
  select (select s.${t.scanColumn} from ${t.table} s where ${pendingOf(t, 's')} and s.${t.scanColumn} > keys.k order by s.${t.scanColumn} limit 1)
  from keys where keys.k is not null
),
firsts as (
  ${perKey}
  union all
  ${keyless}
),
-- The rows in flight anywhere, read through the claimed_until index: few. Materialized, so
-- grouping them by owner does not tempt the planner into walking the owner index instead.
claimed as materialized (
  select ${t.partitionKey} as part from ${t.table} t ${t.join} where t.claimed_until >= ?
),
in_flight as (select part, count(*) as n from claimed group by part)
select c.id from (
  select id, part, due, row_number() over (partition by part order by due, id) as rank from firsts
) c left join in_flight i on i.part = c.part
where c.rank + coalesce(i.n, 0) <= ?
order by c.rank, c.due
limit ?`;
}

export function claimSql(t: OutboxTable, dialect: Dialect): string {
  const candidates = fairCandidates(t, dialect);
  if (dialect === 'sqlite') return `update ${t.table} set claimed_by = ?, claimed_until = ? where id in (${candidates})`;
  // SKIP LOCKED: processes claiming at once take different rows instead of queueing on each
  // other's. The locking select repeats the claimable conditions, which PostgreSQL rechecks on a
  // row another process changed meanwhile, so a row claimed and committed by it is not taken again.
  return `update ${t.table} set claimed_by = ?, claimed_until = ? where id in (
  select t.id from ${t.table} t where t.id in (${candidates}) and ${pendingOf(t, 't')} and (t.claimed_until is null or t.claimed_until < ?)
  for update skip locked)`;
}

export class OutboxStore {
  private readonly claims = new Map<OutboxTable, string>();

  constructor(private readonly deps: { dialect: Dialect; em(): EntityManager }) {}

  /** An instant as the dialect's raw statements bind it (SQLite stores Unix milliseconds). */
  private instant(at: Date): Date | number {
    return this.deps.dialect === 'sqlite' ? at.getTime() : at;
  }

  private bind(value: unknown): unknown {
    return value instanceof Date ? this.instant(value) : value;
  }

  /**
   * Claims up to `limits.limit` due rows fairly until `leaseUntil`, in one statement, so two
   * processes never hold one row at once; returns the claim's token (rows carrying it are what
   * it took), or null when nothing was due.
   */
  async claimDue(t: OutboxTable, limits: ClaimLimits): Promise<string | null> {
    const conn = this.deps.em().getConnection();
    const now = this.instant(limits.now);
    // A read first: the claim is a write (SQLite's write lock), which most rounds need not take.
    const due = await conn.execute<unknown[]>(`select 1 from ${t.table} t where ${pendingOf(t, 't')} and t.${t.dueColumn} <= ? limit 1`, [now], 'all');
    if (due.length === 0) return null;
    const claim = randomUUID();
    const { perPartition } = limits;
    const eligibleNows = Array.from({ length: t.eligible?.nowBinds ?? 0 }, () => now);
    const group = [now, now, perPartition, ...eligibleNows];
    const params = [claim, this.instant(limits.leaseUntil), ...group, ...group, now, perPartition, limits.limit];
    const result = await conn.execute<{ affectedRows: number }>(
      (this.claims.get(t) ?? this.claims.set(t, claimSql(t, this.deps.dialect)).get(t))!,
      this.deps.dialect === 'sqlite' ? params : [...params, now],
      'run',
    );
    return result.affectedRows > 0 ? claim : null;
  }

  /**
   * Claims one row now, due or not, unless another claim holds it: syncCalendarSource's sync on
   * demand. Returns the claim's token, or null when the row is held (or gone).
   */
  async claimOne(t: OutboxTable, id: string, now: Date, leaseUntil: Date): Promise<string | null> {
    const claim = randomUUID();
    const result = await this.deps.em().getConnection().execute<{ affectedRows: number }>(
      `update ${t.table} set claimed_by = ?, claimed_until = ? where id = ? and (claimed_until is null or claimed_until < ?)`,
      [claim, this.instant(leaseUntil), id, this.instant(now)],
      'run',
    );
    return result.affectedRows > 0 ? claim : null;
  }

  /** Records an attempt's outcome and lets go of the claim, if `claim` still holds the row. */
  async recordAttempt(t: OutboxTable, id: string, claim: string, state: AttemptState): Promise<void> {
    const set: Record<string, unknown> = {
      status: state.status,
      last_error: state.error,
      ...(state.nextAttemptAt || t.clearsDueWhenSettled ? { [t.dueColumn]: state.nextAttemptAt } : {}),
      ...(state.doneAt ? { [t.doneAtColumn]: state.doneAt } : {}),
      ...state.columns,
    };
    const columns = Object.keys(set);
    await this.deps.em().getConnection().execute(
      `update ${t.table} set ${columns.map((c) => `${c} = ?`).join(', ')}, attempts = ${state.resetAttempts ? '0' : 'attempts + 1'}, claimed_by = null, claimed_until = null
       where id = ? and claimed_by = ?`,
      [...columns.map((c) => this.bind(set[c])), id, claim],
      'run',
    );
  }

  /** Lets go of a claim without counting an attempt (shutdown aborted it). */
  async release(t: OutboxTable, id: string, claim: string): Promise<void> {
    await this.deps.em().getConnection().execute(`update ${t.table} set claimed_by = null, claimed_until = null where id = ? and claimed_by = ?`, [id, claim], 'run');
  }
}
