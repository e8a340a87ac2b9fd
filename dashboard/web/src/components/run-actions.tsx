import { useState } from 'react';
import { api } from '../api';
import type { RunRecord } from '../types';

/**
 * What can be done to a run from its page. Cancel asks the run's process to stop as Ctrl-C
 * would; asked once, the button cuts off running tasks, as a second Ctrl-C.
 */
export function RunActions({ run, onChange }: { run: RunRecord; onChange: (run: RunRecord) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const act = (path: string) => {
    setBusy(true);
    setProblem('');
    api
      .post<{ run: RunRecord }>(path, {})
      .then((r) => onChange(r.run), (err: Error) => setProblem(err.message))
      .finally(() => setBusy(false));
  };
  const asked = run.status === 'running' && run.cancelledBy !== null;
  return (
    <div className="actions" role="group" aria-label="run actions">
      {run.status === 'running' && (
        <button type="button" disabled={busy} onClick={() => act(`/api/runs/${encodeURIComponent(run.id)}/cancel`)}>
          {asked ? 'Cancel running tasks' : 'Cancel'}
        </button>
      )}
      {asked && <span className="muted">Cancel asked by {run.cancelledBy}: no new tasks start.</span>}
      {problem && <p className="error" role="alert">{problem}</p>}
    </div>
  );
}
