import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterArgv } from '../lab/host-fs.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { fakeDashboard } from './faults-support/dashboard.js';
import {
  auditLines,
  ensureBuilt,
  onHost,
  resultsOf,
  said,
  startVsa,
  storeRows,
  tempHome,
  vsa,
  type JsonEvent,
} from './faults-support/vsa.js';
import { SECRET_PLAYBOOK, SLOW, TEN_TASKS } from './playbook-files.js';

/** The recap table of a plain report: from `PLAY RECAP` to the blank line after it. */
const recapBlock = (text: string) => {
  const lines = text.split('\n');
  const from = lines.indexOf('PLAY RECAP');
  const to = lines.indexOf('', from);
  return lines.slice(from, to).join('\n');
};
/** Diff lines of a plain report (indented under their task), without the indent. */
const diffLines = (text: string, indent: number) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(' '.repeat(indent)) && !l.startsWith(' '.repeat(indent + 1)))
    .map((l) => l.slice(indent))
    .sort();

/** The run store (SQLite + audit.jsonl) as the built binary fills and reads it on lab hosts. */
describe.skipIf(!canRunLab)('run history on lab hosts', () => {
  const lab = useLab({ hosts: 3 });
  let home: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    home = await tempHome('store');
    await ensureBuilt();
  });
  afterAll(() => home?.remove());
  const inventory = () => lab().inventoryFile;

  it('a run on 3 hosts: one SQLite row per JSONL task line, the same recap, and history show reproduces the report', async () => {
    const r = await vsa(['run', TEN_TASKS, '-i', inventory(), '--diff', '-e', 'root=/srv/store-a'], home.dir);
    expect(r.code, said(r)).toBe(0);
    const runId = /^run ([0-9a-f-]{36}) completed/m.exec(r.stdout)![1]!;

    const jsonl = (await auditLines(home.dir)).filter((e) => e.runId === runId);
    const results = jsonl.filter((e) => e.type === 'task:result');
    expect(results).toHaveLength(30);
    const { run, tasks, audit } = storeRows(home.dir, runId);
    const row = (e: JsonEvent) => [e.host, e.taskIndex, e.task, e.status, e.message ?? null, e.diff ?? null];
    expect(tasks.map((t) => [t.host, t.task_index, t.task, t.status, t.message, t.diff])).toEqual(
      results
        .map(row)
        .sort((a, b) =>
          `${a[0]} ${String(a[1]).padStart(3)}`.localeCompare(`${b[0]} ${String(b[1]).padStart(3)}`),
        ),
    );
    const end = jsonl.at(-1)!;
    expect(end).toMatchObject({ type: 'run:end', reason: 'completed', exitCode: 0 });
    expect(run).toMatchObject({ status: 'ok', exit_code: 0, playbook: 'ten-tasks', changed: 24 });
    expect(JSON.parse(run!.recap as string)).toEqual(end.recap);
    expect(audit.filter((a) => a.action === 'task:changed')).toHaveLength(24);
    expect(audit.filter((a) => a.action.startsWith('run:')).map((a) => `${a.action} ${a.result}`)).toEqual([
      'run:start running',
      'run:end ok',
    ]);

    const show = await vsa(['history', 'show', runId.slice(0, 8), '--diff'], home.dir);
    expect(show.code, said(show)).toBe(0);
    expect(recapBlock(show.stdout)).toBe(recapBlock(r.stdout));
    expect(diffLines(show.stdout, 6)).toEqual(diffLines(r.stdout, 4));
    expect(diffLines(r.stdout, 4).length).toBeGreaterThan(30);
  });

  it('two runs at once on different hosts are both recorded in full', async () => {
    const a = startVsa(
      ['run', SLOW, '-i', inventory(), '--json', '--limit', 'h01', '-e', 'pause=2'],
      home.dir,
    );
    const b = startVsa(
      ['run', SLOW, '-i', inventory(), '--json', '--limit', 'h02:h03', '-e', 'pause=2'],
      home.dir,
    );
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code], said(ra) + said(rb)).toEqual([0, 0]);
    // They did overlap: each started before the other ended.
    const at = (r: typeof ra, type: string) =>
      Date.parse(r.events.find((e) => e.type === type)!.time as string);
    expect(at(ra, 'run:start')).toBeLessThan(at(rb, 'run:end'));
    expect(at(rb, 'run:start')).toBeLessThan(at(ra, 'run:end'));

    const jsonl = await auditLines(home.dir);
    for (const [r, hosts] of [
      [ra, 1],
      [rb, 2],
    ] as const) {
      const runId = r.end!.runId!;
      const { run, tasks } = storeRows(home.dir, runId);
      expect(run).toMatchObject({ status: 'ok', exit_code: 0 });
      expect(tasks).toHaveLength(4 * hosts);
      const lines = jsonl.filter((e) => e.runId === runId);
      expect(lines.map((e) => e.type).sort()).toEqual(r.events.map((e) => e.type).sort());
    }
  });

  it('a secret param never reaches stdout, --json, audit.jsonl, the database, the dashboard push or argv on the host', async () => {
    const secret = `S3cret-${randomBytes(9).toString('hex')}`;
    const vars = `${home.dir}/secrets.yml`;
    await writeFile(vars, `password: "${secret}"\n`, { mode: 0o600 });
    const dash = await fakeDashboard('store-token');
    const env = { VSA_DASHBOARD_URL: dash.url, VSA_DASHBOARD_TOKEN: 'store-token' };
    try {
      const p = startVsa(
        [
          'run',
          SECRET_PLAYBOOK,
          '-i',
          inventory(),
          '--limit',
          'h01',
          '--json',
          '--diff',
          '-e',
          `@${vars}`,
          '-e',
          'pause=3',
        ],
        home.dir,
        env,
      );
      await p.until((events) => events.some((e) => e.type === 'task:start' && e.task === 'use the secret'));
      // Every process's argv, on the host and (no PID namespaces in the lab) on the control machine.
      // task:start comes before the task's own round trips: sample until the command is seen running.
      let seen = false;
      for (let i = 0; i < 60 && !seen; i++) {
        const ps = await $({ quiet: true })`${[...enterArgv(lab().host('h01')), 'ps', '-eo', 'args']}`;
        expect(ps.stdout).not.toContain(secret);
        seen = ps.stdout.includes('sleep 3');
        if (!seen) await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toBe(true);
      const r = await p.done;
      expect(r.code, said(r)).toBe(0);

      const plain = await vsa(
        ['run', SECRET_PLAYBOOK, '-i', inventory(), '--limit', 'h01', '--diff', '-e', `@${vars}`],
        home.dir,
        env,
      );
      expect(plain.code, said(plain)).toBe(0);

      // The playbook really used it: on the host, and as the failing task's output before redaction.
      expect(await readFile(onHost(lab(), 'h01', '/srv/vsa-secret/app.env'), 'utf8')).toBe(
        `APP_PASSWORD=${secret}\n`,
      );
      const failed = resultsOf(r.events, 'h01').find((e) => e.task === 'fail with the secret')!;
      expect(failed).toMatchObject({ status: 'failed', message: 'bad password ***', ignored: true });
      expect(r.events[0]).toMatchObject({ type: 'run:start', params: { password: '***' } });

      const files = (await readdir(home.dir)).filter(
        (f) => f.startsWith('vsa.db') || f.startsWith('audit.jsonl'),
      );
      expect(files).toEqual(expect.arrayContaining(['vsa.db', 'audit.jsonl']));
      const stored = await Promise.all(
        files.map(async (f): Promise<[string, Buffer]> => [f, await readFile(`${home.dir}/${f}`)]),
      );
      const places: [string, string | Buffer][] = [
        ['--json stdout', r.stdout],
        ['stderr', r.stderr + plain.stderr],
        ['plain stdout', plain.stdout],
        ['dashboard push', dash.bodies.join('\n')],
        ...stored,
      ];
      expect(dash.bodies.length).toBeGreaterThan(0);
      for (const [where, text] of places) {
        expect(Buffer.from(text).includes(secret), where).toBe(false);
      }
      expect(Buffer.from(dash.bodies.join('\n')).includes('***')).toBe(true);
    } finally {
      await dash.close();
    }
  });
});
