import { Link } from '../router';
import type { RunRecord } from '../types';
import { Status, Time } from './status';

const duration = (r: RunRecord) =>
  r.endedAt ? `${((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s` : '…';

/** Runs as a table; with `selected`, each row gets a checkbox (to compare two). */
export function RunTable({ runs, selected, onToggle }: { runs: RunRecord[]; selected?: string[]; onToggle?: (id: string) => void }) {
  if (runs.length === 0) return <p className="muted">No runs.</p>;
  return (
    <table aria-label="runs">
      <thead>
        <tr>
          {onToggle && <th aria-label="compare" />}
          <th>Run</th><th>Playbook</th><th>Status</th><th>Hosts</th><th>ok / changed / failed</th><th>Who</th><th>Started</th><th>Took</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-run={r.id}>
            {onToggle && (
              <td>
                <input type="checkbox" aria-label={`select ${r.id}`} checked={selected?.includes(r.id) ?? false} onChange={() => onToggle(r.id)} />
              </td>
            )}
            <td><Link to={`/runs/${r.id}`}>{r.id.slice(0, 8)}</Link></td>
            <td>{r.playbook}{r.check && <span className="tag">check</span>}</td>
            <td><Status value={r.status} /></td>
            <td>{r.hosts.length}</td>
            <td className="counts">
              <span className="c-ok">{r.counts.ok}</span> / <span className="c-changed">{r.counts.changed}</span> / <span className="c-failed">{r.counts.failed}</span>
              {r.counts.unreachable > 0 && <> · <span className="c-unreachable">{r.counts.unreachable} unreachable</span></>}
            </td>
            <td>{r.actor} <span className="muted">({r.origin})</span></td>
            <td><Time iso={r.startedAt} /></td>
            <td>{duration(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
