import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { HostProgress, ResultSummary, RunRecord } from '../types';

export interface LiveRun {
  run: RunRecord | undefined;
  results: ResultSummary[];
  /** The task each host is on now, while the run goes. */
  progress: HostProgress[];
  /** A stream is open: the run is going and the tab is visible. */
  live: boolean;
  error: string | undefined;
  /** A newer record of the run than the stream sent (the answer to an action on it). */
  setRun(run: RunRecord): void;
}

const FLUSH_MS = 60;

/**
 * A run and its results, kept current while it runs through one EventSource. The stream closes
 * while the tab is hidden and reopens from the last result id when it shows again; a dropped
 * connection is resumed by the browser itself with Last-Event-ID. Results arriving in a burst are
 * applied together, so a large run does not re-render per event.
 */
export function useRunStream(id: string): LiveRun {
  const [run, setRun] = useState<RunRecord>();
  const [results, setResults] = useState<ResultSummary[]>([]);
  const [progress, setProgress] = useState<HostProgress[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string>();
  const lastId = useRef(0);

  useEffect(() => {
    let es: EventSource | undefined;
    let finished = false;
    let pending: ResultSummary[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    lastId.current = 0;
    setResults([]);
    setProgress([]);
    setRun(undefined);

    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      setResults((prev) => {
        const seen = new Set(prev.map((r) => r.id));
        return [...prev, ...batch.filter((r) => !seen.has(r.id))];
      });
    };
    const add = (rs: ResultSummary[]) => {
      for (const r of rs) lastId.current = Math.max(lastId.current, r.id);
      pending.push(...rs);
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    const close = () => {
      es?.close();
      es = undefined;
      setLive(false);
      setProgress([]);
    };
    const open = () => {
      if (finished || es || document.hidden) return;
      es = new EventSource(`/api/runs/${encodeURIComponent(id)}/events?after=${lastId.current}`);
      setLive(true);
      es.addEventListener('result', (e) => add([JSON.parse((e as MessageEvent<string>).data) as ResultSummary]));
      es.addEventListener('run', (e) => setRun(JSON.parse((e as MessageEvent<string>).data) as RunRecord));
      es.addEventListener('progress', (e) => setProgress(JSON.parse((e as MessageEvent<string>).data) as HostProgress[]));
      es.addEventListener('end', () => {
        finished = true;
        close();
      });
      es.onerror = () => {
        // CLOSED means the browser gave up (logged out, run gone); otherwise it is reconnecting.
        if (es?.readyState === EventSource.CLOSED) close();
      };
    };
    const onVisibility = () => (document.hidden ? close() : open());

    api
      .get<{ run: RunRecord; results: ResultSummary[] }>(`/api/runs/${encodeURIComponent(id)}`)
      .then((d) => {
        setRun(d.run);
        add(d.results);
        if (d.run.status === 'running') open();
        else finished = true;
      })
      .catch((e: Error) => setError(e.message));
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      finished = true;
      close();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [id]);

  return { run, results, progress, live, error, setRun };
}
