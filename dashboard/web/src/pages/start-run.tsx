import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Loading } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { navigate } from '../router';
import { useCan, useRole } from '../session';
import { SchemaForm, type FormValues } from '../schema-form/schema-form';
import { checkField, toValue, type ObjectSchema } from '../schema-form/schema';

interface PlaybookInfo {
  name: string;
  description: string;
  schema: ObjectSchema | null;
  error?: string;
}

/** Start a playbook: the form comes from its params schema, checked here and again by the server. */
export function StartRunPage() {
  const { data, error, loading } = useFetch<{ playbooks: PlaybookInfo[]; canStart: boolean }>('/api/playbooks');
  const [name, setName] = useState('');
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [limit, setLimit] = useState('');
  const [check, setCheck] = useState(false);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const role = useRole();
  const mayStart = useCan('operator');
  if (!data) return <Loading error={error} loading={loading} />;
  const pb = data.playbooks.find((p) => p.name === name);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!pb?.schema) return;
    const params: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const [k, f] of Object.entries(pb.schema.properties ?? {})) {
      const value = values[k] === undefined ? undefined : toValue(f, values[k]!);
      const why = checkField(f, value, (pb.schema.required ?? []).includes(k));
      if (why) found[k] = why;
      if (value !== undefined) params[k] = value;
    }
    setErrors(found);
    setProblem('');
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    api
      .post<{ runId: string }>('/api/runs', { playbook: pb.name, params, check, ...(limit.trim() ? { limit: limit.trim() } : {}) })
      .then((r) => navigate(`/runs/${r.runId}`), (err: Error) => setProblem(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <h1>Start a run</h1>
      {!data.canStart && <p className="error">This dashboard cannot start runs.</p>}
      {!mayStart && <p className="muted" role="note">Starting a run needs the operator role; you are a {role}.</p>}
      <form onSubmit={submit} className="stack" aria-label="start run" noValidate>
        <label>
          Playbook
          <select name="playbook" value={name} onChange={(e) => (setName(e.target.value), setValues({}), setErrors({}))}>
            <option value="">choose…</option>
            {data.playbooks.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select>
        </label>
        {pb && <p className="muted">{pb.description || pb.error}</p>}
        {pb?.schema && (
          <>
            <SchemaForm schema={pb.schema} values={values} errors={errors} onChange={(k, v) => setValues((s) => ({ ...s, [k]: v }))} />
            <label>
              Limit to hosts
              <input name="limit" value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="all of the playbook's hosts" />
            </label>
            <label className="toggle">
              <input type="checkbox" checked={check} onChange={(e) => setCheck(e.target.checked)} /> check mode (change nothing)
            </label>
            {mayStart && <button type="submit" disabled={busy || !data.canStart}>{busy ? 'Starting…' : 'Start'}</button>}
          </>
        )}
        {problem && <p className="error" role="alert">{problem}</p>}
      </form>
    </>
  );
}
