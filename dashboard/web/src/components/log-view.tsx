import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ansiLines, outputLines } from '../../../../runner/reporters/ansi';
import { outputStreams, type OutputStream, type TaskOutput } from '../../../../runner/store/task-output';
import { useWindow } from '../hooks/use-window';
import { layoutLog } from '../log-rows';
import { saveText } from '../save-file';
import { AnsiText } from './ansi-text';

const ROW = 18;
const HEIGHT = 480;

export interface LogTarget {
  stream: OutputStream;
  /** From 1, as the view numbers lines. */
  line?: number;
}

/**
 * A command's stdout or stderr as a terminal would show it, with line numbers, wrapping, find,
 * copy and download. Rows are windowed: 100,000 lines cost the DOM only the rows in view.
 */
export function LogView({ output, name, initial }: { output: TaskOutput; name: string; initial?: LogTarget }) {
  const [stream, setStream] = useState<OutputStream>(initial?.stream ?? (output.stdout ? 'stdout' : 'stderr'));
  const [wrap, setWrap] = useState(false);
  const [find, setFind] = useState('');
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState<number | undefined>(initial?.line ? initial.line - 1 : undefined);
  const [note, setNote] = useState('');
  const lines = useMemo(() => ansiLines(output[stream]), [output, stream]);
  const counts = useMemo(() => ({ stdout: outputLines(output.stdout).length, stderr: outputLines(output.stderr).length }), [output]);
  const plain = useMemo(() => lines.map((l) => l.plain).join('\n') + (lines.length ? '\n' : ''), [lines]);

  const measure = useRef<HTMLSpanElement>(null);
  const [cols, setCols] = useState<number | undefined>();
  const layout = useMemo(() => layoutLog(lines, wrap ? cols : undefined), [lines, wrap, cols]);
  const w = useWindow(layout.rows.length, ROW);
  const gutter = String(lines.length).length + 1;

  // Wrapping needs the box's width in characters; it changes with the window.
  useEffect(() => {
    const box = w.ref.current;
    const ch = measure.current;
    if (!box || !ch) return;
    const update = () => {
      const charWidth = ch.getBoundingClientRect().width / 10;
      if (charWidth > 0) setCols(Math.max(10, Math.floor(box.clientWidth / charWidth) - gutter - 2));
    };
    update();
    const ro = new ResizeObserver(update);
    ro.observe(box);
    return () => ro.disconnect();
  }, [w.ref, gutter]);

  const matches = useMemo(() => {
    const q = query.toLowerCase();
    return q ? lines.flatMap((l, i) => (l.plain.toLowerCase().includes(q) ? [i] : [])) : [];
  }, [lines, query]);
  const matched = useMemo(() => new Set(matches), [matches]);

  // Bring the current line into view, a third of the way down the box.
  useEffect(() => {
    const box = w.ref.current;
    if (!box || current === undefined || layout.firstRow[current] === undefined) return;
    box.scrollTop = Math.max(0, layout.firstRow[current]! * ROW - box.clientHeight / 3);
  }, [current, layout, w.ref]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    const q = find.trim();
    if (q !== query) {
      setQuery(q);
      const first = lines.findIndex((l) => q && l.plain.toLowerCase().includes(q.toLowerCase()));
      setCurrent(first < 0 ? undefined : first);
      return;
    }
    if (matches.length === 0) return;
    const next = matches.find((m) => m > (current ?? -1)) ?? matches[0];
    setCurrent(next);
  };
  const copy = () =>
    navigator.clipboard.writeText(plain).then(
      () => setNote(`copied ${lines.length} lines`),
      () => setNote('the browser refused to copy'),
    );
  const download = () => saveText(plain, 'text/plain', `${name.replace(/[^\w.-]+/g, '_')}.${stream}.log`);

  const position = current === undefined ? -1 : matches.indexOf(current);
  return (
    <section className="log" aria-label="output">
      <div className="log-bar">
        {outputStreams.map((s) => (
          <button key={s} type="button" aria-pressed={s === stream} onClick={() => {
              setStream(s);
              setCurrent(undefined);
            }} disabled={!output[s]}>
            {s} ({counts[s].toLocaleString('en')} line{counts[s] === 1 ? '' : 's'})
          </button>
        ))}
        <label className="toggle">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap lines
        </label>
        <form onSubmit={search} className="log-find">
          <input aria-label="find in output" value={find} onChange={(e) => setFind(e.target.value)} placeholder="find" />
          <button type="submit">{query && query === find.trim() ? 'Next' : 'Find'}</button>
          {query && <span aria-label="matches">{matches.length === 0 ? 'no match' : `${position + 1} of ${matches.length}`}</span>}
        </form>
        <button type="button" onClick={() => void copy()}>Copy</button>
        <button type="button" onClick={download}>Download</button>
        {note && <span className="muted" role="status">{note}</span>}
      </div>
      <div ref={w.ref} className="log-scroll" role="log" aria-label={`${stream} lines`} style={{ height: Math.min(HEIGHT, layout.rows.length * ROW + 20) }}>
        <span ref={measure} className="log-measure" aria-hidden="true">0000000000</span>
        <div style={{ height: w.total, position: 'relative', width: wrap ? undefined : `${gutter + layout.longest + 2}ch`, minWidth: '100%' }}>
          <div style={{ transform: `translateY(${w.offset}px)` }}>
            {layout.rows.slice(w.first, w.last).map((r, i) => (
              <div
                key={w.first + i}
                className={`log-row${matched.has(r.line) ? ' log-match' : ''}${r.line === current ? ' log-current' : ''}`}
                data-line={r.line + 1}
                style={{ height: ROW }}
              >
                <span className="log-num" style={{ width: `${gutter}ch` }}>{r.first ? r.line + 1 : ''}</span>
                <span className="log-text"><AnsiText segments={r.segments} /></span>
              </div>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}

