import { useCallback, useEffect, useRef, useState } from 'react';
import { PageFreeSlotsDocument, type PageFreeSlotsQuery, type PageFreeSlotsQueryVariables } from '../generated/graphql';
import { request } from './api';

export type Slot = PageFreeSlotsQuery['freeSlots'][number];
export type SlotQuery = PageFreeSlotsQueryVariables;

/** How often the slots are read again while the page stays open and in view. */
const REFETCH_MS = 30_000;

interface SlotListener {
  next(slots: Slot[]): void;
  error(error: unknown): void;
}

/**
 * The one source of live free slots: it reads them now, again whenever the page regains focus or
 * becomes visible, and every REFETCH_MS while it is visible. When the `freeSlotsChanged`
 * subscription (../shared/API.md Part 2, 19) is served, a graphql-ws subscription with the same
 * variables replaces this function's body; nothing else changes.
 */
function watchFreeSlots(query: SlotQuery, listener: SlotListener): { refresh(): void; stop(): void } {
  let stopped = false;
  let latest = 0;
  const refresh = () => {
    const call = ++latest;
    request(PageFreeSlotsDocument, query).then(
      (data) => { if (!stopped && call === latest) listener.next(data.freeSlots); },
      (error: unknown) => { if (!stopped && call === latest) listener.error(error); },
    );
  };
  const whenVisible = () => { if (document.visibilityState === 'visible') refresh(); };
  window.addEventListener('focus', refresh);
  document.addEventListener('visibilitychange', whenVisible);
  const timer = window.setInterval(whenVisible, REFETCH_MS);
  refresh();
  return {
    refresh,
    stop() {
      stopped = true;
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', whenVisible);
      window.clearInterval(timer);
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
