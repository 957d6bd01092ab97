import { useCallback, useEffect, useRef, useState } from 'react';
import { createClient, type Client } from 'graphql-ws/client';
import {
  PageFreeSlotsChangedDocument,
  PageFreeSlotsDocument,
  type PageFreeSlotsChangedSubscription,
  type PageFreeSlotsQuery,
  type PageFreeSlotsQueryVariables,
} from '../generated/graphql';
import { persistedGet } from './api';

export type Slot = PageFreeSlotsQuery['freeSlots'][number];
export type SlotQuery = PageFreeSlotsQueryVariables;

interface SlotListener {
  next(slots: Slot[]): void;
  error(error: unknown): void;
}

let socket: Client | null = null;

/** One WebSocket per page for every subscription, opened on first use (graphql-transport-ws at /graphql). */
function liveClient(): Client {
  socket ??= createClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
    retryAttempts: 20,
  });
  return socket;
}

/**
 * The one source of live free slots. It reads them at once with the query (a persisted GET, which
 * an unchanged list answers with a 304), follows the
 * `freeSlotsChanged` subscription (docs/api.md Part 2, 19) for every change made anywhere,
 * and reads them again when the page regains focus or becomes visible, which also covers a
 * network that lets no WebSocket through.
 */
function watchFreeSlots(query: SlotQuery, listener: SlotListener): { refresh(): void; stop(): void } {
  let stopped = false;
  /** Lists pushed so far: an answer to a query sent before the latest push is older than it. */
  let pushes = 0;
  const refresh = () => {
    const sentAfter = pushes;
    persistedGet(PageFreeSlotsDocument, query).then(
      (data) => { if (!stopped && pushes === sentAfter) listener.next(data.freeSlots); },
      (error: unknown) => { if (!stopped) listener.error(error); },
    );
  };
  const whenVisible = () => { if (document.visibilityState === 'visible') refresh(); };
  window.addEventListener('focus', refresh);
  document.addEventListener('visibilitychange', whenVisible);
  refresh();
  const unsubscribe = liveClient().subscribe<PageFreeSlotsChangedSubscription>(
    { query: PageFreeSlotsChangedDocument.toString(), variables: { ...query } },
    {
      next: (result) => {
        if (stopped || !result.data) return;
        pushes++;
        listener.next(result.data.freeSlotsChanged);
      },
      // Queries still answer: the focus and refresh reads carry on without live updates.
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return {
    refresh,
    stop() {
      stopped = true;
      unsubscribe();
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', whenVisible);
    },
  };
}

export interface FreeSlots {
  /** null until the first answer for this query. */
  slots: Slot[] | null;
  error: unknown;
  /** Reads the slots again now (after a booking failed because its slot was taken). */
  refresh(): void;
}

/** The free slots of `query`, kept current; null query: none. */
export function useFreeSlots(query: SlotQuery | null): FreeSlots {
  const key = query ? JSON.stringify(query) : null;
  const [state, setState] = useState<{ key: string | null; slots: Slot[] | null; error: unknown }>({ key: null, slots: null, error: null });
  const watch = useRef<{ refresh(): void } | null>(null);
  useEffect(() => {
    if (!key) return;
    const watcher = watchFreeSlots(JSON.parse(key) as SlotQuery, {
      next: (slots) => setState({ key, slots, error: null }),
      error: (error) => setState((prev) => ({ key, slots: prev.key === key ? prev.slots : null, error })),
    });
    watch.current = watcher;
    return () => {
      watcher.stop();
      watch.current = null;
    };
  }, [key]);
  const refresh = useCallback(() => watch.current?.refresh(), []);
  const current = state.key === key;
  return { slots: current ? state.slots : null, error: current ? state.error : null, refresh };
}
