import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { closedPort, fakeDashboard } from './faults-support/dashboard.js';
import {
  auditLines,
  ensureBuilt,
  said,
  startVsa,
  storeRows,
  tempHome,
  vsa,
  type JsonEvent,
} from './faults-support/vsa.js';
import { TEN_TASKS } from './playbook-files.js';

const TOKEN = 'faults-ingest-token';

/** What identifies an event across sinks (each sink stamps its own `time`). */
const key = (e: JsonEvent) => `${e.type} ${e.runId} ${e.host ?? ''} ${e.taskIndex ?? ''}`;

/** Outputs that fail or stall during a run: the dashboard it pushes to, the SQLite store it writes. */
describe.skipIf(!canRunLab)('faults in the outputs of a run', () => {
  const lab = useLab({ hosts: 2 });
  let home: { dir: string; remove(): Promise<void> };
  let baselineMs = 0;
  beforeAll(async () => {
    home = await tempHome('faults-outputs');
    await ensureBuilt();
    // The same run with no dashboard: what a run costs here and now.
    const r = await run();
    expect(r.code, said(r)).toBe(0);
    baselineMs = r.ms;
  });
  afterAll(() => home?.remove());

  const run = (env: Record<string, string> = {}) =>
    vsa(
      ['run', TEN_TASKS, '-i', lab().inventoryFile, '--json', '-e', `root=/srv/outputs-${Date.now()}`],
      home.dir,
      env,
    );
  /**
   * The same order of time as the baseline: a run also waits up to 2 s at its end for the
   * dashboard, and this machine's load varies. A run held by a 5 s dashboard would take 5 s a batch.
   */
  const unaffected = () => 2 * baselineMs + 3000;
  const dashboardEnv = (url: string) => ({ VSA_DASHBOARD_URL: url, VSA_DASHBOARD_TOKEN: TOKEN });
  const pushLater = (url: string) => vsa(['history', 'push'], home.dir, dashboardEnv(url));
  const journal = async (runId: string) => (await auditLines(home.dir)).filter((e) => e.runId === runId);

  it('a dashboard that is down neither fails nor slows the run; its events are pushed once it is up', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const r = await run(dashboardEnv(url));
    expect(r.code, said(r)).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.ms).toBeLessThan(unaffected());

    const stillDown = await pushLater(url);
    expect(stillDown.code).not.toBe(0);
    expect(stillDown.stderr).toBe(`vsa: cannot reach the dashboard at ${url}: ECONNREFUSED\n`);

    const dash = await fakeDashboard(TOKEN, 0, port);
    try {
      const pushed = await pushLater(url);
      expect(pushed.code, said(pushed)).toBe(0);
      expect(pushed.stdout).toMatch(new RegExp(`^pushed \\d+ events to ${url}; 0 left\\n$`));
      const got = new Set(dash.events().map(key));
      const want = await journal(r.end!.runId!);
      expect(want).toHaveLength(2 + 2 * 2 + 2 * 10 * 2);
      expect(want.map(key).filter((k) => !got.has(k))).toEqual([]);
    } finally {
      await dash.close();
    }
  });

  it('a dashboard that answers after 5 s does not hold the run; what it missed is pushed later', async () => {
    const dash = await fakeDashboard(TOKEN, 5000);
    try {
      const r = await run(dashboardEnv(dash.url));
      expect(r.code, said(r)).toBe(0);
      expect(r.ms).toBeLessThan(unaffected());

      dash.delayMs = 0;
      const pushed = await pushLater(dash.url);
      expect(pushed.code, said(pushed)).toBe(0);
      expect(pushed.stdout).toMatch(/^pushed [1-9]\d* events .*; 0 left\n$/);
      const got = new Set(dash.events().map(key));
      expect((await journal(r.end!.runId!)).map(key).filter((k) => !got.has(k))).toEqual([]);
    } finally {
      await dash.close();
    }
  });

  it('a store locked by another writer for 3 s delays the writes; the run completes and loses no event', async () => {
    const db = new Database(`${home.dir}/vsa.db`);
    let locked = true;
    try {
      db.exec('BEGIN EXCLUSIVE');
      const p = startVsa(
        ['run', TEN_TASKS, '-i', lab().inventoryFile, '--json', '-e', 'root=/srv/outputs-locked'],
        home.dir,
      );
      await sleep(3000);
      expect(p.child.exitCode).toBeNull();
      db.exec('COMMIT');
      locked = false;
      const r = await p.done;
      expect(r.code, said(r)).toBe(0);
      expect(r.stderr).toBe('');
      const runId = r.end!.runId!;
      const { run: row, tasks } = storeRows(home.dir, runId);
      expect(row).toMatchObject({ status: 'ok', exit_code: 0 });
      expect(tasks).toHaveLength(20);
      expect(tasks.map((t) => `${t.host} ${t.task_index} ${t.status}`).sort()).toEqual(
        r.events
          .filter((e) => e.type === 'task:result')
          .map((e) => `${e.host} ${e.taskIndex} ${e.status}`)
          .sort(),
      );
      expect((await journal(runId)).map(key).sort()).toEqual(r.events.map(key).sort());
    } finally {
      if (locked) db.exec('ROLLBACK');
      db.close();
    }
  });
});
