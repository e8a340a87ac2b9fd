/**
 * Times as the reader lives them: the browser's own zone, with the zone named so a screenshot
 * shared across zones cannot be misread. The store keeps UTC; the UTC time stays one hover away.
 */
const local = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

export function localTime(d: Date): string {
  const p = Object.fromEntries(local.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

export const utcTime = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The first instant of a local day (`2026-01-10`, as a date input gives it), as an ISO time. */
function localDayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** A date filter's local days turned into the instants the API compares: `until` includes its whole day. */
export function localDayBounds(f: { since?: string; until?: string }): { since?: string; until?: string } {
  return {
    ...(f.since ? { since: localDayStart(f.since) } : {}),
    ...(f.until ? { until: localDayStart(f.until, 1) } : {}),
  };
}
