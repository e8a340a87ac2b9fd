import { Loading, Status, Time } from '../components/status';
import { VirtualList } from '../components/virtual-list';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import type { HostSummary } from '../types';

export function HostsPage() {
  const { data, error, loading } = useFetch<{ hosts: HostSummary[] }>('/api/hosts', undefined, { live: true });
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Hosts</h1>
      {data.hosts.length === 0 ? (
        <p className="muted">No host has been in a run yet.</p>
      ) : (
        <VirtualList
          label="hosts"
          items={data.hosts}
          rowHeight={36}
          height={640}
          header={
            <div className="row-cols head" role="row">
              <span>Host</span><span>Health</span><span>Last run</span><span>Runs</span><span>Load</span><span>Disk</span><span>Collected</span>
            </div>
          }
          row={(h) => (
            <div className="row-cols">
              <span><Link to={`/hosts/${encodeURIComponent(h.host)}`}>{h.host}</Link></span>
              <span><Status value={h.health} /></span>
              <span>{h.lastRun ? <Link to={`/runs/${h.lastRun.id}`}>{h.lastRun.playbook}</Link> : '—'} {h.lastRun && <Time iso={h.lastRun.startedAt} />}</span>
              <span>{h.runs}</span>
              <span title="1, 5 and 15 minute load averages, as of the collection">{h.load ? `${h.load.one} ${h.load.five} ${h.load.fifteen}` : '—'}</span>
              <span title={h.disk ? `${Math.round(h.disk.availKb / 1024)} MB free on ${h.disk.mount}, as of the collection` : undefined} className={h.disk && h.disk.usePercent >= 90 ? 'error' : undefined}>
                {h.disk ? `${h.disk.usePercent}% ${h.disk.mount}` : '—'}
              </span>
              <span><Time iso={h.collectedAt} /></span>
            </div>
          )}
        />
      )}
    </>
  );
}
