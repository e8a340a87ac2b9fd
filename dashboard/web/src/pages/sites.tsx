import { Loading, Status } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import type { SiteRow } from '../types';

/** Sites from the configs provision-site records on each host, with the certificate covering each. */
export function SitesPage() {
  const { data, error, loading } = useFetch<{ sites: SiteRow[] }>('/api/sites');
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Sites</h1>
      {data.sites.length === 0 ? (
        <p className="muted">No site records collected yet (run collect-status).</p>
      ) : (
        <table aria-label="sites">
          <thead>
            <tr><th>Domain</th><th>Host</th><th>Upstream</th><th>www</th><th>Basic auth</th><th>Certificate</th></tr>
          </thead>
          <tbody>
            {data.sites.map((s) => (
              <tr key={`${s.host}/${s.domain}`}>
                <td>{s.domain}</td>
                <td>{s.host}</td>
                <td>{s.externalPort ? `127.0.0.1:${s.externalPort}` : `${s.container ?? '?'}:${s.port ?? '?'}`}</td>
                <td>{s.www ? 'yes' : 'no'}</td>
                <td>{s.auth ? 'on' : 'off'}</td>
                <td>{s.certificate ? <><Status value={s.certificate.urgency} /> {s.certificate.daysLeft} days</> : <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
