import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import { pollUntil } from '../support/poll';
import { startTestApp, type ServedTestApp } from '../support/app';
import { freshDatabaseUrl } from '../support/database';
import { discardSharedDatabase } from '../support/shared-database';

/** The subscription every live test runs, as a page would send it. */
export const FREE_SLOTS_CHANGED = `subscription FreeSlotsChanged($ownerId: ID!, $from: DateTime!, $to: DateTime!, $eventTypeId: ID, $duration: Int) {
  freeSlotsChanged(ownerId: $ownerId, from: $from, to: $to, eventTypeId: $eventTypeId, duration: $duration) { startsAt endsAt }
}`;

export interface FreeSlotsChangedVariables {
  ownerId: string;
  from: string;
  to: string;
  eventTypeId?: string | null;
  duration?: number | null;
}

/** ws://… of a served app's /graphql. */
export function wsUrlOf(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** Polls `condition` every 10 ms until it holds; fails naming `what` after `ms` (a wait, not a timed assertion). */
export async function waitFor(condition: () => boolean, what: string, ms = 2_000): Promise<void> {
  await pollUntil(condition, (holds) => holds, () => what, { ms, everyMs: 10 });
}

/** A graphql-ws client (the library Apollo Sandbox and pages use) that keeps one socket open and records how it closed. */
export interface LiveClient {
  client: Client;
  /** Sockets it opened. */
  connections: number;
  /** Close codes of its sockets, in order. */
  closeCodes: number[];
  dispose(): Promise<void>;
}

export function liveClient(url: string, options: { connectionParams?: Record<string, unknown>; webSocketImpl?: typeof WebSocket } = {}): LiveClient {
  const live: LiveClient = {
    connections: 0,
    closeCodes: [],
    client: createClient({
      url: wsUrlOf(url),
      webSocketImpl: options.webSocketImpl ?? WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: options.connectionParams,
      on: {
        connected: () => {
          live.connections++;
        },
        closed: (event) => {
          live.closeCodes.push((event as { code: number }).code);
        },
      },
      // A closed socket is reported through `closed`; without this the client throws it at the next subscribe.
      onNonLazyError: () => undefined,
    }),
    dispose: async () => {
      await live.client.dispose();
    },
  };
  return live;
}

/** One subscription: every list it was sent (as starts), its errors and whether it completed. */
export interface Watch {
  lists: string[][];
  errors: GraphQLFormattedError[];
  completed: boolean;
  /** Waits until `count` lists have arrived. */
  nth(count: number): Promise<string[]>;
  /** Waits until it failed, and returns its first error. */
  failure(): Promise<GraphQLFormattedError>;
  stop(): void;
}

export function watch(live: LiveClient, variables: FreeSlotsChangedVariables): Watch {
  const w: Watch = {
    lists: [],
    errors: [],
    completed: false,
    async nth(count) {
      await waitFor(() => w.lists.length >= count || w.errors.length > 0, `list number ${count} (got ${w.lists.length})`);
      if (w.errors.length) throw new Error(`subscription failed: ${JSON.stringify(w.errors)}`);
      return w.lists[count - 1]!;
    },
    async failure() {
      await waitFor(() => w.errors.length > 0, 'the subscription to fail');
      return w.errors[0]!;
    },
    stop: () => undefined,
  };
  w.stop = live.client.subscribe<{ freeSlotsChanged: Array<{ startsAt: string; endsAt: string }> }>(
    { query: FREE_SLOTS_CHANGED, variables: { ...variables } },
    {
      next: (result) => {
        if (result.errors?.length) w.errors.push(...result.errors);
        else if (result.data) w.lists.push(result.data.freeSlotsChanged.map((s) => s.startsAt));
      },
      error: (error) => {
        if (Array.isArray(error)) w.errors.push(...(error as GraphQLFormattedError[]));
        else w.errors.push({ message: String((error as { code?: number; reason?: string })?.reason ?? error), extensions: { closeCode: (error as { code?: number })?.code } });
      },
      complete: () => {
        w.completed = true;
      },
    },
  );
  return w;
}

/**
 * Two served apps on one database of the dialect under test (a SQLite file, or a PostgreSQL
 * database): subscribers on `a`, which polls a SQLite file every 50 ms; changes through `b`.
 */
export async function twoAppsOnOneDatabase(): Promise<{ a: ServedTestApp; b: ServedTestApp; close(): Promise<void> }> {
  const databaseUrl = await freshDatabaseUrl({ shared: true });
  const a = await startTestApp({ databaseUrl, listen: true, subscriptions: { pollIntervalMs: 50 } });
  const b = await startTestApp({ databaseUrl, listen: true });
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      discardSharedDatabase(databaseUrl);
    },
  };
}
