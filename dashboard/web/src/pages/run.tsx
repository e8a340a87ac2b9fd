import { useEffect, useMemo, useState } from 'react';
import { ResultPanel } from '../components/result-panel';
import type { LogTarget } from '../components/log-view';
import { columnKey, notable, RunGrid, type Column } from '../components/run-grid';
import { RecapTable } from '../components/recap-table';
import { RunActions } from '../components/run-actions';
import { ProgressTable } from '../components/progress-table';
import { useNow } from '../hooks/use-now';
import { formatDuration } from '../../../../runner/reporters/format';
import { Loading, Status, Time } from '../components/status';
import { useRunStream } from '../hooks/use-run-stream';
import { useLocation } from '../router';
import { OutputSearch } from './output-search';

export function RunPage({ id }: { id: string }) {
  const { run, results, progress, live, error, setRun } = useRunStream(id);
  const now = useNow(run?.status === 'running');
  const { query } = useLocation();
  const [onlyNotable, setOnlyNotable] = useState(false);
  const linked = Number(query.get('result')) || undefined;
  const [picked, setPicked] = useState<number | undefined>(linked);
  // A search hit links to a result (and a line of its output) of the run already shown.
  useEffect(() => setPicked(linked), [linked]);
  const stream = query.get('stream');
  const target: LogTarget | undefined =
    stream === 'stdout' || stream === 'stderr' ? { stream, line: Number(query.get('line')) || undefined } : undefined;

  const grid = useMemo(() => {
    const shown = onlyNotable ? results.filter(notable) : results;
    const cols = new Map<string, Column>();
    const cells = new Map<string, (typeof results)[number]>();
    for (const r of shown) {
      const key = columnKey(r);
      cols.set(key, { key, task: r.task, handler: r.handler });
      cells.set(`${r.host}\u0000${key}`, r);
    }
    const hosts = onlyNotable ? [...new Set(shown.map((r) => r.host))].sort() : [...new Set([...(run?.hosts ?? []), ...results.map((r) => r.host)])].sort();
    return { hosts, cells, columns: [...cols.values()].sort((a, b) => (a.key < b.key ? -1 : 1)) };
  }, [results, run?.hosts, onlyNotable]);

  if (!run) return <Loading error={error} loading />;
  const c = run.counts;
  return (
    <>
      <h1>
        {run.playbook} <Status value={run.status} /> {live && <span className="live" aria-label="live">● live</span>}
      </h1>
      <dl className="facts">
        <dt>Run</dt><dd>{run.id}</dd>
        <dt>Who</dt><dd>{run.actor} ({run.origin})</dd>
        {run.status === 'cancelled' && (<><dt>Cancelled by</dt><dd aria-label="cancelled by">{run.cancelledBy}</dd></>)}
        <dt>Started</dt><dd><Time iso={run.startedAt} /></dd>
        <dt>Ended</dt><dd><Time iso={run.endedAt} /></dd>
        <dt>{run.endedAt ? 'Took' : 'Elapsed'}</dt>
        <dd aria-label="elapsed">{formatDuration(Math.max(0, (run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(run.startedAt)))}</dd>
        <dt>Params</dt><dd><code>{JSON.stringify(run.params)}</code></dd>
        <dt>Results</dt>
        <dd aria-label="counts">
          <span className="c-ok">{c.ok} ok</span> · <span className="c-changed">{c.changed} changed</span> · <span className="c-failed">{c.failed} failed</span> ·{' '}
          {c.skipped} skipped · {c.unreachable} unreachable{c.ignored ? ` · ${c.ignored} ignored` : ''}
        </dd>
        {run.error && (<><dt>Error</dt><dd className="error">{run.error}</dd></>)}
      </dl>
      <RunActions run={run} onChange={setRun} />
      {run.status === 'running' && <ProgressTable progress={progress} now={now} />}
      <label className="toggle">
        <input type="checkbox" checked={onlyNotable} onChange={(e) => setOnlyNotable(e.target.checked)} /> only changed / failed
      </label>
      {grid.columns.length === 0 ? (
        <p className="muted">{run.status === 'running' ? 'Waiting for the first results…' : 'No results to show.'}</p>
      ) : (
        <RunGrid hosts={grid.hosts} columns={grid.columns} cells={grid.cells} selected={picked} onSelect={(r) => setPicked(r.id)} />
      )}
      {picked !== undefined && <ResultPanel key={`${picked}:${stream}:${query.get('line')}`} runId={run.id} resultId={picked} target={picked === linked ? target : undefined} onClose={() => setPicked(undefined)} />}
      {run.recap && <RecapTable recap={run.recap} />}
      <OutputSearch runId={run.id} />
    </>
  );
}
