import { formatDuration } from '../../../../runner/reporters/format';
import type { HostProgress } from '../types';

/** What each host of a running run is doing now, with the time it has spent on it so far. */
export function ProgressTable({ progress, now }: { progress: HostProgress[]; now: number }) {
  if (progress.length === 0) return null;
  return (
    <table aria-label="running tasks" className="progress">
      <thead>
        <tr><th>Host</th><th>Running task</th><th>For</th></tr>
      </thead>
      <tbody>
        {progress.map((p) => (
          <tr key={p.host} data-host={p.host}>
            <td>{p.host}</td>
            <td>{p.task}</td>
            <td>{formatDuration(Math.max(0, now - Date.parse(p.since)))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
