import type { ResultSummary } from '../types';
import { VirtualList } from './virtual-list';

export interface Column {
  key: string;
  task: string;
  handler: boolean;
}

const short: Record<string, string> = { ok: 'ok', changed: 'chg', failed: 'FAIL', skipped: 'skip', unreachable: 'UNR' };
export const notable = (r: ResultSummary) => r.status === 'changed' || r.status === 'failed' || r.status === 'unreachable';
// Tasks in play order, then handlers (which run at the end of the play).
export const columnKey = (r: ResultSummary) => `${r.handler ? '1' : '0'}${String(r.taskIndex).padStart(6, '0')}\u0000${r.task}`;

/** The result that ended a host's run: a failure the play did not ignore, or the host going unreachable. */
function stoppedBy(host: string, before: Column[], cells: Map<string, ResultSummary>): ResultSummary | undefined {
  for (const c of before) {
    const r = cells.get(`${host}\u0000${c.key}`);
    if (r && !r.ignored && (r.status === 'failed' || r.status === 'unreachable')) return r;
  }
  return undefined;
}

interface Props {
  hosts: string[];
  columns: Column[];
  cells: Map<string, ResultSummary>;
  selected: number | undefined;
  onSelect: (r: ResultSummary) => void;
}

/** Hosts down, tasks across; a cell is a result. Hosts are virtualised: a run may have hundreds. */
export function RunGrid({ hosts, columns, cells, selected, onSelect }: Props) {
  const header = (
    <div className="grid-row grid-head" role="row">
      <div className="grid-host" role="columnheader">host</div>
      {columns.map((c) => (
        <div key={c.key} className="grid-cell grid-task" role="columnheader" title={c.task}>
          {c.handler ? '↻ ' : ''}
          {c.task}
        </div>
      ))}
    </div>
  );
  return (
    <VirtualList
      label="host by task results"
      items={hosts}
      rowHeight={34}
      height={520}
      header={header}
      row={(host) => (
        <div className="grid-row" data-host={host}>
          <div className="grid-host" role="rowheader">{host}</div>
          {columns.map((c, i) => {
            const r = cells.get(`${host}\u0000${c.key}`);
            if (!r) {
              const stop = stoppedBy(host, columns.slice(0, i), cells);
              if (!stop) return <div key={c.key} className="grid-cell empty" role="cell" />;
              return (
                <div key={c.key} className="grid-cell" role="cell" aria-label={`${host} ${c.task}: not run`} title={`not run: the host stopped after ${stop.task} (${stop.status})`}>
                  <span className="cell not-run">not run</span>
                </div>
              );
            }
            return (
              <div key={c.key} className="grid-cell" role="cell">
                <button
                  type="button"
                  className={`cell status-${r.ignored ? 'ignored' : r.status} ${selected === r.id ? 'selected' : ''}`}
                  aria-label={`${host} ${r.task}: ${r.status}`}
                  title={r.message ?? r.status}
                  onClick={() => onSelect(r)}
                >
                  {short[r.status]}
                  {r.hasDiff ? '±' : ''}
                </button>
              </div>
            );
          })}
        </div>
      )}
    />
  );
}
