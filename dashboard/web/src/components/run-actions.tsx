import { useState } from 'react';
import { api } from '../api';
import { navigate } from '../router';
import type { RunRecord } from '../types';

/**
 * What can be done to a run from its page. Cancel asks the run's process to stop as Ctrl-C
 * would; asked once, the button cuts off running tasks, as a second Ctrl-C. A run that ended can
 * be run again, on all its hosts or only on those that failed; the page moves to the new run.
 */
export function RunActions({ run, onChange }: { run: RunRecord; onChange: (run: RunRecord) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const act = <T,>(path: string, body: object, done: (r: T) => void) => {
    setBusy(true);
    setProblem('');
    api
      .post<T>(`/api/runs/${encodeURIComponent(run.id)}/${path}`, body)
      .then(done, (err: Error) => setProblem(err.message))
      .finally(() => setBusy(false));
  };
  const cancel = () => act<{ run: RunRecord }>('cancel', {}, (r) => onChange(r.run));
  const rerun = (failedOnly: boolean) => act<{ runId: string }>('rerun', { failedOnly }, (r) => navigate(`/runs/${r.runId}`));
  const asked = run.status === 'running' && run.cancelledBy !== null;
  return (
    <div className="actions" role="group" aria-label="run actions">
      {run.status === 'running' && (
        <button type="button" disabled={busy} onClick={cancel}>
          {asked ? 'Cancel running tasks' : 'Cancel'}
        </button>
      )}
      {run.status !== 'running' && (
        <button type="button" disabled={busy} onClick={() => rerun(false)}>Re-run</button>
      )}
      {run.status !== 'running' && (run.counts.failed > 0 || run.counts.unreachable > 0) && (
        <button type="button" disabled={busy} onClick={() => rerun(true)}>Re-run failed hosts</button>
      )}
      {asked && <span className="muted">Cancel asked by {run.cancelledBy}: no new tasks start.</span>}
      {problem && <p className="error" role="alert">{problem}</p>}
    </div>
  );
}
