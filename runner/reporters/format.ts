import type { HostStats, RunStartEvent, TaskRef, TaskResultEvent } from '../events/types.js';
import { statusStyle, type Paint } from './colors.js';

/** The recap columns, in Ansible's order of concern. */
export const counters: (keyof HostStats)[] = ['ok', 'changed', 'failed', 'skipped', 'unreachable', 'ignored'];

/** What a result counts as: a failure allowed by `ignoreErrors` is `ignored`, as in the recap. */
export function outcome(e: Pick<TaskResultEvent, 'status' | 'ignored'>): keyof HostStats {
  return e.ignored ? 'ignored' : e.status;
}

/** Whether a result's message is worth showing without `--verbose`. */
export function isFailure(e: Pick<TaskResultEvent, 'status'>): boolean {
  return e.status === 'failed' || e.status === 'unreachable';
}

export function formatDuration(ms: number): string {
  // Round once per unit so 999.6 ms reads `1.0 s` and 59.96 s reads `1m 00s`.
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatHeader(e: RunStartEvent, paint: Paint): string {
  const mode = e.check ? ', check mode' : '';
  return `${paint('bold', `PLAY ${e.playbook}`)} on ${plural(e.hosts.length, 'host')}${mode}, run ${e.runId}`;
}

export function taskLabel(t: Pick<TaskRef, 'task' | 'handler'>): string {
  return t.handler ? `${t.task} [handler]` : t.task;
}

/** The non-zero counts of a host, e.g. `3 ok, 1 changed`; `no tasks` when all are zero. */
export function formatCounts(stats: HostStats, paint: Paint): string {
  const parts = counters.filter((s) => stats[s] > 0).map((s) => paint(statusStyle[s], `${stats[s]} ${s}`));
  return parts.length ? parts.join(', ') : 'no tasks';
}

/** A task's stdout and stderr (command, shell), indented under its result: what `-v` adds. */
export function formatOutput(e: Pick<TaskResultEvent, 'data'>, indent = '    '): string[] {
  const out: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = e.data?.[stream];
    if (typeof text !== 'string' || !text.trim()) continue;
    out.push(`${indent}${stream}:`, ...text.replace(/\n$/, '').split('\n').map((l) => `${indent}  ${l}`));
  }
  return out;
}

/** A unified diff, indented under its task, with added and removed lines colored. */
export function formatDiff(diff: string, paint: Paint, indent = '    '): string[] {
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const style = diffStyle(line);
      return indent + (style ? paint(style, line) : line);
    });
}

function diffStyle(line: string): 'bold' | 'cyan' | 'green' | 'red' | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'bold';
  if (line.startsWith('@@')) return 'cyan';
  if (line.startsWith('+')) return 'green';
  if (line.startsWith('-')) return 'red';
  return undefined;
}
