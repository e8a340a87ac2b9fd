import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { apt, parseAptState, planApt } from '../../../modules/apt.js';
import { osFact } from '../../../modules/facts/os.js';
import { planFrom } from './run-module-helper.js';

const DPKG = [
  'pkg nginx 1.22.1-9 install ok installed',
  'pkg curl  unknown ok not-installed',
  'pkg vim 2:9.0 deinstall ok config-files',
].join('\n');
const POLICY =
  'nginx:\n  Installed: 1.22.1-9\n  Candidate: 1.22.1-10\n  Version table:\ncurl:\n  Installed: (none)\n  Candidate: 7.88\n';
const APT = 'env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q -y -o DPkg::Lock::Timeout=120';

const state = (extra = '') => parseAptState({ code: 0, stdout: `${DPKG}\n${POLICY}${extra}`, stderr: '' });
const plan = (params: Record<string, unknown>, extra = '') => planApt(apt.params.parse(params), state(extra));

describe('apt: decisions', () => {
  it('parses dpkg status, candidates and cache age', () => {
    const s = state('cache-age 42\n');
    expect([...s.installed]).toEqual([
      ['nginx', '1.22.1-9'],
      ['vim', 'config-files'],
    ]);
    expect(s.candidate.get('nginx')).toBe('1.22.1-10');
    expect(s.cacheAge).toBe(42);
  });

  const cases: [Record<string, unknown>, string[], string?][] = [
    [{ name: 'nginx' }, []],
    [{ name: ['nginx', 'curl', 'vim'] }, [`${APT} install curl vim`]],
    [{ name: ['nginx', 'curl'], state: 'absent' }, [`${APT} remove nginx`]],
    [{ name: ['vim', 'curl'], state: 'absent' }, []],
    [{ name: ['vim'], state: 'absent', purge: true }, [`${APT} purge vim`]],
    [{ name: ['nginx', 'curl'], state: 'latest' }, [`${APT} install nginx curl`]],
    [{ name: 'nginx', updateCache: true }, [`${APT} update`]],
    [{ name: 'nginx', updateCache: true, cacheValidTime: 3600 }, [], 'cache-age 100\n'],
    [
      { name: 'curl', updateCache: true, cacheValidTime: 60 },
      [`${APT} update`, `${APT} install curl`],
      'cache-age 100\n',
    ],
  ];
  it.each(cases)('%j → %j', (params, cmds, extra) =>
    expect(plan(params, extra).commands.map(toShell)).toEqual(cmds),
  );

  it('latest fails for a package apt has no candidate for, and diffs what it installs', () => {
    const s = parseAptState({
      code: 0,
      stdout: 'zzz:\n  Installed: (none)\n  Candidate: (none)\n',
      stderr: '',
    });
    expect(planApt(apt.params.parse({ name: 'zzz', state: 'latest' }), s).fail).toBe(
      'no installation candidate for zzz',
    );
    expect(plan({ name: ['curl', 'vim'] }).diff).toBe(
      '--- packages\n+++ packages\n+curl\n+vim config-files\n',
    );
  });

  it('reads everything in one script; names are validated', () => {
    const cmd = toShell(
      apt.read!(apt.params.parse({ name: ['nginx'], state: 'latest', updateCache: true }), {} as never)!
        .command,
    );
    expect(cmd).toContain("dpkg-query -W -f 'pkg ${Package} ${Version} ${Status}\\n' -- nginx");
    expect(cmd).toContain('LC_ALL=C apt-cache policy -- nginx');
    expect(cmd).toContain(
      // No package index at all (an image that dropped its lists): never updated, whatever the stamps' times.
      'if ls /var/lib/apt/lists 2>/dev/null | grep -q _Packages; then c=$(stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/cache/apt/pkgcache.bin 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0); else c=0; fi',
    );
    expect(apt.params.safeParse({ name: 'nginx; rm -rf /' }).success).toBe(false);
    expect(apt.params.safeParse({ name: '-o' }).success).toBe(false);
  });

  it('fails clearly on a host that is not Debian-family or has no apt', async () => {
    const facts = new FactCache(new FakeConnection('h1'), () => ({}));
    facts.store(osFact, {
      id: 'alpine',
      idLike: [],
      prettyName: 'Alpine Linux v3.20',
      kernel: 'Linux',
      kernelRelease: '6',
      arch: 'x86_64',
    });
    expect((await planFrom(apt, { name: 'nginx' }, { stdout: '' }, { facts })).fail).toBe(
      'apt needs a Debian-family host (this one is Alpine Linux v3.20)',
    );
    expect((await planFrom(apt, { name: 'nginx' }, { stdout: 'noapt\n' })).fail).toMatch(
      /apt-get or dpkg-query not found/,
    );
  });
});
