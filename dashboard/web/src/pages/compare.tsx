import { useState } from 'react';
import { Loading, Status } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import type { CompareRow, RunRecord } from '../types';

export function ComparePage({ a, b }: { a: string; b: string }) {
  const { data, error, loading } = useFetch<{ a: RunRecord; b: RunRecord; rows: CompareRow[] }>(a && b ? '/api/compare' : undefined, { a, b });
  const [onlyDiff, setOnlyDiff] = useState(true);
  if (!a || !b) return <p>Pick two runs on the Runs page to compare them.</p>;
  if (!data) return <Loading error={error} loading={loading} />;
  const rows = onlyDiff ? data.rows.filter((r) => !r.same) : data.rows;
  const head = (r: RunRecord) => (
    <>
      <Link to={`/runs/${r.id}`}>{r.id.slice(0, 8)}</Link> {r.playbook} <Status value={r.status} />
    </>
  );
  return (
    <>
      <h1>Compare runs</h1>
      <label className="toggle">
        <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> only differences
      </label>
      <table aria-label="comparison">
        <thead>
          <tr><th>Host</th><th>Task</th><th>A: {head(data.a)}</th><th>B: {head(data.b)}</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.host}/${r.handler}/${r.taskIndex}/${r.task}`} className={r.same ? '' : 'differs'}>
              <td>{r.host}</td>
              <td>{r.task}</td>
              <td>{r.a ? <Status value={r.a.status} /> : <span className="muted">—</span>}</td>
              <td>{r.b ? <Status value={r.b.status} /> : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">The two runs went the same way on every host and task.</p>}
    </>
  );
}
