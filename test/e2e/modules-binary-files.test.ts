import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../runner/events/types.js';
import { canRunLab } from '../lab/use-lab.js';
import { expectStatuses, resultOf, statuses, useBinaryLab } from './run-vsa.js';

const PLAYBOOK = 'test/e2e/playbooks/files.ts';
const ROOT = '/srv/vsa-files';
const TASKS = [
  'root',
  'data',
  'motd from a local file',
  'data group',
  'touched',
  'app config',
  'site config',
  'log level',
  'upstreams',
  'app config stat',
];
const every = (s: TaskStatus) => Object.fromEntries(TASKS.map((t) => [t, s]));

describe.skipIf(!canRunLab)('file modules through vsa run on lab hosts', () => {
  const { sh, vsa } = useBinaryLab(2, { only: ['sshd'] });

  it('--check --diff on a fresh host reports every change with its diff and writes nothing', async () => {
    const r = await vsa(PLAYBOOK, '--limit', 'h02', '--check', '--diff');
    expectStatuses(r, 'h02', { ...every('changed'), 'app config stat': 'ok' });
    expect(resultOf(r, 'h02', 'root').diff).toContain('+state: directory');
    expect(resultOf(r, 'h02', 'app config').diff).toMatch(/^\+name = e2e$/m);
    expect(resultOf(r, 'h02', 'site config').diff).toMatch(/^\+# h02: rendered by vsa$/m);
    expect(resultOf(r, 'h02', 'motd from a local file').diff).toMatch(/^\+Welcome to a vsa lab host\.$/m);
    expect(resultOf(r, 'h02', 'app config stat').data).toMatchObject({ exists: false });
    expect(await sh('h02', `test -e ${ROOT}; echo $?`)).toBe('1\n');
  });

  it('applies everything once (changed), then finds nothing to do (ok, one round trip each)', async () => {
    const first = await vsa(PLAYBOOK, '--limit', 'h01');
    expectStatuses(first, 'h01', { ...every('changed'), 'app config stat': 'ok' });
    expect(resultOf(first, 'h01', 'app config stat').data).toMatchObject({
      exists: true,
      isFile: true,
      size: 19,
    });

    expect(await sh('h01', `cd ${ROOT} && stat -c '%n %a %G' . data data/motd touched app.conf`)).toBe(
      '. 755 root\ndata 755 www-data\ndata/motd 644 www-data\ntouched 600 root\napp.conf 640 root\n',
    );
    expect(await sh('h01', `cat ${ROOT}/app.conf ${ROOT}/site.conf ${ROOT}/env ${ROOT}/hosts`)).toBe(
      [
        'name = e2e',
        'rev = 1',
        '# h01: rendered by vsa',
        'server_name files.lab.test;',
        'workers 1;',
        'LEVEL=info',
        '# BEGIN VSA MANAGED BLOCK e2e',
        '10.0.0.1 app',
        '10.0.0.1 db',
        '# END VSA MANAGED BLOCK e2e',
        '',
      ].join('\n'),
    );

    const second = await vsa(PLAYBOOK, '--limit', 'h01');
    expectStatuses(second, 'h01', every('ok'));
    for (const t of second.results) expect(t.roundTrips, t.task).toBe(1);
  });

  it('--diff shows the real change of each edited file, and the files hold it', async () => {
    const r = await vsa(PLAYBOOK, '--limit', 'h01', '-e', 'rev=2', '--diff');
    expect(r.code, r.output).toBe(0);
    const changed = Object.entries(statuses(r, 'h01')).filter(([, s]) => s === 'changed');
    expect(changed.map(([t]) => t)).toEqual([
      'touched',
      'app config',
      'site config',
      'log level',
      'upstreams',
    ]);
    const diff = (t: string) => resultOf(r, 'h01', t).diff ?? '';
    expect(diff('app config')).toMatch(
      /^--- a\/srv\/vsa-files\/app\.conf\n\+\+\+ b\/srv\/vsa-files\/app\.conf$/m,
    );
    expect(diff('app config')).toMatch(/^ name = e2e\n-rev = 1\n\+rev = 2$/m);
    expect(diff('touched')).toBe(
      `--- ${ROOT}/touched (attributes)\n+++ ${ROOT}/touched (attributes)\n-mode: 0600\n+mode: 0640\n`,
    );
    expect(diff('site config')).toMatch(/^-workers 1;\n\+workers 2;$/m);
    expect(diff('log level')).toMatch(/^-LEVEL=info\n\+LEVEL=debug$/m);
    expect(diff('upstreams')).toMatch(/^ 10\.0\.0\.1 app\n-10\.0\.0\.1 db\n\+10\.0\.0\.2 db$/m);
    expect(
      await sh(
        'h01',
        `grep -h -e rev -e workers -e LEVEL -e db ${ROOT}/app.conf ${ROOT}/site.conf ${ROOT}/env ${ROOT}/hosts`,
      ),
    ).toBe('rev = 2\nworkers 2;\nLEVEL=debug\n10.0.0.2 db\n');
    expect(await sh('h01', `stat -c '%a' ${ROOT}/touched ${ROOT}/app.conf`)).toBe('640\n640\n');
    // The replaced app.conf is kept beside it, as reported.
    const backup = resultOf(r, 'h01', 'app config').data?.backup;
    expect(backup).toMatch(/^\/srv\/vsa-files\/app\.conf\.\d{8}T\d{6}~$/);
    expect(await sh('h01', `cat ${String(backup)}`)).toBe('name = e2e\nrev = 1\n');
  });
});
