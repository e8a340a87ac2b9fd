import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat as fsStat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { copy } from '../../../modules/copy.js';
import { stat } from '../../../modules/stat.js';
import { template } from '../../../modules/template.js';
import { sha256 } from '../../../modules/lib/index.js';
import { NASTY, planFrom, run, withLocal } from './run-module-helper.js';

const fileOut = (content: string, mode = '644') =>
  `type=file\nstat=${mode} root 0 root 0 ${content.length} 1700000000\nsha256=${sha256(content)}\ncontent:\n${Buffer.from(content).toString('base64')}\n`;

describe('copy: decisions', () => {
  it('same sha256 and attributes → nothing to do', async () => {
    expect(
      (await planFrom(copy, { dest: '/etc/x', content: 'hi\n' }, { stdout: fileOut('hi\n') })).commands,
    ).toEqual([]);
  });

  it('same content, other mode → only chmod', async () => {
    const plan = await planFrom(
      copy,
      { dest: '/etc/x', content: 'hi\n', mode: '600' },
      { stdout: fileOut('hi\n') },
    );
    expect(plan.commands.map(toShell)).toEqual(['chmod -- 0600 /etc/x']);
  });

  it('other content → one atomic write, with the diff', async () => {
    const plan = await planFrom(
      copy,
      { dest: '/etc/x', content: 'new\n' },
      { stdout: fileOut('old\n') },
      { diff: true },
    );
    expect(plan.commands).toHaveLength(1);
    expect(toShell(plan.commands[0]!)).toContain('mv -f -T -- "$tmp" "$p"');
    expect(plan.diff).toContain('-old\n+new\n');
  });

  it('an env file (by src or dest name) or a file marked secret diffs with keys only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vsa-copy-env-'));
    try {
      await writeFile(join(dir, '.env'), 'DB_PASS=n3w-pw\n');
      const probe = { stdout: fileOut('DB_PASS=0ld-pw\n') };
      const cases = [
        { dest: '/srv/app/env/config', src: join(dir, '.env') },
        { dest: '/srv/app/.env', content: 'DB_PASS=n3w-pw\n' },
        { dest: '/srv/app/db.conf', content: 'DB_PASS=n3w-pw\n', secret: true },
      ];
      for (const params of cases) {
        const plan = await planFrom(copy, params, probe, { diff: true });
        expect(plan.diff, params.dest).toContain('-DB_PASS=***\n+DB_PASS=***\n');
        expect(plan.diff).not.toMatch(/0ld-pw|n3w-pw/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails before writing when dest is a directory or src is missing', async () => {
    const dir = 'type=directory\nstat=755 root 0 root 0 4096 1\n';
    expect((await planFrom(copy, { dest: '/etc', content: 'x' }, { stdout: dir })).fail).toMatch(
      /not a regular file/,
    );
    expect(
      (await planFrom(copy, { dest: '/etc/x', src: '/nonexistent/vsa' }, { stdout: 'exists=0\n' })).fail,
    ).toMatch(/cannot read local src \/nonexistent\/vsa/);
    expect(copy.params.safeParse({ dest: '/x' }).success).toBe(false);
  });
});

describe('copy and template on a real host', () => {
  it('copy: changed, ok, check writes nothing, diff is real, owner/mode kept, backup made', () =>
    withLocal(async (conn, dir) => {
      const dest = join(dir, NASTY);
      const check = await run(copy, { dest, content: 'a\n' }, conn, { check: true, diff: true });
      expect(check.status).toBe('changed');
      expect(check.diff).toContain('+a');
      expect(existsSync(dest)).toBe(false);
      expect((await run(copy, { dest, content: 'a\n' }, conn)).status).toBe('changed');
      expect((await run(copy, { dest, content: 'a\n' }, conn)).status).toBe('ok');
      await chmod(dest, 0o640);
      const second = await run(copy, { dest, content: 'b\n', backup: true }, conn, { diff: true });
      expect(second.status).toBe('changed');
      expect(second.diff).toMatch(/--- a.*\n\+\+\+ b.*\n@@ -1,1 \+1,1 @@\n-a\n\+b\n/);
      expect(await readFile(dest, 'utf8')).toBe('b\n');
      expect((await fsStat(dest)).mode & 0o777).toBe(0o640);
      expect(await readFile(second.data!.backup as string, 'utf8')).toBe('a\n');
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('copy: a local src; validate rolls back', () =>
    withLocal(async (conn, dir) => {
      await writeFile(join(dir, 'src'), 'from src\n');
      const dest = join(dir, 'dest');
      expect((await run(copy, { dest, src: join(dir, 'src') }, conn)).status).toBe('changed');
      expect(await readFile(dest, 'utf8')).toBe('from src\n');
      const bad = await run(
        copy,
        {
          dest,
          content: 'broken\n',
          validate: 'grep -q src %s || { echo "invalid: no src in %s" >&2; exit 1; }',
        },
        conn,
      );
      expect(bad.status).toBe('failed');
      expect(bad.message).toContain('invalid: no src in');
      expect(await readFile(dest, 'utf8')).toBe('from src\n');
    }));

  it('template: renders host vars under task vars, then ok; undefined names the variable', () =>
    withLocal(async (conn, dir) => {
      const tdir = join(dir, 'templates');
      await mkdir(tdir);
      await writeFile(join(tdir, 'site.conf.njk'), 'server_name {{ domain }};\nport {{ port }};\n');
      const dest = join(dir, 'site.conf');
      const p = { dest, src: 'site.conf.njk', templatesDir: tdir, vars: { port: 3000 } };
      const vars = { domain: 'shop.example.com', port: 1 };
      expect((await run(template, p, conn, { vars })).status).toBe('changed');
      expect(await readFile(dest, 'utf8')).toBe('server_name shop.example.com;\nport 3000;\n');
      expect((await run(template, p, conn, { vars })).status).toBe('ok');
      const undef = await run(template, p, conn, { vars: {} });
      expect(undef).toMatchObject({ status: 'failed' });
      expect(undef.message).toMatch(
        /template site\.conf\.njk: .*site\.conf\.njk line 1: undefined variable `domain`/,
      );
      const inline = await run(template, { dest, inline: '{{ a }}{{ b }}\n', vars: { a: 1 } }, conn);
      expect(inline.message).toBe('template (inline): line 1: undefined variable `b`');
      expect(await readdir(dir)).toEqual(['site.conf', 'templates']);
    }));

  it('template: an edited template file renders anew in the same process', () =>
    withLocal(async (conn, dir) => {
      const tdir = join(dir, 'templates');
      await mkdir(tdir);
      const src = join(tdir, 'page.njk');
      await writeFile(src, 'v1 {{ n }}\n');
      const dest = join(dir, 'page');
      const p = { dest, src: 'page.njk', templatesDir: tdir, vars: { n: 1 } };
      expect((await run(template, p, conn)).status).toBe('changed');
      await writeFile(src, 'v2 {{ n }}\n');
      // Same second as the first write on a coarse clock: the edit must still be seen.
      await utimes(src, new Date(), new Date(Date.now() + 5000));
      expect((await run(template, p, conn)).status).toBe('changed');
      expect(await readFile(dest, 'utf8')).toBe('v2 1\n');
    }));

  it('stat: reads without changing anything', () =>
    withLocal(async (conn, dir) => {
      await writeFile(join(dir, 'f'), 'abc');
      const s = await run(stat, { path: join(dir, 'f') }, conn);
      expect(s).toMatchObject({
        status: 'ok',
        data: { exists: true, isDir: false, size: 3, sha256: sha256('abc') },
      });
      expect((await run(stat, { path: join(dir, 'nope') }, conn)).data).toMatchObject({
        exists: false,
        isDir: false,
      });
      expect((await run(stat, { path: dir }, conn, { check: true })).data).toMatchObject({ isDir: true });
    }));
});
