import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Knex } from '@mikro-orm/knex';
import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { clientKey } from './client-address';
import { ErrorCode } from '../shared/errors';
import { hashToken } from '../shared/tokens';
import { fragmentsOf, freeSlotDays } from '../graphql/query-limits';
import { rootFieldCount } from '../graphql/query-cost';

/** What one client address may do (docs/api.md, Part 2, 24); the RATE_LIMIT_* variables. */
export interface RateLimits {
  /** createOwner calls per hour. */
  createOwnerPerHour: number;
  /** bookSlot calls per minute. */
  bookSlotPerMinute: number;
  /** manageToken arguments presented per minute (booking, cancelBooking, rescheduleBooking). */
  manageTokenPerMinute: number;
  /** Query cost served per minute (operationCost below). */
  costPerMinute: number;
  /** login, register and requestPasswordReset calls per minute from one address (docs/api.md, Part 3, 32). */
  accountCallsPerMinute?: number;
  /** The same calls per minute naming one email, from any address: a password guessed from many addresses still stops. */
  accountCallsPerEmailPerMinute?: number;
}

/**
 * Production defaults, far above what a person does: a booking page asks a month of freeSlots
 * (cost 32) per view, so one address can view about 90 months a minute; an office behind one
 * NAT address shares that. Scripts past them wait for the next window.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  createOwnerPerHour: 10,
  bookSlotPerMinute: 30,
  manageTokenPerMinute: 60,
  costPerMinute: 3000,
  accountCallsPerMinute: 20,
  accountCallsPerEmailPerMinute: 10,
};

/** The root mutations counted against the account budgets, and where each names its email. */
const ACCOUNT_CALLS: Record<string, { argument: string; field?: string }> = {
  login: { argument: 'email' },
  requestPasswordReset: { argument: 'email' },
  register: { argument: 'input', field: 'email' },
};

export interface OperationCostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** What one operation counts against RATE_LIMIT_COST_PER_MINUTE. */
export type OperationCost = (input: OperationCostInput) => number;

/**
 * SEAM: query-limits.ts owns what a query costs. Until it exports one number per operation
 * (counting the slots freeSlots produces), an operation costs 1 plus its freeSlots range-days;
 * when that lands, return its number here and retune DEFAULT_RATE_LIMITS.costPerMinute (a test
 * in tests/security/rate-limits.test.ts fails if a month-long booking page no longer fits).
 * A mutation costs 1 per root field instead of 1 (aliases counted): each is a write of its own.
 */
export const operationCost: OperationCost = ({ schema, operation, fragments, variables }) =>
  (operation.operation === 'mutation' ? Math.max(1, rootFieldCount(operation, fragments)) : 1) + freeSlotDays(schema, operation, fragments, variables);

/** How many of the separately limited calls one operation makes (aliases and fragments counted). */
export interface LimitedCalls {
  createOwner: number;
  bookSlot: number;
  /** `manageToken` arguments with a value, on any field at any depth, literal or variable. */
  manageToken: number;
  /** login, register and requestPasswordReset calls at the root. */
  account: number;
  /** The emails those calls name, lower-cased, once per call. */
  accountEmails: string[];
}

/** Frozen: every count starts from a copy of it (noCalls), never from it. */
const NO_CALLS: LimitedCalls = Object.freeze({ createOwner: 0, bookSlot: 0, manageToken: 0, account: 0, accountEmails: Object.freeze([]) as unknown as string[] });
const noCalls = (): LimitedCalls => ({ ...NO_CALLS, accountEmails: [] });

export function limitedCalls(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): LimitedCalls {
  const mutation = operation.operation === 'mutation';
  const presented = (value: ValueNode): boolean => {
    if (value.kind === Kind.NULL) return false;
    if (value.kind !== Kind.VARIABLE) return true;
    const name = value.name.value;
    if (name in variables) return variables[name] !== null && variables[name] !== undefined;
    const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
    return fallback !== undefined && fallback.kind !== Kind.NULL;
  };
  /** A value as the operation will receive it: a literal, or a variable's value (or its default). */
  const valueOf = (value: ValueNode | undefined): unknown => {
    if (!value) return undefined;
    if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      if (name in variables) return variables[name];
      const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
      return valueOf(fallback);
    }
    if (value.kind === Kind.STRING) return value.value;
    if (value.kind === Kind.OBJECT) return Object.fromEntries(value.fields.map((f) => [f.name.value, valueOf(f.value)]));
    return undefined;
  };
  const emailOf = (name: string, args: readonly { name: { value: string }; value: ValueNode }[]): string => {
    const where = ACCOUNT_CALLS[name]!;
    let value = valueOf(args.find((a) => a.name.value === where.argument)?.value);
    if (where.field) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[where.field] : undefined;
    return typeof value === 'string' ? value.trim().toLowerCase() : '';
  };
  // Each fragment is counted once per place (root or nested) and multiplied by its spreads, so a
  // fragment spread twice in each of twenty fragments costs twenty walks, not a million.
  const fragmentCalls = new Map<string, LimitedCalls>();
  const walk = (selectionSet: SelectionSetNode, atRoot: boolean): LimitedCalls => {
    const total = noCalls();
    for (const selection of selectionSet.selections) {
      let inner: LimitedCalls = NO_CALLS;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (atRoot && mutation && name === 'createOwner') total.createOwner += 1;
        if (atRoot && mutation && name === 'bookSlot') total.bookSlot += 1;
        if (atRoot && mutation && name in ACCOUNT_CALLS) {
          total.account += 1;
          total.accountEmails.push(emailOf(name, selection.arguments ?? []));
        }
        for (const arg of selection.arguments ?? []) if (arg.name.value === 'manageToken' && presented(arg.value)) total.manageToken += 1;
        if (selection.selectionSet) inner = walk(selection.selectionSet, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(selection.selectionSet, atRoot);
      } else {
        const key = `${selection.name.value}:${atRoot}`;
        let counted = fragmentCalls.get(key);
        if (!counted) {
          // A cycle (which validation refuses before this runs) would count as nothing.
          fragmentCalls.set(key, NO_CALLS);
          const fragment = fragments.get(selection.name.value);
          counted = fragment ? walk(fragment.selectionSet, atRoot) : NO_CALLS;
          fragmentCalls.set(key, counted);
        }
        inner = counted;
      }
      total.createOwner += inner.createOwner;
      total.bookSlot += inner.bookSlot;
      total.manageToken += inner.manageToken;
      total.account += inner.account;
      total.accountEmails.push(...inner.accountEmails);
    }
    return total;
  };
  return walk(operation.selectionSet, true);
}

/** One budget: its limit, the window it renews in and how the refusal names it. */
interface Budget {
  limit: number;
  per: 'minute' | 'hour';
  what: string;
  limiter: RateLimiterAbstract;
}

/** The budgets of one app, each counted per client key (accountByEmail: per email). */
export interface RateLimiters {
  createOwner: Budget;
  bookSlot: Budget;
  manageToken: Budget;
  cost: Budget;
  account: Budget;
  accountByEmail: Budget;
  /** Where the createOwner, bookSlot and manageToken counters live; the cost counter is always in memory. */
  store: 'memory' | 'postgresql';
}

/** The PostgreSQL table of counters, shared by every process on the database (Migration20261207031000). */
export const RATE_LIMIT_TABLE = 'rate_limit_counter';

type LimiterFactory = (keyPrefix: string, points: number, seconds: number) => RateLimiterAbstract;

const inMemory: LimiterFactory = (keyPrefix, points, duration) => new RateLimiterMemory({ keyPrefix, points, duration });

/**
 * The call budgets are counted by `calls`; the cost budget always in this process's memory. Cost
 * stands for this process's CPU, which its own budget protects; counting it in a database would
 * add a write to every read, the cached freeSlots answers included (about a third of their
 * throughput on PostgreSQL, README "Rate limits"). Behind a load balancer over N processes one
 * address can so be served up to N budgets of cost a minute, each process at most one.
 */
function budgets(limits: RateLimits, calls: LimiterFactory, store: RateLimiters['store']): RateLimiters {
  const accountCalls = limits.accountCallsPerMinute ?? DEFAULT_RATE_LIMITS.accountCallsPerMinute!;
  const perEmail = limits.accountCallsPerEmailPerMinute ?? DEFAULT_RATE_LIMITS.accountCallsPerEmailPerMinute!;
  return {
    createOwner: { limit: limits.createOwnerPerHour, per: 'hour', what: 'createOwner calls', limiter: calls('createOwner', limits.createOwnerPerHour, 3600) },
    bookSlot: { limit: limits.bookSlotPerMinute, per: 'minute', what: 'bookSlot calls', limiter: calls('bookSlot', limits.bookSlotPerMinute, 60) },
    manageToken: { limit: limits.manageTokenPerMinute, per: 'minute', what: 'requests presenting a manageToken', limiter: calls('manageToken', limits.manageTokenPerMinute, 60) },
    cost: { limit: limits.costPerMinute, per: 'minute', what: 'query cost', limiter: inMemory('cost', limits.costPerMinute, 60) },
    account: { limit: accountCalls, per: 'minute', what: 'login, register and requestPasswordReset calls', limiter: calls('account', accountCalls, 60) },
    accountByEmail: { limit: perEmail, per: 'minute', what: 'login, register and requestPasswordReset calls for one email', limiter: calls('accountEmail', perEmail, 60) },
    store,
  };
}

/** Counters in this process's memory: SQLite deployments (see README, Rate limits). */
export function memoryRateLimiters(limits: RateLimits): RateLimiters {
  return budgets(limits, inMemory, 'memory');
}

/**
 * The call counters in one PostgreSQL table, so those limits hold across every process on the
 * database. The table is UNLOGGED: a counter is worth no WAL write or fsync, and losing them in a
 * database crash only hands every client a fresh window. A client past a limit is then refused
 * from this process's memory until its window ends (no query per refused request), and if the
 * database fails, this process counts in memory meanwhile rather than refusing or failing everyone.
 */
export async function postgresRateLimiters(limits: RateLimits, knex: Knex): Promise<RateLimiters> {
  // The table is Migration20261207031000's: rate-limiter-flexible is told it exists.
  return budgets(
    limits,
    (keyPrefix, points, duration) =>
      new RateLimiterPostgres({
        storeClient: knex,
        storeType: 'knex',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix,
        points,
        duration,
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: inMemory(keyPrefix, points, duration),
      }),
    'postgresql',
  );
}

/** What the plugin needs of the request context: the address the HTTP layer saw (client-address.ts). */
export interface ClientAddressContext {
  clientAddress: string;
}

/**
 * Counts each resolved operation against its client's budgets before anything executes, and
 * refuses it past any of them: HTTP 429, Retry-After in seconds, RATE_LIMITED naming the limit.
 * A request never needs more than a whole budget: a single operation dearer than the budget
 * passes once at the start of a window and uses all of it.
 */
export function rateLimitPlugin<TContext extends ClientAddressContext>(limiters: RateLimiters, cost: OperationCost = operationCost): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const fragments = fragmentsOf(document);
          const variables = request.variables ?? {};
          const calls = limitedCalls(operation, fragments, variables);
          const demands: Array<[Budget, number]> = [
            [limiters.cost, cost({ schema, operation, fragments, variables })],
            [limiters.createOwner, calls.createOwner],
            [limiters.bookSlot, calls.bookSlot],
            [limiters.manageToken, calls.manageToken],
          ];
          demands.push([limiters.account, calls.account]);
          const key = clientKey(contextValue.clientAddress);
          const charged: Array<[Budget, number, string]> = demands.filter(([, points]) => points > 0).map(([budget, points]) => [budget, points, key]);
          // Per email, whichever address asks (docs/api.md, Part 3, 32); counted by a hash, so the counters hold no address.
          for (const email of new Set(calls.accountEmails)) {
            charged.push([limiters.accountByEmail, calls.accountEmails.filter((e) => e === email).length, `email:${hashToken(email)}`]);
          }
          const outcomes = await Promise.allSettled(charged.map(([budget, points, counted]) => budget.limiter.consume(counted, Math.min(points, budget.limit))));
          const refused: Array<{ budget: Budget; msBeforeNext: number }> = [];
          outcomes.forEach((outcome, i) => {
            if (outcome.status === 'fulfilled') return;
            // Only a RateLimiterRes means "over the limit"; anything else is a bug to surface.
            if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
            refused.push({ budget: charged[i]![0], msBeforeNext: outcome.reason.msBeforeNext });
          });
          if (refused.length) throw rateLimited(refused);
        },
      };
    },
  };
}

function rateLimited(refused: Array<{ budget: Budget; msBeforeNext: number }>): GraphQLError {
  const retryAfter = Math.max(1, ...refused.map((r) => Math.ceil(r.msBeforeNext / 1000)));
  const limits = refused.map(({ budget }) => `at most ${budget.limit} ${budget.what} per ${budget.per}`).join(' and ');
  const from = refused.every(({ budget }) => budget.what.endsWith('for one email')) ? '' : ' from one client address';
  return new GraphQLError(`rate limit reached: ${limits}${from}; retry in ${retryAfter} s`, {
    extensions: {
      code: ErrorCode.RateLimited,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
    },
  });
}

/**
 * Charges `points` of query cost to a client address outside an HTTP request (live updates:
 * a subscribe, and each recomputation sent to a subscription); the RATE_LIMITED refusal past the
 * budget, or null. As for a request, a charge dearer than the whole budget takes all of it.
 */
export async function chargeCost(limiters: RateLimiters, clientAddress: string, points: number): Promise<GraphQLError | null> {
  try {
    await limiters.cost.limiter.consume(clientKey(clientAddress), Math.min(points, limiters.cost.limit));
    return null;
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    return rateLimited([{ budget: limiters.cost, msBeforeNext: err.msBeforeNext }]);
  }
}

/** A refusal of a request outside GraphQL: the seconds to wait (Retry-After) and the message naming the limit. */
export interface CallRefusal {
  retryAfter: number;
  message: string;
}

/**
 * Charges one call to a budget for a route outside GraphQL (the .ics routes): null while within
 * it, else what to answer with 429, the same limit and wording as GraphQL's refusal.
 */
export async function chargeCall(budget: RateLimiters['manageToken'], clientAddress: string): Promise<CallRefusal | null> {
  try {
    await budget.limiter.consume(clientKey(clientAddress), 1);
    return null;
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const refusal = rateLimited([{ budget, msBeforeNext: err.msBeforeNext }]);
    return { retryAfter: Math.max(1, Math.ceil(err.msBeforeNext / 1000)), message: refusal.message };
  }
}
