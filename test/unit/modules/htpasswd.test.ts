import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { secretParamValues } from '../../../runner/redact/index.js';
import { sha256 } from '../../../runner/util/sha256.js';
import { bcryptEntry, entryMatches, htpasswd } from '../../../modules/htpasswd.js';
import { planFrom, run, withLocal } from './run-module-helper.js';
import { freePort, hasNginx, nginxPrefix, startNginx } from './nginx-prefix-helper.js';

const probe = (content: string) => ({ stdout: `type=file\nstat=640 root 0 www-data 33 ${content.length} 1\nsha256=${sha256(content)}\ncontent:\n${Buffer.from(content).toString('base64')}\n` });
const params = { path: '/etc/nginx/auth/shop.htpasswd', user: 'alice', password: 's3cret pass' };

describe('htpasswd: entries', () => {
  it('hashes with $2y$ and the requested cost, and verifies what it wrote', async () => {
    const e = await bcryptEntry('pw', 10);
    expect(e).toMatch(/^\$2y\$10\$.{53}$/);
    expect(await entryMatches(e, 'pw', 10)).toBe(true);
    expect(await entryMatches(e, 'other', 10)).toBe(false);
    // A weaker cost than asked for is re-hashed; foreign hash formats are replaced.
    expect(await entryMatches(e, 'pw', 11)).toBe(false);
    expect(await entryMatches('$apr1$abc$def', 'pw', 10)).toBe(false);
    expect(htpasswd.params.safeParse({ ...params, cost: 9 }).success).toBe(false);
    expect(htpasswd.params.safeParse({ ...params, user: 'a:b' }).success).toBe(false);
    expect(htpasswd.params.safeParse({ path: params.path, user: 'alice' }).success).toBe(false);
  });

  it('marks the password secret, so the runner redacts it', () => {
    expect(secretParamValues(htpasswd.params, htpasswd.params.parse(params))).toEqual([params.password]);
  });
});

describe('htpasswd: decisions', () => {
  it('adds a user after the others, untouched, and never shows a hash', async () => {
    const bob = `bob:${await bcryptEntry('bob', 10)}`;
    const plan = await planFrom(htpasswd, params, probe(`# managed\n${bob}\n`), { diff: true });
    expect(plan.message).toBe('added alice to /etc/nginx/auth/shop.htpasswd');
    expect(plan.diff).toContain(' bob:***');
    expect(plan.diff).toContain('+alice:*** (new hash)');
    expect(plan.diff).not.toMatch(/\$2[aby]\$/);
    expect(JSON.stringify(plan.data)).not.toMatch(/\$2[aby]\$/);
  });

  it('same password → ok; other password → update in place; absent → remove the one line', async () => {
    const alice = `alice:${await bcryptEntry(params.password, 10)}`;
    const file = `bob:$2y$10$abcdefghijklmnopqrstuu5eA8b7zW1oQy7X5F2t4z9m2YlZ8H0yS\n${alice}\ncarol:$apr1$x$y\n`;
    expect((await planFrom(htpasswd, params, probe(file))).commands).toEqual([]);
    const upd = await planFrom(htpasswd, { ...params, password: 'new' }, probe(file), { diff: true });
    expect(upd.message).toBe('updated the password of alice in /etc/nginx/auth/shop.htpasswd');
    expect(upd.diff).toContain('-alice:***\n+alice:*** (new hash)');
    const rm = await planFrom(htpasswd, { path: params.path, user: 'alice', state: 'absent' }, probe(file), { diff: true });
    expect(rm.diff).toContain('-alice:***');
    expect(rm.diff).not.toContain('-bob');
    expect((await planFrom(htpasswd, { path: params.path, user: 'dave', state: 'absent' }, probe(file))).commands).toEqual([]);
  });
});

describe('htpasswd on a real file', () => {
  it('creates 0640 from the start, is ok the second time, keeps other lines; check writes nothing', () =>
    withLocal(async (conn, dir) => {
      const path = join(dir, 'site.htpasswd');
      const p = { ...params, path, group: 'nogroup' };
      expect((await run(htpasswd, p, conn, { check: true })).status).toBe('changed');
      expect(existsSync(path)).toBe(false);

      const first = await run(htpasswd, p, conn, { diff: true });
      expect(first.status).toBe('changed');
      expect(first.diff).not.toMatch(/\$2[aby]\$/);
      const s = await stat(path);
      expect((s.mode & 0o777).toString(8)).toBe('640');
      expect((await run(htpasswd, p, conn)).status).toBe('ok');

      await writeFile(path, `bob:$apr1$keep$me\n${await readFile(path, 'utf8')}`);
      expect((await run(htpasswd, { ...p, user: 'carol', password: 'c' }, conn)).status).toBe('changed');
      const text = await readFile(path, 'utf8');
      expect(text.split('\n')[0]).toBe('bob:$apr1$keep$me');
      const alice = text.split('\n').find((l) => l.startsWith('alice:'))!.slice(6);
      expect(alice).toMatch(/^\$2y\$10\$/);
      expect(await bcrypt.compare(params.password, alice.replace('$2y$', '$2b$'))).toBe(true);
      // Apache's own tool accepts the entry (apache2-utils).
      if (existsSync('/usr/bin/htpasswd')) execFileSync('/usr/bin/htpasswd', ['-vb', path, 'alice', params.password], { stdio: 'pipe' });

      expect((await run(htpasswd, { path, user: 'carol', state: 'absent' }, conn)).status).toBe('changed');
      expect(await readFile(path, 'utf8')).not.toContain('carol:');
    }));

  it.runIf(hasNginx)('NGINX accepts the file: right password 200, wrong 401', () =>
    withLocal(async (conn, dir) => {
      const path = join(dir, 'site.htpasswd');
      expect((await run(htpasswd, { ...params, path, group: 'nogroup' }, conn)).status).toBe('changed');
      const port = await freePort();
      const { confDir, nginxArgs } = await nginxPrefix(dir);
      // Workers run as nobody:nogroup (when started as root) and read the 0640 file through its group.
      await writeFile(join(dir, 'nginx.conf'), (await readFile(join(dir, 'nginx.conf'), 'utf8')).replace('events', 'user nobody nogroup;\nevents'));
      // A static file, not `return 200`: `return` answers in the rewrite phase, before auth_basic runs.
      await mkdir(join(dir, 'www'));
      await writeFile(join(dir, 'www', 'index.html'), 'in\n');
      await chmod(dir, 0o755);
      await writeFile(
        join(confDir, 'auth.conf'),
        `server { listen 127.0.0.1:${port}; root ${dir}/www; location / { auth_basic "vsa"; auth_basic_user_file ${path}; } }\n`,
      );
      const srv = await startNginx(nginxArgs, join(dir, 'nginx.pid'));
      try {
        const get = (pw: string) =>
          fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: `Basic ${Buffer.from(`alice:${pw}`).toString('base64')}` } });
        const ok = await get(params.password);
        expect([ok.status, await ok.text()]).toEqual([200, 'in\n']);
        expect((await get('wrong')).status).toBe(401);
        expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      } finally {
        await srv.stop();
      }
    }));
});
