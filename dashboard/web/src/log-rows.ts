import type { AnsiLine, AnsiSegment } from '../../../runner/reporters/ansi';

/** One fixed-height row of the log view: a whole line, or a piece of a wrapped one. */
export interface LogRow {
  /** The line's index (shown from 1). */
  line: number;
  /** The line's first row carries its number. */
  first: boolean;
  segments: AnsiSegment[];
}

export interface LogLayout {
  rows: LogRow[];
  /** The row each line starts at, to scroll a line into view. */
  firstRow: number[];
  /** The longest line in characters, for the width of unwrapped rows. */
  longest: number;
}

/**
 * Rows of equal height for a windowed list: with `cols`, a line longer than the box is cut into
 * rows of `cols` characters (a monospace font makes that exactly the box's width), so wrapping
 * keeps every row one line high and 100,000 lines still render only the rows in view.
 */
export function layoutLog(lines: readonly AnsiLine[], cols?: number): LogLayout {
  const rows: LogRow[] = [];
  const firstRow: number[] = [];
  let longest = 0;
  lines.forEach((l, line) => {
    firstRow.push(rows.length);
    longest = Math.max(longest, l.plain.length);
    if (!cols || l.plain.length <= cols) {
      rows.push({ line, first: true, segments: l.segments });
      return;
    }
    for (let at = 0; at < l.plain.length; at += cols) rows.push({ line, first: at === 0, segments: slice(l.segments, at, at + cols) });
  });
  return { rows, firstRow, longest };
}

function slice(segments: readonly AnsiSegment[], from: number, to: number): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  let at = 0;
  for (const s of segments) {
    const end = at + s.text.length;
    if (end > from && at < to) out.push({ text: s.text.slice(Math.max(0, from - at), to - at), style: s.style });
    at = end;
  }
  return out;
}
