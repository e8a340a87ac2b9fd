import type { Recap } from '../types';

const cols = ['ok', 'changed', 'failed', 'skipped', 'unreachable', 'ignored'] as const;

/** The run's final recap, per host, as the terminal prints it. */
export function RecapTable({ recap }: { recap: Recap }) {
  const hosts = Object.keys(recap).sort();
  return (
    <section aria-label="recap">
      <h2>Recap</h2>
      <table>
        <thead>
          <tr><th>Host</th>{cols.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h} data-host={h}>
              <td>{h}</td>
              {cols.map((c) => (
                <td key={c} className={recap[h]![c] > 0 ? `c-${c}` : 'muted'}>{recap[h]![c]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
