import { api, type Query } from './api';
import { saveText } from './save-file';
import type { AuditEvent } from './types';

type Row = AuditEvent & { id: number };
const PAGE = 500;
const columns = ['time', 'actor', 'action', 'target', 'result', 'runId', 'details'] as const;

/** Every event the filter matches, page by page over the API's offset (the API sends at most 500 at once). */
async function allEvents(filter: Query): Promise<Row[]> {
  const out: Row[] = [];
  for (;;) {
    const page = await api.get<{ events: Row[]; total: number }>('/api/audit', { ...filter, limit: PAGE, offset: out.length });
    out.push(...page.events);
    if (page.events.length === 0 || out.length >= page.total) return out;
  }
}

// RFC 4180: every field quoted, quotes doubled, so commas and newlines in details survive.
const csvField = (v: unknown) => `"${(v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)).replace(/"/g, '""')}"`;

export function toCsv(events: Row[]): string {
  return [columns.join(','), ...events.map((e) => columns.map((c) => csvField(e[c])).join(','))].join('\r\n') + '\r\n';
}

export const toJsonl = (events: Row[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

export async function exportAudit(filter: Query, format: 'csv' | 'jsonl'): Promise<void> {
  const events = await allEvents(filter);
  const text = format === 'csv' ? toCsv(events) : toJsonl(events);
  saveText(text, format === 'csv' ? 'text/csv' : 'application/x-ndjson', `vsa-audit.${format}`);
}
