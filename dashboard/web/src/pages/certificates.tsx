import { Loading, Status, Time } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import type { CertificateRow } from '../types';

/** Soonest expiry first, each row coloured by urgency (expired, under 7 days, under 30, fine). */
export function CertificatesPage() {
  const { data, error, loading } = useFetch<{ certificates: CertificateRow[] }>('/api/certificates');
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Certificates</h1>
      {data.certificates.length === 0 ? (
        <p className="muted">No certificates collected yet (run collect-status).</p>
      ) : (
        <table aria-label="certificates">
          <thead>
            <tr><th>Certificate</th><th>Host</th><th>Names</th><th>Issuer</th><th>Not after</th><th>Days left</th></tr>
          </thead>
          <tbody>
            {data.certificates.map((c) => (
              <tr key={`${c.host}/${c.name}`} className={`urgency-${c.urgency}`} data-cert={c.name}>
                <td>{c.name}</td>
                <td>{c.host}</td>
                <td>{c.sans.join(', ')}</td>
                <td>{c.issuer}</td>
                <td><Time iso={c.notAfter} /></td>
                <td className="days-left"><Status value={c.urgency} /> {c.daysLeft}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
