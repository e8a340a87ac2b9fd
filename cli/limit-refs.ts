import { readFile } from 'node:fs/promises';
import { UsageError } from '../runner/errors.js';
import type { TaskResultRecord } from '../runner/store/types.js';

/** What `@failed:RUN` needs of the store: a run by id or prefix, and its task results. */
export interface RunLookup {
  get(ref: string): { id: string };
  tasks(runId: string): TaskResultRecord[];
  close?(): void;
}

/**
 * `--limit @FILE` (host names one a line, as Ansible's retry files; `#` comments) and
 * `--limit @failed:RUN` (the hosts that failed or were unreachable in run RUN, an id or a unique
 * prefix of one) as the host pattern they stand for. Any other limit is returned as it is.
 */
export async function expandLimit(limit: string, history: () => Promise<RunLookup>): Promise<string> {
  if (!limit.startsWith('@')) return limit;
  const failed = /^@failed:(.*)$/.exec(limit);
  let names: string[];
  if (failed) {
    const runs = await history();
    try {
      names = failedHosts(runs, failed[1]!);
    } finally {
      runs.close?.();
    }
  } else {
    names = await namesIn(limit.slice(1));
  }
  if (!names.length) {
    throw new UsageError(
      failed ? `--limit ${limit}: no host failed or was unreachable in that run` : `--limit ${limit}: the file names no host`,
    );
  }
  return names.join(':');
}

async function namesIn(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--limit @${file}: cannot read it (${e.code ?? e.message})`, { cause: e });
  });
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

function failedHosts(history: RunLookup, ref: string): string[] {
  const run = history.get(ref);
  const bad = history.tasks(run.id).filter((t) => t.status === 'unreachable' || (t.status === 'failed' && !t.ignored));
  return [...new Set(bad.map((t) => t.host))];
}
