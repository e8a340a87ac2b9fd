import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { LocalConnection } from '../../../runner/connection/local.js';
import { runPlay } from '../../../runner/executor/run-play.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';
import { nginxVhosts } from '../../../modules/nginx-vhosts.js';
import { statusSnapshot } from '../../../site/status-snapshot.js';
import stackNew from '../../../playbooks/stack-new.js';
import { validateParams } from '../../../runner/playbook/params.js';
import { lintStacks } from '../../../site/stack-lint/index.js';
import type { HostStatus } from '../../../runner/store/host-status.js';
import { bus, recorder } from '../executor/helpers.js';
import { run } from '../modules/run-module-helper.js';

const localhost: InventoryHost = {
  name: 'localhost',
  address: '127.0.0.1',
  port: 22,
  become: false,
  connection: 'local',
  vars: {},
  groups: ['all'],
};
const conns: LocalConnection[] = [];
const conn = () => {
  const c = new LocalConnection('localhost');
  conns.push(c);
  return c;
};
afterEach(async () => {
  await Promise.all(conns.splice(0).map((c) => c.close()));
});

async function play(vars: Record<string, unknown>, check = false) {
  const rec = recorder();
  const end = await runPlay({
    playbook: stackNew,
    params: validateParams(stackNew, vars),
    hosts: [localhost],
    connect: async () => conn(),
    bus: bus(rec),
    options: { forks: 1, check, diff: false, extraVars: {} },
    actor: 'tester',
    origin: 'script',
  });
  return {
    end,
    results: rec.events.filter((e) => e.type === 'task:result') as Array<{ task: string; status: string }>,
  };
}

describe('stack-new on the control machine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vsa-stacks-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check mode writes nothing; then scaffolds; a second run leaves the stack alone', async () => {
    const checked = await play({ name: 'demo', dir }, true);
    expect(checked.end.recap.localhost).toMatchObject({ changed: 4, failed: 0 });
    expect(existsSync(join(dir, 'demo'))).toBe(false);

    const first = await play({ name: 'demo', dir, image: 'localhost/web:latest', port: '8080' });
    expect(first.end.exitCode).toBe(0);
    expect(first.end.recap.localhost).toMatchObject({ changed: 4, failed: 0 });

    const compose = parseYaml(readFileSync(join(dir, 'demo', 'compose.yml'), 'utf8'));
    const app = compose.services.app;
    expect(app.restart).toBe('unless-stopped');
    expect(app.healthcheck.test.join(' ')).toContain('http://127.0.0.1:8080/');
    expect(app.image).toBe('${APP_IMAGE:-localhost/web:latest}');
    expect(app.networks).toEqual(['flowbiz_ext', 'demo-net']);
    expect(app.ports).toBeUndefined();
    expect(compose.networks).toEqual({ flowbiz_ext: { external: true }, 'demo-net': { driver: 'bridge' } });
    expect(readFileSync(join(dir, 'demo', '.env.example'), 'utf8')).toMatch(/^APP_SECRET=change-me$/m);
    expect(readFileSync(join(dir, 'demo', 'README.md'), 'utf8')).toContain('vsa stack up demo');
    const lint = lintStacks({ dir, names: ['demo'], templatesDir: 'templates/nginx' });
    expect(lint.findings).toEqual([]);
    expect(lint.vhostFiles.length).toBeGreaterThan(0);

    writeFileSync(join(dir, 'demo', 'README.md'), 'edited by hand\n');
    const second = await play({ name: 'demo', dir });
    expect(second.end.recap.localhost).toMatchObject({ changed: 0, failed: 0 });
    expect(readFileSync(join(dir, 'demo', 'README.md'), 'utf8')).toBe('edited by hand\n');

    const forced = await play({
      name: 'demo',
      dir,
      image: 'localhost/web:latest',
      port: 8080,
      force: 'true',
    });
    expect(forced.end.recap.localhost).toMatchObject({ changed: 1 });
    expect(readFileSync(join(dir, 'demo', 'README.md'), 'utf8')).toContain('# demo');
  });
});

describe('status_snapshot through a real shell', () => {
  it('reads disk and load of this machine in one round trip', async () => {
    const o = await run(statusSnapshot, {}, conn());
    expect(o.status).toBe('ok');
    const s = o.data as unknown as HostStatus;
    expect(s.disk.some((d) => d.mount === '/')).toBe(true);
    expect(s.load?.one).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(s.certificates)).toBe(true);
  });
});

describe('nginx_vhosts through a real shell and nginx -t', () => {
  let dir: string;
  let args: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vsa-vhosts-'));
    mkdirSync(join(dir, 'conf.d'));
    mkdirSync(join(dir, 'logs'));
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/conf.d/*.conf;\n}\n`,
    );
    args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const vhost = (name: string, port: number) => ({
    name,
    content: `server {\n    listen ${port};\n    server_name ${name};\n    return 204;\n}\n`,
  });

  it('writes several vhosts once, is ok the second time, and puts a file back when nginx -t fails', async () => {
    if (spawnSync('nginx', ['-v']).status !== 0) throw new Error('nginx is needed for this test');
    const params = {
      confDir: join(dir, 'conf.d'),
      nginxArgs: args,
      vhosts: [vhost('a.example.com', 8001), vhost('b.example.com', 8002)],
    };
    const first = await run(nginxVhosts, params, conn());
    expect(first).toMatchObject({ status: 'changed', message: 'updated a.example.com, b.example.com' });
    const second = await run(nginxVhosts, params, conn());
    expect(second.status).toBe('ok');

    const before = readFileSync(join(dir, 'conf.d', 'b.example.com.conf'));
    const broken = {
      ...params,
      vhosts: [vhost('a.example.com', 8001), { name: 'b.example.com', content: 'server { nonsense; }\n' }],
    };
    const failed = await run(nginxVhosts, broken, conn());
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/unknown directive "nonsense"/);
    expect(readFileSync(join(dir, 'conf.d', 'b.example.com.conf')).equals(before)).toBe(true);

    const checked = await run(nginxVhosts, { ...params, vhosts: [vhost('c.example.com', 8003)] }, conn(), {
      check: true,
      diff: true,
    });
    expect(checked.status).toBe('changed');
    expect(checked.diff).toContain('+    server_name c.example.com;');
    expect(existsSync(join(dir, 'conf.d', 'c.example.com.conf'))).toBe(false);
  });

  it('each site stands alone: a broken one is named and left as it was, the others are written; --check predicts it', async () => {
    const params = { confDir: join(dir, 'conf.d'), nginxArgs: args };
    const site = (name: string, port: number, site: string) => ({ ...vhost(name, port), site });
    const good = [site('d.example.com', 8004, 'd.example.com')];
    const bad = [
      site('e.example.com.http', 8005, 'e.example.com'),
      { name: 'e.example.com', content: 'server { listen 8006; nonsense; }\n', site: 'e.example.com' },
    ];
    const checked = await run(nginxVhosts, { ...params, vhosts: [...good, ...bad] }, conn(), { check: true });
    expect(checked.status).toBe('failed');
    expect(checked.message).toMatch(new RegExp(`^e\\.example\\.com: nginx -t fails with its new vhosts: .*unknown directive "nonsense" in ${dir}/conf\\.d/e\\.example\\.com\\.conf`));
    expect(existsSync(join(dir, 'conf.d', 'd.example.com.conf'))).toBe(false);

    const r = await run(nginxVhosts, { ...params, vhosts: [...good, ...bad] }, conn());
    expect(r.status).toBe('failed');
    expect(r.data).toMatchObject({ changed: ['d.example.com'] });
    expect(existsSync(join(dir, 'conf.d', 'd.example.com.conf'))).toBe(true);
    expect(existsSync(join(dir, 'conf.d', 'e.example.com.http.conf'))).toBe(false);
    expect(existsSync(join(dir, 'conf.d', 'e.example.com.conf'))).toBe(false);
  });

  it('with the proxy container, the candidate test runs inside it (through the engine), so NGINX judges the tree it serves', async () => {
    // A `docker` that logs each exec and runs the command here: this machine stands in for the container.
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(dir, 'exec.log');
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\n[ "$1" = --version ] && { echo 'Docker version 24.0.5'; exit 0; }\n[ "$1" = exec ] || exit 64\nshift; [ "$1" = -i ] && shift\necho "$1 $2" >> ${log}\nshift; exec "$@"\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const params = { confDir: join(dir, 'conf.d'), nginxArgs: args, container: 'reverse-proxy-nginx' };
      const bad = { name: 'f.example.com', content: 'server { listen 8007; nonsense; }\n', site: 'f.example.com' };
      const r = await run(nginxVhosts, { ...params, vhosts: [{ ...vhost('g.example.com', 8008), site: 'g.example.com' }, bad] }, conn());
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(/^f\.example\.com: nginx -t fails with its new vhosts: .*unknown directive "nonsense"/);
      expect(existsSync(join(dir, 'conf.d', 'f.example.com.conf'))).toBe(false);
      expect(existsSync(join(dir, 'conf.d', 'g.example.com.conf'))).toBe(true);
      // Both candidates were tested in the container, and so was the write of the good site.
      const execs = readFileSync(log, 'utf8').split('\n');
      expect(execs.filter((l) => l === 'reverse-proxy-nginx sh')).toHaveLength(2);
      expect(execs).toContain('reverse-proxy-nginx nginx');
    } finally {
      process.env.PATH = path;
    }
  });
});
