import { useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `key` changes (or on reload) and keeps the latest answer; null key: nothing. */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: unknown; loading: boolean }>({ key: null, data: null, error: null, loading: false });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((prev) => ({ key, data: prev.key === key ? prev.data : null, error: null, loading: true }));
    load().then(
      (data) => { if (current) setState({ key, data, error: null, loading: false }); },
      (error: unknown) => { if (current) setState((prev) => ({ key, data: prev.key === key ? prev.data : null, error, loading: false })); },
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : null, error: current ? state.error : null, loading: !current || state.loading, reload };
}
