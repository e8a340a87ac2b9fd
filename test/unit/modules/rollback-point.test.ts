import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { toShell } from '../../../runner/shell/command.js';
import { dockerFact } from '../../../modules/facts/docker.js';
import { nginxFact } from '../../../modules/facts/nginx.js';
import { beginScript, commitScript, rollbackPoint, rollbackScript } from '../../../modules/rollback-point.js';
import { siteFiles } from '../../../playbooks/lib/site-rollback.js';
import { planFrom } from './run-module-helper.js';

const sh = (text: string) => execFileSync('sh', ['-ec', text], { encoding: 'utf8' });

describe('rollback_point: the scripts', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), 'vsa-rollback-'));
    const p = { stateDir: join(dir, 'state'), id: 'shop.example.com', files: [join(dir, 'a.conf'), join(dir, 'b.conf')] };
    writeFileSync(p.files[0]!, 'old a\n');
    return p;
  };

  it('begin snapshots each file (or its absence); rollback puts them back, removes new ones, reloads, and drops the snapshot', () => {
    const p = setup();
    sh(beginScript(p, 'echo reloaded'));
    writeFileSync(p.files[0]!, 'half-written a\n');
    writeFileSync(p.files[1]!, 'new b\n');
    const out = sh(rollbackScript(p, 'echo reloaded'));
    expect(out).toBe('@@vsa-restored\nreloaded\n');
    expect(readFileSync(p.files[0]!, 'utf8')).toBe('old a\n');
    expect(existsSync(p.files[1]!)).toBe(false);
    expect(existsSync(join(p.stateDir, p.id))).toBe(false);
    // A second rollback (or one after a commit) finds nothing and reloads nothing.
    expect(sh(rollbackScript(p, 'echo reloaded'))).toBe('\n');
  });

  it('a run killed after begin is rolled back by the next begin, which then snapshots the restored files', () => {
    const p = setup();
    sh(beginScript(p, 'echo reloaded'));
    writeFileSync(p.files[1]!, 'from the killed run\n');
    // kill -9 here: no rollback ran. The next run's begin repairs first.
    expect(sh(beginScript(p, 'echo reloaded'))).toBe('@@vsa-restored\nreloaded\n');
    expect(existsSync(p.files[1]!)).toBe(false);
    expect(readFileSync(join(p.stateDir, p.id, '0.file'), 'utf8')).toBe('old a\n');
    sh(commitScript(p));
    expect(existsSync(join(p.stateDir, p.id))).toBe(false);
    expect(readFileSync(p.files[0]!, 'utf8')).toBe('old a\n');
  });

  it('a file that cannot be put back keeps the snapshot and fails, reloading nothing; the next rollback finishes it', () => {
    const p = setup();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const files = [p.files[0]!, join(sub, 'c.conf')];
    writeFileSync(files[1]!, 'old c\n');
    const q = { ...p, files };
    sh(beginScript(q, 'echo reloaded'));
    writeFileSync(files[0]!, 'changed a\n');
    // Its directory cannot take a file now (as on a full disk): the put-back of c.conf fails.
    rmSync(sub, { recursive: true });
    writeFileSync(sub, 'not a directory\n');
    const r = spawnSync('sh', ['-c', rollbackScript(q, 'echo reloaded')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`could not put back: ${files[1]}; the snapshot ${join(p.stateDir, p.id)} is kept for the next run`);
    expect(readFileSync(files[0]!, 'utf8')).toBe('old a\n');
    expect(existsSync(join(p.stateDir, p.id))).toBe(true);
    // A begin finds the same and takes no new snapshot over it.
    expect(spawnSync('sh', ['-c', beginScript(q, 'echo reloaded')]).status).toBe(1);
    expect(readFileSync(join(p.stateDir, p.id, '0.file'), 'utf8')).toBe('old a\n');

    rmSync(sub);
    mkdirSync(sub);
    expect(sh(rollbackScript(q, 'echo reloaded'))).toBe('@@vsa-restored\nreloaded\n');
    expect(readFileSync(files[1]!, 'utf8')).toBe('old c\n');
    expect(readdirSync(dir).sort()).toEqual(['a.conf', 'state', 'sub']);
    expect(readdirSync(sub)).toEqual(['c.conf']);
  });

  it('a snapshot killed half-way is never used: it is built beside its place and renamed', () => {
    const p = setup();
    const s = beginScript(p, 'true');
    expect(s).toContain('rm -rf -- "$t.new"; mkdir -p -- "$t.new"');
    expect(s.trimEnd().split('\n').at(-1)).toBe('mv -- "$t.new" "$t"');
    expect(s.split('\n')[0]).toBe('umask 077');
  });
});

describe('rollback_point: plans', () => {
  it('a site change covers both vhosts, the record and the basic-auth users', () => {
    expect(siteFiles('shop.example.com')).toEqual([
      '/etc/nginx/conf.d/shop.example.com.conf',
      '/etc/nginx/conf.d/shop.example.com.http.conf',
      '/var/lib/vsa/sites/shop.example.com.json',
      '/etc/nginx/htpasswd/shop.example.com',
    ]);
  });

  it('check mode runs nothing; commit only drops the snapshot', async () => {
    expect((await planFrom(rollbackPoint, { action: 'begin', id: 'a.example.com', files: ['/x'] }, {}, { check: true })).commands).toEqual([]);
    const commit = await planFrom(rollbackPoint, { action: 'commit', id: 'a.example.com' });
    expect(commit.commands.map(toShell)).toEqual(["t=/var/lib/vsa/rollback/a.example.com\nrm -rf -- \"$t\""]);
  });

  it('the files are put back on the host; NGINX is tested and reloaded where it runs (the proxy container, or the host)', async () => {
    const facts = new FactCache(new FakeConnection('h1'), () => ({}));
    facts.store(nginxFact, { bin: null, version: '', conf: '/etc/nginx/nginx.conf', confDir: '/etc/nginx/conf.d', systemd: false });
    facts.store(dockerFact, { cli: 'podman', engine: 'podman', version: '4.3.1' });
    const inContainer = await planFrom(rollbackPoint, { action: 'rollback', id: 'a.example.com', container: 'reverse-proxy-nginx' }, {}, { facts });
    const [script] = inContainer.commands.map(toShell);
    expect(script).toContain('if [ -n "$out" ]; then podman exec reverse-proxy-nginx nginx -t && podman exec reverse-proxy-nginx nginx -s reload; fi');
    const begin = await planFrom(rollbackPoint, { action: 'begin', id: 'a.example.com', files: ['/x'], container: 'reverse-proxy-nginx' }, {}, { facts });
    expect(toShell(begin.commands[0]!)).toContain('then podman exec reverse-proxy-nginx nginx -t && podman exec reverse-proxy-nginx nginx -s reload; fi');
    // No NGINX on the host and no container given: the files still go back, nothing is reloaded.
    const bare = await planFrom(rollbackPoint, { action: 'rollback', id: 'a.example.com' }, {}, { facts });
    expect(toShell(bare.commands[0]!)).toContain('if [ -n "$out" ]; then true; fi');
    facts.store(nginxFact, { bin: '/usr/sbin/nginx', version: '1.22.1', conf: '/etc/nginx/nginx.conf', confDir: '/etc/nginx/conf.d', systemd: false });
    const host = await planFrom(rollbackPoint, { action: 'rollback', id: 'a.example.com' }, {}, { facts });
    expect(toShell(host.commands[0]!)).toContain('then /usr/sbin/nginx -t && /usr/sbin/nginx -s reload; fi');
  });
});
