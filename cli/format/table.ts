/** Columns padded to their widest cell (header included), two spaces apart; numbers right-aligned. */
export function formatTable(header: string[], rows: string[][], rightAligned: number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS` in UTC: sortable, and the same on every machine. */
export function shortTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}

export function spanMs(from: string, to: string | null): number | undefined {
  return to ? Date.parse(to) - Date.parse(from) : undefined;
}
