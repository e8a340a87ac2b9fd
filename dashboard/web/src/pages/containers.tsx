import { Loading, Status, Time } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import type { ContainerRow } from '../types';

export function ContainersPage() {
  const { data, error, loading } = useFetch<{ containers: ContainerRow[] }>('/api/containers');
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Containers</h1>
      {data.containers.length === 0 ? (
        <p className="muted">No containers collected yet (run collect-status).</p>
      ) : (
        <table aria-label="containers">
          <thead>
            <tr><th>Host</th><th>Container</th><th>Image</th><th>State</th><th>Health</th><th>Status</th><th>Collected</th></tr>
          </thead>
          <tbody>
            {data.containers.map((c) => (
              <tr key={`${c.host}/${c.name}`}>
                <td>{c.host}</td>
                <td>{c.name}</td>
                <td>{c.image}</td>
                <td><Status value={c.state ?? 'unknown'} /></td>
                <td>{c.health ? <Status value={c.health} /> : <span className="muted">—</span>}</td>
                <td>{c.status}</td>
                <td><Time iso={c.collectedAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
