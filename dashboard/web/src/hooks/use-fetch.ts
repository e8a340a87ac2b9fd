import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from '../api';
import { useStoreChanges } from './use-store-changes';

export interface Fetched<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * GETs `path` with `query` whenever either changes; the latest answer wins. `live` fetches again
 * whenever the store's lists change, keeping the shown answer until the new one arrives.
 */
export function useFetch<T>(path: string | undefined, query?: Query, opts: { live?: boolean } = {}): Fetched<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  const key = JSON.stringify(query ?? {});
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api
      .get<T>(path, JSON.parse(key) as Query)
      .then((data) => live && setState({ data, loading: false }))
      .catch((e: Error) => live && setState({ error: e.message, loading: false }));
    return () => {
      live = false;
    };
  }, [path, key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  useStoreChanges(opts.live ? reload : undefined);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
