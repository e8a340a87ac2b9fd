import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardImage } from '../lab/fresh/dashboard-image.js';
import { freshLabUp, type FreshLab } from '../lab/fresh/fresh-lab.js';
import { FRESH_OPS_PASSWORD, FRESH_OPS_USER } from '../lab/images/fresh-image.js';
import { curlResolveArgs, pointDomain } from '../lab/plugins/dns.js';
import { pebbleRootFile } from '../lab/plugins/pebble.js';
import { canRunLab } from '../lab/use-lab.js';
import { auditLines, ensureBuilt, resultsOf, said, startVsa, tempHome, vsa } from './faults-support/vsa.js';

const A = 'alpha.fresh.test';
const DASH = 'dash.fresh.test';
const BOOT_PACKAGES = ['certbot', 'openssl', 'curl', 'docker.io', 'docker-compose'];
const q = $({ quiet: true, nothrow: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The first day of a real VPS, through the `vsa` binary: a Debian 12 host of its own (its own
 * root, dpkg and systemd; docs/lab.md, fresh tier) reached as its `debian` user with passwordless
 * sudo, root login off. Bootstrap installs from Debian's packages, a site gets a Pebble certificate,
 * the dashboard stack is built here and served behind the proxy, and a second user's sudo asks for
 * its password.
 */
describe.skipIf(!canRunLab)('a fresh Debian 12 VPS, bootstrapped and used as its debian user', () => {
  let lab: FreshLab;
  let home: { dir: string; remove(): Promise<void> };

  beforeAll(async () => {
    [lab, home] = await Promise.all([freshLabUp({ hosts: 1, slot: 'auto' }), tempHome('fresh'), ensureBuilt()]);
    for (const d of [A, DASH]) await pointDomain(lab.layout, d, lab.host('h01').address, true);
  }, 600_000);
  afterAll(async () => {
    await lab?.down();
    await home?.remove();
  });

  const run = (args: string[], env: Record<string, string> = {}) => vsa([...args, '-i', lab.inventoryFile, '--json'], home.dir, env);
  /** As root on the host, for the test to look (not through vsa). */
  const onHost = (script: string) => lab.exec('h01', ['sh', '-c', script]);
  const statusesOf = (r: Awaited<ReturnType<typeof vsa>>) => resultsOf(r.events).map((e) => `${String(e.status)} ${String(e.task)}`);
  const controlDpkg = async () => createHash('sha256').update(await readFile('/var/lib/dpkg/status')).digest('hex');
  /** What HTTPS serves for `domain`, verified against Pebble's root; until `want` or 30 s (NGINX's reload finishes after the run). */
  const served = async (domain: string, path: string, want: string) => {
    const resolve = await curlResolveArgs(lab.layout.dir, domain);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await q`curl -sS -m 10 --cacert ${pebbleRootFile(lab.layout.dir)} ${resolve} https://${domain}${path}`;
      if (r.stdout.trim() === want || Date.now() > deadline) return `${r.stdout.trim()}${r.exitCode ? ` (curl ${r.exitCode}: ${r.stderr.trim()})` : ''}`;
      await sleep(250);
    }
  };

  it('bootstrap installs what a vsa host needs from Debian (the host dpkg lists it, the control machine’s dpkg does not change); a second bootstrap changes nothing', async () => {
    const before = await controlDpkg();
    const first = await run(['bootstrap']);
    expect(first.code, said(first)).toBe(0);
    expect(statusesOf(first)).toContain('changed packages');
    const dpkg = await onHost(`dpkg-query -W -f '\${Package} \${db:Status-Status}\\n' ${BOOT_PACKAGES.join(' ')}`);
    expect(dpkg.trim().split('\n').sort()).toEqual(BOOT_PACKAGES.map((p) => `${p} installed`).sort());
    expect((await onHost('systemctl is-active docker')).trim()).toBe('active');
    expect((await onHost("docker inspect -f '{{.State.Status}} {{.Config.Image}}' reverse-proxy-nginx")).trim()).toBe(`running ${lab.images.proxy}`);
    expect(await controlDpkg()).toBe(before);

    const again = await run(['bootstrap']);
    expect(again.code, said(again)).toBe(0);
    expect(statusesOf(again).filter((s) => !/^(ok|skipped) /.test(s))).toEqual([]);
  }, 600_000);

  it('a container started there gets a site: a Pebble certificate, served over HTTPS through the proxy', async () => {
    await onHost(`docker run -d --name alpha --network flowbiz_ext -e LAB_HOST=alpha ${lab.images.web}`);
    const r = await run(['site', 'provision', '--domain', A, '--container', 'alpha', '--port', '8080', '--no-www']);
    expect(r.code, said(r)).toBe(0);
    expect(await served(A, '/', 'web alpha')).toBe('web alpha');
    const issuer = await q`sh -c ${`openssl s_client -connect ${lab.host('h01').address}:443 -servername ${A} </dev/null 2>/dev/null | openssl x509 -noout -issuer`}`;
    expect(issuer.stdout).toMatch(/Pebble Intermediate CA/);
  }, 120_000);

  it('the apt module for real: install, rerun ok, latest, remove; a held dpkg lock is waited for', async () => {
    const apt = (name: string, state: string) => run(['run', 'test/e2e/playbooks/apt-package.ts', '-e', `name=${name}`, '-e', `state=${state}`]);
    const status = async (pkg: string) => (await onHost(`dpkg-query -W -f '\${db:Status-Status}' ${pkg} 2>/dev/null || echo not-installed`)).trim();
    const only = (r: Awaited<ReturnType<typeof vsa>>) => resultsOf(r.events).map((e) => String(e.status));

    const install = await apt('tree', 'present');
    expect([install.code, only(install)], said(install)).toEqual([0, ['changed']]);
    expect(await status('tree')).toBe('installed');
    const rerun = await apt('tree', 'present');
    expect([rerun.code, only(rerun)], said(rerun)).toEqual([0, ['ok']]);
    // Installed at the candidate version: latest has nothing to do.
    const latest = await apt('tree', 'latest');
    expect([latest.code, only(latest)], said(latest)).toEqual([0, ['ok']]);
    const remove = await apt('tree', 'absent');
    expect([remove.code, only(remove)], said(remove)).toEqual([0, ['changed']]);
    expect(await status('tree')).toBe('not-installed');

    // dpkg's frontend lock held (as by unattended-upgrades) for 5 s: the install waits for it and
    // succeeds. The holder marks its release, so an install that did not wait finds no mark.
    await onHost('rm -f /tmp/lock-released; setsid python3 -c "import fcntl,time; f=open(\'/var/lib/dpkg/lock-frontend\',\'w\'); fcntl.lockf(f, fcntl.LOCK_EX); open(\'/tmp/lock-held\',\'w\').close(); time.sleep(5); open(\'/tmp/lock-released\',\'w\').close()" >/dev/null 2>&1 < /dev/null &');
    for (let i = 0; i < 100 && !(await onHost('test -e /tmp/lock-held && echo held').catch(() => '')).includes('held'); i++) await sleep(50);
    const held = await apt('tree', 'latest');
    expect([held.code, only(held)], said(held)).toEqual([0, ['changed']]);
    expect((await onHost('test -e /tmp/lock-released && echo released || echo still-held')).trim()).toBe('released');
    expect(await status('tree')).toBe('installed');
  }, 300_000);

  it('become on a user whose sudo asks for its password: the password from a file works and is in no process list on either machine', async () => {
    const inv = parse(await readFile(lab.inventoryFile, 'utf8')) as { all: { children: { lab: { hosts: Record<string, Record<string, unknown>> } } } };
    Object.assign(inv.all.children.lab.hosts.h01!, { ansible_user: FRESH_OPS_USER });
    const opsInventory = join(home.dir, 'ops.yml');
    await writeFile(opsInventory, stringify(inv));
    const pwFile = join(home.dir, 'become.pw');
    await writeFile(pwFile, `${FRESH_OPS_PASSWORD}\n`, { mode: 0o600 });

    // Without the password, sudo refuses, and the run says how to give one.
    const without = await vsa(['run', 'test/e2e/playbooks/become-sleep.ts', '-i', opsInventory, '--json'], home.dir);
    expect(without.code, said(without)).toBe(2);
    expect(without.stdout + without.stderr).toMatch(/--become-password-file/);

    // Every process's command line on both machines, every 20 ms while the run lasts.
    await onHost('rm -f /tmp/argv.log; setsid sh -c \'end=$(($(date +%s) + 20)); while [ $(date +%s) -lt $end ]; do for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < $f 2>/dev/null; echo; done; sleep 0.02; done\' >> /tmp/argv.log 2>/dev/null < /dev/null &');
    const proc = startVsa(['run', 'test/e2e/playbooks/become-sleep.ts', '-i', opsInventory, '--json', '--become-password-file', pwFile], home.dir);
    const control: string[] = [];
    let running = true;
    const watch = (async () => {
      while (running) {
        control.push((await q`ps -eww -o args`).stdout);
        await sleep(20);
      }
    })();
    const r = await proc.done;
    running = false;
    await watch;
    expect(r.code, said(r)).toBe(0);
    expect((resultsOf(r.events).find((e) => e.task === 'who')?.data as { stdout?: string } | undefined)?.stdout?.trim()).toBe('root');
    const hostArgv = await onHost('cat /tmp/argv.log');
    // The watchers saw the become step itself (sudo, then the sleep it runs), so an empty list would fail here.
    expect(hostArgv).toMatch(/\bsudo\b/);
    expect(hostArgv).toMatch(/\bsleep 2\b/);
    expect(control.join('\n')).toMatch(/bin\/vsa\.js run/);
    for (const [where, text] of [['host', hostArgv], ['control machine', control.join('\n')]] as const)
      expect(text.includes(FRESH_OPS_PASSWORD), `the password is in a command line on the ${where}`).toBe(false);
    expect([r.stdout, r.stderr, JSON.stringify(await auditLines(home.dir))].some((t) => t.includes(FRESH_OPS_PASSWORD))).toBe(false);
  }, 120_000);

  it('stacks/dashboard built here (its Dockerfile, the lab’s Node base) comes up healthy and serves the dashboard behind the proxy with a certificate', async () => {
    const image = await buildDashboardImage(lab.layout);
    const stacks = join(home.dir, 'stacks');
    await mkdir(stacks, { recursive: true });
    await cp('stacks/dashboard', join(stacks, 'dashboard'), { recursive: true });
    await writeFile(join(stacks, 'dashboard', '.env'), `DASHBOARD_IMAGE=${image}\n`);
    // compose v1 builds a service with a `build:` section unless its image is there: the host pulls it first, as from any registry.
    await onHost(`docker pull -q ${image}`);

    const up = await run(['stack', 'up', 'dashboard', '--dir', stacks]);
    expect(up.code, said(up)).toBe(0);
    expect((await onHost("docker inspect -f '{{.State.Health.Status}} {{.Config.User}}' dashboard")).trim()).toBe('healthy node');
    const site = await run(['site', 'provision', '--domain', DASH, '--container', 'dashboard', '--port', '8700', '--no-www']);
    expect(site.code, said(site)).toBe(0);
    expect(await served(DASH, '/api/health', '{"ok":true}')).toBe('{"ok":true}');
    // No port of its own on the host: only the proxy reaches it.
    expect((await onHost("docker port dashboard || true")).trim()).toBe('');
  }, 1_200_000);
});
