import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { dockerFact } from '../../../modules/facts/docker.js';
import { nginxFact, parseNginxFact } from '../../../modules/facts/nginx.js';
import { sha256 } from '../../../runner/util/sha256.js';
import { nginxVhost } from '../../../modules/nginx-vhost.js';
import { nginxReload, reloadCommands } from '../../../modules/nginx-reload.js';
import { planFrom, run, withLocal } from './run-module-helper.js';
import { freePort, hasNginx, NGINX, nginxPrefix, startNginx } from './nginx-prefix-helper.js';

const GOOD = (port: number, body = 'v1') => `server {\n  listen 127.0.0.1:${port};\n  location / { return 200 "${body}"; }\n}\n`;
const BROKEN = 'server {\n  listen 127.0.0.1:1;\n  no_such_directive on;\n}\n';

function factsWith(f: { bin: string | null; systemd?: boolean }) {
  const c = new FactCache(new FakeConnection('h1'), () => ({}));
  c.store(nginxFact, { bin: f.bin, version: '1.22.1', conf: '/etc/nginx/nginx.conf', confDir: '/etc/nginx/conf.d', systemd: !!f.systemd });
  return c;
}

describe('nginx facts and reload', () => {
  it('parses the fact; reload picks systemctl only where systemd runs nginx', () => {
    const f = parseNginxFact('bin=/usr/sbin/nginx\nconf=/etc/nginx/nginx.conf\nconfdir=/etc/nginx/sites-enabled\nversion=nginx/1.22.1\n');
    expect(f).toEqual({ bin: '/usr/sbin/nginx', version: '1.22.1', conf: '/etc/nginx/nginx.conf', confDir: '/etc/nginx/sites-enabled', systemd: false });
    const host = { argv: [f.bin!], systemd: f.systemd };
    expect(reloadCommands(host, []).map(toShell)).toEqual(['/usr/sbin/nginx -t', '/usr/sbin/nginx -s reload']);
    expect(reloadCommands({ ...host, systemd: true }, []).map(toShell)).toEqual(['/usr/sbin/nginx -t', 'systemctl reload nginx']);
  });

  it('the fact finds conf.d, else sites-enabled, from a real nginx.conf', () =>
    withLocal(async (conn, dir) => {
      // The fact reads the nginx.conf that `nginx -V` names; compare its shell with a copy of a sites-only layout.
      const res = await conn.exec(nginxFact.command);
      if (hasNginx) expect(parseNginxFact(res.stdout)).toMatchObject({ bin: NGINX, confDir: '/etc/nginx/conf.d' });
      const sitesOnly = join(dir, 'nginx.conf');
      await writeFile(sitesOnly, 'http {\n  include /etc/nginx/mime.types;\n  include "/srv/x/sites-enabled/*";\n}\n');
      const script = toShell(nginxFact.command).replace('conf=${conf:-/etc/nginx/nginx.conf}', `conf=${sitesOnly}`);
      const out = await conn.exec({ script });
      expect(parseNginxFact(out.stdout).confDir).toBe('/srv/x/sites-enabled');
    }));
});

describe('nginx_vhost: decisions', () => {
  const probe = (content?: string) =>
    `confdir=/etc/nginx/conf.d\n${content === undefined ? 'exists=0\n' : `type=file\nstat=644 root 0 root 0 ${content.length} 1700000000\nsha256=x\ncontent:\n${Buffer.from(content).toString('base64')}\n`}`;
  it('writes CONFDIR/NAME.conf with nginx -t as the validation, and shows the diff', async () => {
    const plan = await planFrom(nginxVhost, { name: 'shop.example.com', content: GOOD(80) }, { stdout: probe('old\n') }, { facts: factsWith({ bin: '/usr/sbin/nginx' }), diff: true });
    const sh = toShell(plan.commands[0]!);
    expect(sh).toContain("p=/etc/nginx/conf.d/shop.example.com.conf");
    expect(sh).toContain('/usr/sbin/nginx -t');
    expect(plan.diff).toContain('-old');
    expect(plan.diff).toContain('+  listen 127.0.0.1:80;');
  });

  it('with container, nginx -t and the reload run in the proxy container through the engine, not on the host', async () => {
    const facts = factsWith({ bin: null });
    facts.store(dockerFact, { cli: 'docker', engine: 'podman', version: '4.3.1' });
    const params = { name: 'shop.example.com', content: GOOD(80), container: 'reverse-proxy-nginx' };
    const plan = await planFrom(nginxVhost, params, { stdout: probe() }, { facts });
    expect(toShell(plan.commands[0]!)).toContain('docker exec reverse-proxy-nginx nginx -t');
    const reload = await planFrom(nginxReload, { container: 'reverse-proxy-nginx' }, {}, { facts });
    expect(reload.commands.map(toShell)).toEqual([
      'docker exec reverse-proxy-nginx nginx -t',
      'docker exec reverse-proxy-nginx nginx -s reload',
    ]);
    facts.store(dockerFact, { cli: null, engine: null, version: '' });
    expect((await planFrom(nginxReload, { container: 'reverse-proxy-nginx' }, {}, { facts })).fail).toMatch(/no container engine/);
  });

  it('same content → ok; absent removes; missing nginx fails; domains must be hostnames', async () => {
    const facts = factsWith({ bin: '/usr/sbin/nginx' });
    const same = await planFrom(nginxVhost, { name: 'a.example.com', content: 'x\n' }, { stdout: probe('x\n').replace('sha256=x', `sha256=${sha256('x\n')}`) }, { facts });
    expect(same.commands).toEqual([]);
    const rm = await planFrom(nginxVhost, { name: 'a.example.com', state: 'absent' }, { stdout: probe('x\n') }, { facts });
    expect(rm.commands.map(toShell)).toEqual(['rm -f -- /etc/nginx/conf.d/a.example.com.conf']);
    expect((await planFrom(nginxVhost, { name: 'a.example.com', content: 'y' }, { stdout: probe() }, { facts: factsWith({ bin: null }) })).fail).toMatch(/not installed/);
    for (const name of ['../../etc/passwd', 'a.com;reboot', '$(id)', 'a b']) expect(nginxVhost.params.safeParse({ name, content: '' }).success).toBe(false);
  });

  it('renders a template with the domain and vars; an undefined variable fails naming it', async () => {
    const facts = factsWith({ bin: '/usr/sbin/nginx' });
    const inline = 'server_name {{ domain }}; proxy_pass http://{{ upstream }};\n';
    await withLocal(async (_c, dir) => {
      await writeFile(join(dir, 'vhost.conf.njk'), inline);
      const ok = await planFrom(nginxVhost, { name: 'a.example.com', template: 'vhost.conf.njk', templatesDir: dir, vars: { upstream: 'web:8080' } }, { stdout: probe() }, { facts, diff: true });
      expect(ok.diff).toContain('+server_name a.example.com; proxy_pass http://web:8080;');
      const bad = await planFrom(nginxVhost, { name: 'a.example.com', template: 'vhost.conf.njk', templatesDir: dir }, { stdout: probe() }, { facts });
      expect(bad.fail).toMatch(/undefined variable `upstream`/);
    });
  });
});

describe.runIf(hasNginx)('nginx_vhost with a real nginx', () => {
  it('first run changed, second ok, check writes nothing; a broken vhost leaves the previous file byte-identical and fails with nginx\'s message', () =>
    withLocal(async (conn, dir) => {
      const { confDir, nginxArgs } = await nginxPrefix(dir);
      const port = await freePort();
      const file = join(confDir, 'shop.example.com.conf');
      const base = { name: 'shop.example.com', confDir, nginxArgs };

      expect((await run(nginxVhost, { ...base, content: GOOD(port) }, conn, { check: true })).status).toBe('changed');
      expect(existsSync(file)).toBe(false);
      const first = await run(nginxVhost, { ...base, content: GOOD(port) }, conn, { diff: true });
      expect(first.status).toBe('changed');
      expect(first.diff).toContain(`+  listen 127.0.0.1:${port};`);
      expect((await run(nginxVhost, { ...base, content: GOOD(port) }, conn)).status).toBe('ok');

      const before = await readFile(file);
      const mtime = (await stat(file)).mtimeMs;
      const broken = await run(nginxVhost, { ...base, content: BROKEN }, conn);
      expect(broken.status).toBe('failed');
      expect(broken.message).toContain('unknown directive "no_such_directive"');
      expect(broken.message).toContain('test failed');
      expect((await readFile(file)).equals(before)).toBe(true);
      expect((await stat(file)).mtimeMs).toBe(mtime);
      expect((await readdir(confDir)).sort()).toEqual(['shop.example.com.conf']);

      // A broken new vhost is removed again, leaving nothing behind.
      const fresh = await run(nginxVhost, { ...base, name: 'new.example.com', content: BROKEN }, conn);
      expect(fresh.status).toBe('failed');
      expect((await readdir(confDir)).sort()).toEqual(['shop.example.com.conf']);
    }));

  it('nginx_reload reloads a running nginx, which then serves the new vhost', () =>
    withLocal(async (conn, dir) => {
      const { confDir, nginxArgs } = await nginxPrefix(dir);
      const port = await freePort();
      await writeFile(join(confDir, 'site.conf'), GOOD(port, 'before'));
      const srv = await startNginx(nginxArgs, join(dir, 'nginx.pid'));
      try {
        expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('before');
        expect((await run(nginxVhost, { name: 'site', confDir, nginxArgs, content: GOOD(port, 'after') }, conn)).status).toBe('changed');
        const reload = await run(nginxReload, { nginxArgs }, conn);
        expect(reload).toMatchObject({ status: 'changed', message: 'reloaded nginx' });
        let body = '';
        for (let i = 0; i < 50 && body !== 'after'; i++) {
          // A reload's old workers close their idle keep-alive connections: fetch may get one of those.
          body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
          if (body !== 'after') await new Promise((r) => setTimeout(r, 100));
        }
        expect(body).toBe('after');
      } finally {
        await srv.stop();
      }
    }));
});
