import { Loading, Status, Time } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import type { HostStateRecord, HostStatus, TimelineEntry } from '../types';

interface HostView {
  host: string;
  /** The last snapshot collect-status stored; one written by an older runner may lack parts. */
  state: HostStateRecord<Partial<HostStatus>> | null;
  timeline: TimelineEntry[];
}

/** One host's own results across runs, newest first. */
export function HostPage({ host }: { host: string }) {
  const { data, error, loading } = useFetch<HostView>(`/api/hosts/${encodeURIComponent(host)}/timeline`, { limit: 100 }, { live: true });
  if (!data) return <Loading error={error} loading={loading} />;
  const s = data.state?.state;
  return (
    <>
      <h1>{host}</h1>
      {data.state && (
        <p className="muted">
          Collected <Time iso={data.state.collectedAt} />: {s?.containers?.length ?? 0} containers, {s?.certificates?.length ?? 0} certificates,{' '}
          {s?.sites?.length ?? 0} sites
        </p>
      )}
      <h2>Timeline</h2>
      <ol className="timeline" aria-label="timeline">
        {data.timeline.map((t) => (
          <li key={t.runId}>
            <div>
              <Time iso={t.startedAt} /> <Link to={`/runs/${t.runId}`}>{t.playbook}</Link> <Status value={t.hostStatus} />{' '}
              {t.runStatus !== t.hostStatus && <span className="muted">(run {t.runStatus}) </span>}
              <span className="muted">by {t.actor}</span>
            </div>
            <div className="counts">
              <span className="c-ok">{t.counts.ok} ok</span> · <span className="c-changed">{t.counts.changed} changed</span> ·{' '}
              <span className="c-failed">{t.counts.failed} failed</span> · {t.counts.skipped} skipped · {t.counts.unreachable} unreachable
            </div>
            {t.notable.length > 0 && (
              <ul className="plain">
                {t.notable.map((n) => (
                  <li key={n.id}>
                    <Status value={n.status} /> <Link to={`/runs/${t.runId}?result=${n.id}`}>{n.task}</Link>
                    {n.message && <span className="muted"> — {n.message}</span>}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {data.timeline.length === 0 && <p className="muted">No runs on this host yet.</p>}
    </>
  );
}
