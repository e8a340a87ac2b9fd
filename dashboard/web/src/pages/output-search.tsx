import { useState, type FormEvent } from 'react';
import { VirtualList } from '../components/virtual-list';
import { Status } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { Link } from '../router';
import type { SearchHit } from '../types';

/** Task output searched on the server; `runId` narrows it to one run. */
export function OutputSearch({ runId }: { runId?: string }) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const res = useFetch<{ hits: SearchHit[] }>(q.length >= 2 ? '/api/search' : undefined, { q, runId, limit: 200 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };
  return (
    <section aria-label="search output">
      <h2>Search task output</h2>
      <form onSubmit={submit} className="filters">
        <input name="q" value={text} onChange={(e) => setText(e.target.value)} placeholder="text in messages, diffs and output" minLength={2} />
        <button type="submit">Search</button>
      </form>
      {q && res.data && (
        res.data.hits.length === 0 ? <p className="muted">Nothing found.</p> : (
          <VirtualList
            label="search hits"
            items={res.data.hits}
            rowHeight={44}
            height={360}
            row={(h) => (
              <div className="hit">
                <Status value={h.status} /> <Link to={hitLink(h)}>{h.runId.slice(0, 8)}</Link> {h.host} · {h.task}
                {h.line !== undefined && <span className="muted"> · {h.field} line {h.line}</span>}
                <div className="snippet">{h.snippet}</div>
              </div>
            )}
          />
        )
      )}
    </section>
  );
}

function hitLink(h: SearchHit): string {
  const at = h.line === undefined ? '' : `&stream=${h.field}&line=${h.line}`;
  return `/runs/${encodeURIComponent(h.runId)}?result=${h.id}${at}`;
}
