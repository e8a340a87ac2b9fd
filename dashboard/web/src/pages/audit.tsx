import { useState } from 'react';
import { withQuery } from '../api';
import { exportAudit } from '../audit-export';
import { localDayBounds } from '../local-time';
import { Loading, Status, Time } from '../components/status';
import { VirtualList } from '../components/virtual-list';
import { useFetch } from '../hooks/use-fetch';
import { Link, navigate } from '../router';
import type { AuditEvent } from '../types';

const PAGE = 500;
const fields = ['actor', 'action', 'target', 'result', 'since', 'until'] as const;

export function AuditPage({ query }: { query: URLSearchParams }) {
  const filter = Object.fromEntries(fields.map((f) => [f, query.get(f) ?? ''])) as Record<(typeof fields)[number], string>;
  const actions = useFetch<{ actions: string[] }>('/api/audit/actions');
  const offset = Number(query.get('offset') ?? 0);
  const asked = { ...filter, ...localDayBounds(filter) };
  const list = useFetch<{ events: (AuditEvent & { id: number })[]; total: number }>('/api/audit', { ...asked, limit: PAGE, offset });
  const [exportError, setExportError] = useState<string>();
  const set = (name: string, value: string | number) => navigate(withQuery('/audit', { ...filter, offset: 0, [name]: value }), true);
  const download = (format: 'csv' | 'jsonl') => exportAudit(asked, format).then(() => setExportError(undefined), (e: Error) => setExportError(e.message));
  const text = (name: 'actor' | 'target' | 'result', label: string) => (
    <label>
      {label}
      <input name={name} defaultValue={filter[name]} onBlur={(e) => set(name, e.target.value)} onKeyDown={(e) => e.key === 'Enter' && set(name, e.currentTarget.value)} />
    </label>
  );
  return (
    <>
      <h1>Audit</h1>
      <form className="filters" aria-label="audit filters" onSubmit={(e) => e.preventDefault()}>
        {text('actor', 'Who')}
        <label>
          Action
          <select name="action" value={filter.action} onChange={(e) => set('action', e.target.value)}>
            <option value="">any</option>
            {(actions.data?.actions ?? []).map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        {text('target', 'Target')}
        {text('result', 'Result')}
        <label>From<input name="since" type="date" value={filter.since} onChange={(e) => set('since', e.target.value)} /></label>
        <label>To<input name="until" type="date" value={filter.until} onChange={(e) => set('until', e.target.value)} /></label>
        <button type="button" onClick={() => navigate('/audit', true)}>Clear</button>
        <button type="button" onClick={() => void download('csv')}>Export CSV</button>
        <button type="button" onClick={() => void download('jsonl')}>Export JSONL</button>
      </form>
      {exportError && <p className="error" role="alert">{exportError}</p>}
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && (
        <>
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => set('offset', Math.max(0, offset - PAGE))}>Newer</button>
            <span aria-label="shown">
              {list.data.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, list.data.total)} of {list.data.total}
            </span>
            <button type="button" disabled={offset + PAGE >= list.data.total} onClick={() => set('offset', offset + PAGE)}>Older</button>
          </div>
          <VirtualList
            label="audit events"
            items={list.data.events}
            rowHeight={34}
            height={620}
            header={<div className="row-cols audit head" role="row"><span>Time</span><span>Who</span><span>Action</span><span>Target</span><span>Result</span><span>Run</span></div>}
            row={(e) => (
              <div className="row-cols audit" title={JSON.stringify(e.details)}>
                <span><Time iso={e.time} /></span>
                <span>{e.actor}</span>
                <span>{e.action}</span>
                <span>{e.target}</span>
                <span><Status value={e.result} /></span>
                <span>{e.runId ? <Link to={`/runs/${e.runId}`}>{e.runId.slice(0, 8)}</Link> : ''}</span>
              </div>
            )}
          />
        </>
      )}
    </>
  );
}
