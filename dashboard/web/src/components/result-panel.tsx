import { useMemo } from 'react';
import { Loading, Status, Time } from './status';
import { DiffView } from './diff-view';
import { LogView, type LogTarget } from './log-view';
import { taskOutput } from '../../../../runner/store/task-output';
import { useFetch } from '../hooks/use-fetch';
import type { TaskResultRecord } from '../types';

/** One result in full, loaded when its cell is picked: message, diff and data, all as text. */
export function ResultPanel({ runId, resultId, target, onClose }: { runId: string; resultId: number; target?: LogTarget; onClose: () => void }) {
  const { data, error, loading } = useFetch<TaskResultRecord & { id: number }>(`/api/runs/${encodeURIComponent(runId)}/results/${resultId}`);
  const output = useMemo(() => taskOutput(data?.data), [data]);
  // The streams are in the log view; the rest of the data (rc, paths, facts) stays as JSON.
  const rest = useMemo(() => {
    if (!data?.data) return undefined;
    const others = Object.fromEntries(Object.entries(data.data).filter(([k]) => !output || (k !== 'stdout' && k !== 'stderr')));
    return Object.keys(others).length ? others : undefined;
  }, [data, output]);
  return (
    <section className="panel" aria-label="result">
      <button type="button" className="close" onClick={onClose} aria-label="close result">×</button>
      {!data ? (
        <Loading error={error} loading={loading} />
      ) : (
        <>
          <h2>
            {data.host} · {data.task} <Status value={data.ignored ? 'ignored' : data.status} />
          </h2>
          <p className="muted">
            <Time iso={data.time} /> · {data.durationMs} ms · {data.roundTrips} round trip(s){data.handler ? ' · handler' : ''}
          </p>
          {data.message && <pre className="message" aria-label="message">{data.message}</pre>}
          {data.diff ? <DiffView diff={data.diff} /> : <p className="muted">No diff.</p>}
          {output && <LogView key={data.id} output={output} name={`${data.host}-${data.task}`} initial={target} />}
          {rest && (
            <details>
              <summary>data</summary>
              <pre>{JSON.stringify(rest, null, 2)}</pre>
            </details>
          )}
        </>
      )}
    </section>
  );
}
