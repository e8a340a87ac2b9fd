import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Loading } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { useCan } from '../session';

export function SettingsPage() {
  const { data, error, loading } = useFetch<{ retentionDays: number | null }>('/api/settings');
  const [days, setDays] = useState('');
  const [note, setNote] = useState('');
  const mayChange = useCan('admin');
  useEffect(() => setDays(data?.retentionDays ? String(data.retentionDays) : ''), [data]);
  const save = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 3650) return setNote('Enter a whole number of days between 1 and 3650.');
    api.put<{ retentionDays: number }>('/api/settings', { retentionDays: n }).then(
      (r) => setNote(`Saved: history older than ${r.retentionDays} days is pruned every hour.`),
      (err: Error) => setNote(err.message),
    );
  };
  if (!data) return <Loading error={error} loading={loading} />;
  return (
    <>
      <h1>Settings</h1>
      <form onSubmit={save} className="stack" aria-label="retention">
        <label>
          Keep run history and audit events for (days)
          <input name="retentionDays" type="number" readOnly={!mayChange} min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <p className="muted">{data.retentionDays ? `Now: ${data.retentionDays} days.` : 'Now: kept forever.'} Runs still going are never pruned.</p>
        {mayChange ? <button type="submit">Save</button> : <p className="muted">Changing settings needs the admin role.</p>}
        {note && <p role="status">{note}</p>}
      </form>
    </>
  );
}
