import { readFileSync } from 'node:fs';

export interface BadLine {
  /** 1-based line number. */
  line: number;
  text: string;
  error: string;
}

export interface AuditLogContents<T> {
  events: T[];
  /** Lines that are not JSON: typically one truncated last line after a power cut. */
  bad: BadLine[];
  /** The file ended in the middle of a line (no final newline) and that line did not parse. */
  truncated: boolean;
}

/** Reads an `audit.jsonl`, keeping every good line and reporting the ones it could not parse. */
export function readAuditLog<T = unknown>(file: string): AuditLogContents<T> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const events: T[] = [];
  const bad: BadLine[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      events.push(JSON.parse(raw) as T);
    } catch (err) {
      bad.push({ line: i + 1, text: raw.slice(0, 200), error: (err as Error).message });
    }
  });
  const lastLine = lines.length;
  const truncated = !text.endsWith('\n') && bad.some((b) => b.line === lastLine);
  return { events, bad, truncated };
}
