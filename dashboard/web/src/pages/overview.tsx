import { Loading, Status, Time } from '../components/status';
import { RunTable } from '../components/run-table';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import type { CertificateRow, HostSummary, RunRecord } from '../types';

interface Overview {
  hosts: Record<string, number>;
  runs: Record<string, number>;
  recentRuns: RunRecord[];
  failedHosts: HostSummary[];
  expiringCertificates: CertificateRow[];
}

export function OverviewPage() {
  const { data, error, loading } = useFetch<Overview>('/api/overview', undefined, { live: true });
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Overview</h1>
      <section className="cards" aria-label="fleet health">
        <Card label="Hosts" value={data.hosts.total ?? 0} />
        {(['ok', 'changed', 'failed', 'unreachable', 'unknown'] as const).map((h) => (
          <Card key={h} label={h} value={data.hosts[h] ?? 0} tone={h} />
        ))}
        <Card label="Runs running" value={data.runs.running ?? 0} tone="running" />
        <Card label="Runs failed" value={data.runs.failed ?? 0} tone="failed" />
      </section>
      <h2>Certificates expiring within 30 days</h2>
      {data.expiringCertificates.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Certificate</th><th>Host</th><th>Not after</th><th>Days left</th></tr>
          </thead>
          <tbody>
            {data.expiringCertificates.map((c) => (
              <tr key={`${c.host}/${c.name}`} className={`urgency-${c.urgency}`}>
                <td>{c.name}</td><td>{c.host}</td><td><Time iso={c.notAfter} /></td><td><Status value={c.urgency} title={`${c.daysLeft} days`} /> {c.daysLeft}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Failed hosts</h2>
      {data.failedHosts.length === 0 ? (
        <p className="muted">None: every host's last run went through.</p>
      ) : (
        <ul className="plain">
          {data.failedHosts.map((h) => (
            <li key={h.host}>
              <Status value={h.health} /> <Link to={`/hosts/${encodeURIComponent(h.host)}`}>{h.host}</Link>
              {h.lastRun && (
                <> in <Link to={`/runs/${h.lastRun.id}`}>{h.lastRun.playbook}</Link> <Time iso={h.lastRun.startedAt} /></>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Recent runs</h2>
      <RunTable runs={data.recentRuns} />
    </>
  );
}

function Card({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className={`card ${tone ? `tone-${tone}` : ''}`}>
      <div className="card-value">{value}</div>
      <div className="card-label">{label}</div>
    </div>
  );
}
