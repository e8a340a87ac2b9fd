import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { initSystemFact } from '../../../modules/facts/init-system.js';
import { parseUnitState, planUnit, systemd, unitName } from '../../../modules/systemd.js';
import { planFrom } from './run-module-helper.js';

const show = (active: string, file: string, reload = 'no', load = 'loaded') =>
  parseUnitState({
    code: 0,
    stdout: `LoadState=${load}\nActiveState=${active}\nUnitFileState=${file}\nNeedDaemonReload=${reload}\n`,
    stderr: '',
  });
const plan = (params: Record<string, unknown>, st: ReturnType<typeof show>) =>
  planUnit(systemd.params.parse(params), st);

describe('systemd: decisions', () => {
  it('names units', () => {
    expect(['nginx', 'vsa-renew.timer', 'a@b.service'].map(unitName)).toEqual([
      'nginx.service',
      'vsa-renew.timer',
      'a@b.service',
    ]);
  });

  const cases: [Record<string, unknown>, ReturnType<typeof show>, string[]][] = [
    [{ name: 'nginx', state: 'started', enabled: true }, show('active', 'enabled'), []],
    [
      { name: 'nginx', state: 'started', enabled: true },
      show('inactive', 'disabled'),
      ['systemctl enable -- nginx.service', 'systemctl start -- nginx.service'],
    ],
    [{ name: 'nginx', state: 'stopped' }, show('active', 'enabled'), ['systemctl stop -- nginx.service']],
    [{ name: 'nginx', state: 'stopped' }, show('failed', 'enabled'), []],
    [
      { name: 'nginx', state: 'restarted' },
      show('active', 'enabled'),
      ['systemctl restart -- nginx.service'],
    ],
    [{ name: 'nginx', state: 'reloaded' }, show('active', 'enabled'), ['systemctl reload -- nginx.service']],
    [{ name: 'nginx', state: 'reloaded' }, show('inactive', 'enabled'), ['systemctl start -- nginx.service']],
    [{ name: 'x.timer', enabled: true }, show('active', 'static'), []],
    [{ name: 'x.timer', enabled: false }, show('active', 'enabled'), ['systemctl disable -- x.timer']],
    [{ name: 'x.timer', state: 'started' }, show('active', 'enabled', 'yes'), ['systemctl daemon-reload']],
    [
      { name: 'x.timer', state: 'started' },
      show('inactive', 'enabled', 'yes'),
      ['systemctl daemon-reload', 'systemctl start -- x.timer'],
    ],
    [{ name: 'x.timer', state: 'started', daemonReload: false }, show('active', 'enabled', 'yes'), []],
    [{ name: 'gone', state: 'stopped' }, show('inactive', '', 'no', 'not-found'), []],
  ];
  it.each(cases)('%j → %j', (params, st, cmds) =>
    expect(plan(params, st).commands.map(toShell)).toEqual(cmds),
  );

  it('fails for a missing or masked unit it should run, and without state or enabled', () => {
    expect(plan({ name: 'gone', state: 'started' }, show('inactive', '', 'no', 'not-found')).fail).toBe(
      'unit gone.service not found',
    );
    expect(plan({ name: 'm', enabled: true }, show('inactive', 'masked', 'no', 'masked')).fail).toBe(
      'unit m.service is masked',
    );
    expect(systemd.params.safeParse({ name: 'x' }).success).toBe(false);
    expect(systemd.params.safeParse({ name: 'x; reboot', state: 'started' }).success).toBe(false);
  });

  it('reads with one systemctl show; fails clearly without systemd', async () => {
    const cmd = systemd.read!(
      systemd.params.parse({ name: 'nginx', state: 'started' }),
      {} as never,
    )!.command;
    expect(toShell(cmd)).toBe(
      'systemctl show -p LoadState,ActiveState,UnitFileState,NeedDaemonReload -- nginx.service',
    );
    const facts = new FactCache(new FakeConnection('h1'), () => ({}));
    facts.store(initSystemFact, initSystemFact.parse({ code: 0, stdout: 'pid1=tini\n', stderr: '' }));
    const p = await planFrom(
      systemd,
      { name: 'nginx', state: 'started' },
      { code: 1, stderr: 'System has not been booted with systemd' },
      { facts },
    );
    expect(p.fail).toBe('systemd is not available on this host (PID 1 is tini, no systemctl)');
  });
});
