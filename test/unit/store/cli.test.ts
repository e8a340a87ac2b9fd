import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { EventBus } from '../../../runner/events/bus.js';
import { createStoreSink, openAuditLog, openStore } from '../../../runner/store/index.js';
import { replay, scriptedRun, useTempHome } from './helpers.js';

/** Runs the CLI in-process and returns its exit code with what it printed. */
async function vsa(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('vsa history / vsa audit', () => {
  const tempHome = useTempHome();
  const saved = process.env['VSA_HOME'];
  const steps = scriptedRun('c0ffee12-3456', ['web1', 'web2']);

  beforeEach(async () => {
    const dir = tempHome();
    process.env['VSA_HOME'] = dir;
    const store = openStore(dir);
    const jsonl = openAuditLog(dir);
    const bus = new EventBus([createStoreSink(store, { jsonl })]);
    replay(bus, steps);
    await bus.close();
    jsonl.close();
    store.close();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['VSA_HOME'];
    else process.env['VSA_HOME'] = saved;
  });

  it('lists runs as a table and as JSON', async () => {
    const table = await vsa('history');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID\s+STARTED\s+PLAYBOOK\s+WHO\s+STATUS\s+OK\s+CHANGED\s+FAILED\s+DURATION/);
    expect(table.out).toMatch(/c0ffee12\s+2026-01-10 10:00:00\s+provision-site\s+alice@ctl\/tty\s+failed\s+2\s+2\s+1\s+1\.5 s/);
    const json = await vsa('history', '--json', '--status', 'failed');
    expect(JSON.parse(json.out.trim())).toMatchObject({ id: 'c0ffee12-3456', status: 'failed' });
    expect((await vsa('history', '--playbook', 'renew-certs')).out).toContain('no runs recorded');
  });

  it('show reproduces the per-task results, the recap and, with --diff, the diffs', async () => {
    const plain = await vsa('history', 'show', 'c0ff');
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('run c0ffee12-3456');
    expect(plain.out).toMatch(/web2\n\s+ok\s+network \(10 ms\)\n\s+changed\s+write vhost \(11 ms\)\n\s+failed\s+nginx -t \(12 ms\): nginx: \[emerg\] bad/);
    expect(plain.out).toMatch(/PLAY RECAP\nhost\s+ok\s+changed\s+failed\s+skipped\s+unreachable\s+ignored\nweb1\s+1\s+1\s+0\s+0\s+0\s+0\nweb2\s+1\s+1\s+1\s+0\s+0\s+0/);
    expect(plain.out).not.toContain('+server_name');

    const diff = await vsa('history', 'show', 'c0ffee12-3456', '--diff', '--host', 'web1');
    expect(diff.out).toContain('      +server_name shop.example.com;');
    expect(diff.out).toContain('--- a/web1.conf');
    expect(diff.out).not.toMatch(/^web2$/m);
    expect(diff.out).not.toContain('a/web2.conf');
    expect(diff.out).not.toMatch(/^web2\s+1/m);
  });

  it('show --output prints each command\'s stdout and stderr as the log view shows them, with no host control sequence', async () => {
    const store = openStore(process.env['VSA_HOME']!);
    const [, start] = steps[0] as ['run:start', Parameters<typeof store.runs.start>[0]];
    store.runs.start({ ...start, runId: 'feed0123-out' });
    const stdout = '\u001b[1;31mred\u001b[0m text\n\u001b]0;owned title\u0007progress 10%\rprogress 100%\n\u001b[2Jdone\n';
    store.runs.task({ runId: 'feed0123-out', host: 'web1', task: 'build', taskIndex: 0, handler: false, status: 'changed', durationMs: 5, roundTrips: 1, data: { rc: 0, stdout, stderr: 'warning: old\n' } });
    store.close();

    const r = await vsa('history', 'show', 'feed0123-out', '--output');
    expect(r.code).toBe(0);
    expect(r.out).toContain('      stdout (3 lines)\n        red text\n        progress 100%\n        done\n      stderr (1 line)\n        warning: old\n');
    // Not a terminal: no colour, and nothing the host sent (title, clear screen, carriage return) passes.
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect((await vsa('history', 'show', 'feed0123-out')).out).not.toContain('red text');
  });

  it('an unknown run id exits 5 with a message', async () => {
    const r = await vsa('history', 'show', 'deadbeef');
    expect(r.code).toBe(5);
    expect(r.err).toContain('no run with id "deadbeef"');
  });

  it('audit lists and filters the run events', async () => {
    const all = await vsa('audit', '--json');
    const actions = all.out.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action);
    expect(actions.sort()).toEqual(['run:end', 'run:start', 'task:changed', 'task:changed', 'task:failed']);
    const web2 = await vsa('audit', '--target', 'web2', '--action', 'task:failed');
    expect(web2.out).toMatch(/task:failed\s+web2\s+failed\s+c0ffee12\s+nginx -t/);
    expect((await vsa('audit', '--since', 'bogus')).code).toBe(5);
  });

  it('prune keeps the retention setting', async () => {
    const r = await vsa('history', 'prune', '--keep-days', '30');
    expect(r.out).toMatch(/pruned 1 runs and 2 audit events .* keeping 30 days/);
    const store = openStore(process.env['VSA_HOME']!);
    expect(store.settings.get('retention_days')).toBe('30');
    store.close();
  });
});
