import { localTime, utcTime } from '../local-time';

/** Every status the dashboard colours: task results, runs, host health and certificate urgency. */
export function Status({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`status status-${value.replace(/\s+/g, '-')}`} title={title}>
      {value}
    </span>
  );
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const d = new Date(iso);
  return <time dateTime={iso} title={utcTime(d)}>{localTime(d)}</time>;
}

export function Loading({ error, loading }: { error?: string; loading?: boolean }) {
  if (error) return <p className="error" role="alert">{error}</p>;
  return loading ? <p className="muted">Loading…</p> : null;
}
