import { useState } from 'react';
import { withQuery } from '../api';
import { localDayBounds } from '../local-time';
import { RunTable } from '../components/run-table';
import { Loading } from '../components/status';
import { useFetch } from '../hooks/use-fetch';
import { navigate } from '../router';
import type { RunList } from '../types';
import { OutputSearch } from './output-search';
import { origins } from '../../../../runner/events/types';
import { runStatuses } from '../../../../runner/store/status';

const PAGE = 50;
const fields = ['playbook', 'host', 'status', 'actor', 'origin', 'since', 'until'] as const;

interface Facets {
  playbooks: string[];
  hosts: string[];
}

/** The filters live in the URL: a filtered list can be linked, reloaded and gone back to. */
export function RunsPage({ query }: { query: URLSearchParams }) {
  const filter = Object.fromEntries(fields.map((f) => [f, query.get(f) ?? ''])) as Record<(typeof fields)[number], string>;
  const offset = Number(query.get('offset') ?? 0);
  const facets = useFetch<Facets>('/api/runs/facets', undefined, { live: true });
  const list = useFetch<RunList>('/api/runs', { ...filter, ...localDayBounds(filter), limit: PAGE, offset }, { live: true });
  const [selected, setSelected] = useState<string[]>([]);

  const set = (changes: Record<string, string | number>) => navigate(withQuery('/runs', { ...filter, offset: 0, ...changes }), true);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));
  const select = (name: (typeof fields)[number], options: readonly string[], label: string) => (
    <label>
      {label}
      <select name={name} value={filter[name]} onChange={(e) => set({ [name]: e.target.value })}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <h1>Runs</h1>
      <form className="filters" aria-label="run filters" onSubmit={(e) => e.preventDefault()}>
        {select('playbook', facets.data?.playbooks ?? [], 'Playbook')}
        {select('host', facets.data?.hosts ?? [], 'Host')}
        {select('status', runStatuses, 'Status')}
        {select('origin', origins, 'Origin')}
        <label>
          Who
          <input name="actor" defaultValue={filter.actor} placeholder="user or cron@…" onBlur={(e) => set({ actor: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && set({ actor: e.currentTarget.value })} />
        </label>
        <label>
          From
          <input name="since" type="date" value={filter.since} onChange={(e) => set({ since: e.target.value })} />
        </label>
        <label>
          To
          <input name="until" type="date" value={filter.until} onChange={(e) => set({ until: e.target.value })} />
        </label>
        <button type="button" onClick={() => navigate('/runs', true)}>Clear</button>
        <button type="button" disabled={selected.length !== 2} onClick={() => navigate(withQuery('/compare', { a: selected[0], b: selected[1] }))}>
          Compare 2 selected
        </button>
      </form>
      <Loading error={list.error} loading={list.loading && !list.data} />
      {list.data && (
        <>
          <RunTable runs={list.data.runs} selected={selected} onToggle={toggle} />
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => set({ ...filter, offset: Math.max(0, offset - PAGE) })}>Newer</button>
            <span>
              {list.data.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, list.data.total)} of {list.data.total}
            </span>
            <button type="button" disabled={offset + PAGE >= list.data.total} onClick={() => set({ ...filter, offset: offset + PAGE })}>Older</button>
          </div>
        </>
      )}
      <OutputSearch />
    </>
  );
}
