import { Loading, Status, Time } from './status';
import { DiffView } from './diff-view';
import { useFetch } from '../hooks/use-fetch';
import type { TaskResultRecord } from '../types';

/** One result in full, loaded when its cell is picked: message, diff and data, all as text. */
export function ResultPanel({ runId, resultId, onClose }: { runId: string; resultId: number; onClose: () => void }) {
  const { data, error, loading } = useFetch<TaskResultRecord & { id: number }>(`/api/runs/${encodeURIComponent(runId)}/results/${resultId}`);
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
          {data.data && (
            <details>
              <summary>data</summary>
              <pre>{JSON.stringify(data.data, null, 2)}</pre>
            </details>
          )}
        </>
      )}
    </section>
  );
}
