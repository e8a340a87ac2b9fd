import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStore, readAuditLog } from '../../../runner/store/index.js';
import { scriptedRun, startOf, useTempHome } from './helpers.js';

const writer = fileURLToPath(new URL('./fixtures/write-run.ts', import.meta.url));

function record(dir: string, runId: string, tasks: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, runId, String(tasks)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('two runs at once', () => {
  const tempHome = useTempHome();

  it('records both fully in SQLite and in the JSONL', async () => {
    const dir = tempHome();
    openStore(dir).close();
    const tasks = 300;
    const results = await Promise.all([record(dir, 'run-cron', tasks), record(dir, 'run-operator', tasks)]);
    for (const r of results) expect(r).toEqual({ code: 0, stderr: '' });

    const store = openStore(dir);
    for (const id of ['run-cron', 'run-operator']) {
      expect(store.history.get(id)).toMatchObject({ status: 'ok', counts: { changed: tasks } });
      expect(store.history.tasks(id)).toHaveLength(tasks);
      expect(store.audit.list({ runId: id, limit: 1000 })).toHaveLength(tasks + 2);
    }
    store.close();

    const log = readAuditLog<{ runId: string }>(join(dir, 'audit.jsonl'));
    expect(log.bad).toEqual([]);
    for (const id of ['run-cron', 'run-operator']) expect(log.events.filter((e) => e.runId === id)).toHaveLength(tasks + 2);
  }, 60_000);
});

describe('a write that reads first', () => {
  const tempHome = useTempHome();

  // In WAL a transaction that began with a read cannot become a writer once another connection
  // has committed after its read: SQLite answers SQLITE_BUSY at once, whatever the busy timeout.
  it('ends a run even when another process commits between its read and its write', () => {
    const dir = tempHome();
    const store = openStore(dir);
    store.runs.start(startOf(scriptedRun('run-a', ['web1'])));
    const other = new Database(join(dir, 'vsa.db'));
    other.pragma('busy_timeout = 0');
    const runs = store.runs as unknown as { cancelState: { get: (id: string) => unknown } };
    const read = runs.cancelState;
    let otherWrote: boolean | undefined;
    runs.cancelState = {
      get: (id) => {
        const row = read.get(id);
        try {
          other.prepare("INSERT INTO settings (key, value) VALUES ('between', 'x')").run();
          otherWrote = true;
        } catch {
          otherWrote = false;
        }
        return row;
      },
    };
    try {
      store.runs.end({ runId: 'run-a', reason: 'completed', exitCode: 0, recap: {}, durationMs: 1, endedAt: new Date().toISOString() });
      expect(store.history.get('run-a').status).toBe('ok');
      // The other writer waited for the run's end instead of slipping in between.
      expect(otherWrote).toBe(false);
    } finally {
      other.close();
      store.close();
    }
  });
});
