import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { directory, file } from '../../../modules/file.js';
import { NASTY, planFrom, run, withLocal } from './run-module-helper.js';

const DIR = 'type=directory\nstat=755 root 0 root 0 4096 1700000000\n';
const FILE = 'type=file\nstat=644 root 0 root 0 3 1700000000\nsha256=abc\n';
const ABSENT = 'exists=0\n';

describe('file: decisions', () => {
  const cases: { params: Record<string, unknown>; out: string; cmds?: string[]; fail?: RegExp }[] = [
    { params: { path: '/srv/a', state: 'directory' }, out: ABSENT, cmds: ['mkdir -p -- /srv/a'] },
    {
      params: { path: '/srv/a b', state: 'directory', mode: '750', owner: 'www-data' },
      out: ABSENT,
      cmds: ["mkdir -p -m 0750 -- '/srv/a b'", "chown -- www-data '/srv/a b'", "chmod -- 0750 '/srv/a b'"],
    },
    { params: { path: '/srv/a', state: 'directory', mode: '0755' }, out: DIR, cmds: [] },
    {
      params: { path: '/srv/a', state: 'directory', mode: '0700' },
      out: DIR,
      cmds: ['chmod -- 0700 /srv/a'],
    },
    { params: { path: '/srv/a', state: 'directory', owner: '0', group: 'root' }, out: DIR, cmds: [] },
    {
      params: { path: '/srv/a', state: 'directory', owner: 'app', recursive: true },
      out: `${DIR}drift=1\n`,
      cmds: ['chown -R -- app /srv/a'],
    },
    { params: { path: '/srv/a', state: 'directory', owner: 'root', recursive: true }, out: DIR, cmds: [] },
    {
      params: { path: '/srv/a', state: 'directory' },
      out: FILE,
      fail: /exists and is a file, not a directory/,
    },
    { params: { path: '/srv/f', state: 'file' }, out: ABSENT, fail: /does not exist/ },
    { params: { path: '/srv/f', state: 'file', group: 'adm' }, out: FILE, cmds: ['chgrp -- adm /srv/f'] },
    { params: { path: '/srv/f', state: 'absent' }, out: FILE, cmds: ['rm -rf -- /srv/f'] },
    { params: { path: '/srv/f', state: 'absent' }, out: 'link=1\nexists=0\n', cmds: ['rm -rf -- /srv/f'] },
    { params: { path: '/srv/f', state: 'absent' }, out: ABSENT, cmds: [] },
    { params: { path: '/srv/f', state: 'touch' }, out: FILE, cmds: [] },
  ];
  it.each(cases)('$params.state $params.path → $cmds $fail', async ({ params, out, cmds, fail }) => {
    const plan = await planFrom(file, params, { stdout: out });
    if (fail) expect(plan.fail).toMatch(fail);
    else expect(plan.commands.map(toShell)).toEqual(cmds);
  });

  it('directory is file with state directory', async () => {
    const plan = await planFrom(directory, { path: '/srv/x' }, { stdout: ABSENT });
    expect(plan.commands.map(toShell)).toEqual(['mkdir -p -- /srv/x']);
  });

  it('rejects relative paths and non-octal modes', () => {
    expect(file.params.safeParse({ path: 'srv' }).success).toBe(false);
    expect(file.params.safeParse({ path: '/srv', mode: 'u+x' }).success).toBe(false);
  });

  it('the recursive probe asks find for entries that differ', async () => {
    const probe = file.read!(
      file.params.parse({ path: '/s', state: 'directory', owner: 'a', mode: '0750', recursive: true }),
      {} as never,
    );
    expect(toShell(probe!.command)).toContain('find /s \\( ! -user a -o ! -perm 0750 \\) -print');
  });
});

describe('file: on a real host', () => {
  it('creates a directory tree: changed, then ok; check mode writes nothing', () =>
    withLocal(async (conn, dir) => {
      const d = join(dir, NASTY, 'sub');
      expect((await run(directory, { path: d, mode: '0750' }, conn, { check: true })).status).toBe('changed');
      expect(existsSync(d)).toBe(false);
      const first = await run(directory, { path: d, mode: '0750' }, conn, { diff: true });
      expect(first).toMatchObject({ status: 'changed' });
      expect(first.diff).toContain('+state: directory');
      expect((await stat(d)).mode & 0o7777).toBe(0o750);
      expect((await run(directory, { path: d, mode: '0750' }, conn)).status).toBe('ok');
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('fixes modes recursively only when something below drifted', () =>
    withLocal(async (conn, dir) => {
      const d = join(dir, 'tree');
      await mkdir(join(d, 'a'), { recursive: true });
      await writeFile(join(d, 'a', 'f'), 'x');
      await chmod(join(d, 'a', 'f'), 0o600);
      const p = { path: d, state: 'directory', mode: '0755', recursive: true };
      await chmod(d, 0o755);
      await chmod(join(d, 'a'), 0o755);
      expect((await run(file, p, conn)).status).toBe('changed');
      expect((await stat(join(d, 'a', 'f'))).mode & 0o777).toBe(0o755);
      expect((await run(file, p, conn)).status).toBe('ok');
    }));

  it('with follow: false, a symbolic link is never followed: directory fails, absent removes only the link', () =>
    withLocal(async (conn, dir) => {
      const target = join(dir, 'target');
      await mkdir(target, { mode: 0o700 });
      await symlink(target, join(dir, 'conf'));
      const p = { path: join(dir, 'conf'), mode: '0755', follow: false };
      expect(await run(directory, p, conn)).toMatchObject({
        status: 'failed',
        message: `${join(dir, 'conf')} is a symbolic link: not followed`,
      });
      expect((await stat(target)).mode & 0o777).toBe(0o700);
      expect((await run(file, { ...p, state: 'absent' }, conn)).status).toBe('changed');
      expect(await readdir(dir)).toEqual(['target']);
    }));

  it('touches, changes the mode, removes', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, 'f');
      expect((await run(file, { path: f, state: 'touch', mode: '0600' }, conn)).status).toBe('changed');
      expect((await stat(f)).mode & 0o777).toBe(0o600);
      expect((await run(file, { path: f, state: 'touch', mode: '0600' }, conn)).status).toBe('ok');
      const m = await run(file, { path: f, mode: '0640' }, conn, { diff: true });
      expect(m).toMatchObject({ status: 'changed', message: 'mode 0600 → 0640' });
      expect(m.diff).toContain('-mode: 0600\n+mode: 0640');
      expect((await run(file, { path: f, state: 'absent' }, conn)).status).toBe('changed');
      expect(await readdir(dir)).toEqual([]);
      expect((await run(file, { path: f, state: 'absent' }, conn)).status).toBe('ok');
    }));
});
