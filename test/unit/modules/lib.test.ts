import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argv, chain, script } from '../../../runner/shell/command.js';
import {
  attrChanges,
  attrCommands,
  fileStateProbe,
  normalizeMode,
  octalMode,
  parseFileState,
  parseWriteOutput,
  sha256,
  unifiedDiff,
  writeFileScript,
} from '../../../modules/lib/index.js';
import { toShell } from '../../../runner/shell/command.js';
import { NASTY, withLocal } from './run-module-helper.js';

describe('fileStateProbe', () => {
  it('parses a sample of host output', () => {
    const out = 'type=file\nstat=640 root 0 www-data 33 12 1700000000\nsha256=abc\ncontent:\naGVsbG8K\n';
    expect(parseFileState({ code: 0, stdout: out, stderr: '' }, '/x')).toEqual({
      exists: true,
      type: 'file',
      mode: '0640',
      owner: 'root',
      uid: 0,
      group: 'www-data',
      gid: 33,
      size: 12,
      mtime: 1700000000,
      sha256: 'abc',
      content: Buffer.from('hello\n'),
    });
    expect(parseFileState({ code: 0, stdout: 'link=1\nexists=0\n', stderr: '' }, '/x')).toEqual({
      exists: false,
      link: true,
    });
  });

  it('fails with the path and stderr when the host cannot read it', () => {
    expect(() => parseFileState({ code: 4, stdout: '', stderr: 'Permission denied' }, '/etc/shadow')).toThrow(
      /cannot read \/etc\/shadow \(exit 4\): Permission denied/,
    );
  });

  it('reads a real file, directory, link and absent path; names with metacharacters are inert', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, NASTY);
      await writeFile(f, 'héllo\n');
      await chmod(f, 0o640);
      await symlink(f, join(dir, 'ln'));
      const read = async (p: string, withContent = false, follow = true) => {
        const probe = fileStateProbe(p, { withContent, follow });
        return probe.parse(await conn.exec(probe.command));
      };
      const s = await read(f, true);
      expect(s).toMatchObject({
        exists: true,
        type: 'file',
        mode: '0640',
        size: 7,
        sha256: sha256('héllo\n'),
      });
      expect(s.content?.toString()).toBe('héllo\n');
      expect(await read(join(dir, 'ln'))).toMatchObject({
        link: true,
        type: 'file',
        sha256: sha256('héllo\n'),
      });
      expect((await read(join(dir, 'ln'))).content).toBeUndefined();
      // Without follow (what writers read), a link is only a link: its target is not looked at.
      expect(await read(join(dir, 'ln'), true, false)).toEqual({ exists: false, link: true });
      expect(await read(dir)).toMatchObject({ exists: true, type: 'directory' });
      expect(await read(join(dir, 'nope'))).toEqual({ exists: false });
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('leaves content out above maxContent', () =>
    withLocal(async (conn, dir) => {
      await writeFile(join(dir, 'big'), 'x'.repeat(100));
      const probe = fileStateProbe(join(dir, 'big'), { withContent: true, maxContent: 10 });
      const s = probe.parse(await conn.exec(probe.command));
      expect(s.size).toBe(100);
      expect(s.content).toBeUndefined();
    }));
});

describe('writeFileScript', () => {
  it('never puts the content in argv and quotes the path', () => {
    const s = toShell(writeFileScript({ path: `/tmp/${NASTY}`, content: 'secret-token' }));
    expect(s).not.toContain('secret-token');
    expect(s).toContain(Buffer.from('secret-token').toString('base64'));
    expect(s).toContain(`p='/tmp/we ird'\\''$(touch PWNED)`);
  });

  it('writes a new file atomically with the umask mode, then keeps an existing file mode', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, NASTY);
      expect((await conn.exec(writeFileScript({ path: f, content: 'one\n' }))).code).toBe(0);
      expect(await readFile(f, 'utf8')).toBe('one\n');
      expect((await stat(f)).mode & 0o777).toBe(0o644);
      await chmod(f, 0o600);
      expect((await conn.exec(writeFileScript({ path: f, content: 'two\n' }))).code).toBe(0);
      expect(await readFile(f, 'utf8')).toBe('two\n');
      expect((await stat(f)).mode & 0o777).toBe(0o600);
      expect((await conn.exec(writeFileScript({ path: f, content: 'three\n', mode: '0640' }))).code).toBe(0);
      expect((await stat(f)).mode & 0o777).toBe(0o640);
      expect(await readdir(dir)).toEqual([NASTY]);
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('with follow, writes through a symlink, keeps a backup, and composes in one chain', () =>
    withLocal(async (conn, dir) => {
      await writeFile(join(dir, 'target'), 'old\n');
      await symlink(join(dir, 'target'), join(dir, 'link'));
      const res = await conn.exec(
        chain([
          writeFileScript({ path: join(dir, 'link'), content: 'new\n', backup: true, follow: true }),
          writeFileScript({ path: join(dir, 'other'), content: 'x' }),
        ]),
      );
      expect(res.code).toBe(0);
      const { backup } = parseWriteOutput(res.stdout);
      expect(backup).toMatch(/target\.\d{8}T\d{6}~$/);
      expect(await readFile(backup!, 'utf8')).toBe('old\n');
      expect((await stat(join(dir, 'link'))).isFile()).toBe(true);
      expect(await readFile(join(dir, 'target'), 'utf8')).toBe('new\n');
      expect(await readFile(join(dir, 'other'), 'utf8')).toBe('x');
    }));

  it('cleans its temp file when the write fails', () =>
    withLocal(async (conn, dir) => {
      const res = await conn.exec(
        writeFileScript({ path: join(dir, 'f'), content: 'x', owner: 'no-such-user-vsa' }),
      );
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/no-such-user-vsa/);
      expect(await readdir(dir)).toEqual([]);
    }));

  it('validate: restores the previous file byte for byte and fails with the validator output', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, 'site.conf');
      await writeFile(f, 'good\n');
      await chmod(f, 0o640);
      const before = await stat(f);
      const check = script(
        `grep -q good ${f.replace(/'/g, '')} || { echo "config test failed: bad line 1"; exit 1; }`,
      );
      const res = await conn.exec(
        writeFileScript({ path: f, content: 'bad\n', validate: check, backup: true }),
      );
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('config test failed: bad line 1');
      const after = await stat(f);
      expect(await readFile(f, 'utf8')).toBe('good\n');
      expect([after.ino, after.mode, after.mtimeMs]).toEqual([before.ino, before.mode, before.mtimeMs]);
      expect(await readdir(dir)).toEqual(['site.conf']);

      const ok = await conn.exec(writeFileScript({ path: f, content: 'good too\n', validate: check }));
      expect(ok.code).toBe(0);
      expect(await readFile(f, 'utf8')).toBe('good too\n');
      expect(await readdir(dir)).toEqual(['site.conf']);
    }));

  it('validate: removes a new file that fails validation', () =>
    withLocal(async (conn, dir) => {
      const res = await conn.exec(
        writeFileScript({ path: join(dir, 'n'), content: 'x', validate: argv('false') }),
      );
      expect(res.code).toBe(1);
      expect(await readdir(dir)).toEqual([]);
    }));
});

describe('helpers', () => {
  it('normalizes modes and rejects non-octal ones', () => {
    expect(['644', '0644', '2775', '04755'].map(normalizeMode)).toEqual(['0644', '0644', '2775', '4755']);
    expect(octalMode.parse('600')).toBe('0600');
    expect(octalMode.safeParse('0o644').success).toBe(false);
    expect(octalMode.safeParse('999').success).toBe(false);
  });

  it('finds attribute changes by name or id and orders chown before chmod', () => {
    const st = { exists: true, owner: 'root', uid: 0, group: 'adm', gid: 4, mode: '0644' };
    expect(attrChanges(st, { owner: '0', group: 'adm', mode: '0644' })).toEqual([]);
    const ch = attrChanges(st, { owner: 'www-data', mode: '0600' });
    expect(attrCommands('/a b', ch, true).map(toShell)).toEqual([
      "chown -R -- www-data '/a b'",
      "chmod -R -- 0600 '/a b'",
    ]);
  });

  it('diffs text, absence and binary content', () => {
    expect(unifiedDiff('/etc/x', 'a\n', 'b\n')).toContain(
      '--- a/etc/x\n+++ b/etc/x\n@@ -1,1 +1,1 @@\n-a\n+b\n',
    );
    expect(unifiedDiff('/etc/x', undefined, 'b\n')).toContain('--- /dev/null\n+++ b/etc/x');
    expect(unifiedDiff('/etc/x', Buffer.from([0xff, 0]), 'b')).toBe('Binary file /etc/x changed\n');
  });

  const env = (pw: string) => `# the app\nLITELLM_MASTER_KEY=sk-m4ster\nexport DB_PASS=${pw}\nSIGNING_KEY='s1gn'\nEMPTY=\n\nplain line\n`;
  // The whole file, as a new file's diff shows it.
  const created = '+#***\n+LITELLM_MASTER_KEY=***\n+export DB_PASS=***\n+SIGNING_KEY=***\n+EMPTY=\n+\n+***\n';

  it.each(['/srv/t/app/env/.env', '/srv/t/.env.production', '/srv/t/app.env'])(
    'shows which lines of an env file changed, with their keys, but no value (%s)',
    (path) => {
      const diff = unifiedDiff(path, env('0ld-pw'), env('n3w-pw'));
      for (const value of ['sk-m4ster', '0ld-pw', 'n3w-pw', 's1gn', 'the app', 'plain line']) expect(diff).not.toContain(value);
      expect(diff).toContain(
        '@@ -1,6 +1,6 @@\n #***\n LITELLM_MASTER_KEY=***\n-export DB_PASS=***\n+export DB_PASS=***\n SIGNING_KEY=***\n EMPTY=\n \n',
      );
      expect(unifiedDiff(path, undefined, env('n3w-pw'))).toContain(created);
    },
  );

  it('masks the values of any file marked secret, and of no other file', () => {
    expect(unifiedDiff('/etc/app/key.conf', 'key: a1\n', 'key: b2\n', { secret: true })).toContain('-key: ***\n+key: ***\n');
    expect(unifiedDiff('/etc/app/app.conf', 'key: a1\n', 'key: b2\n')).toContain('-key: a1\n+key: b2\n');
    expect(unifiedDiff('/srv/x/.envrc', 'A=1\n', 'A=2\n')).toContain('-A=1\n+A=2\n');
  });
});

describe('writeFileScript and a symbolic link planted at the destination', () => {
  /** A file outside the tenant's folder, and links to it (and to a directory, and to nothing) inside. */
  async function plant(dir: string) {
    await mkdir(join(dir, 'etc'));
    await mkdir(join(dir, 'tenant'));
    const victim = join(dir, 'etc', 'victim.conf');
    await writeFile(victim, 'victim\n');
    await chmod(victim, 0o600);
    await symlink(victim, join(dir, 'tenant', 'compose.yml'));
    await symlink(join(dir, 'etc'), join(dir, 'tenant', 'conf'));
    await symlink(join(dir, 'etc', 'absent.conf'), join(dir, 'tenant', 'dangling'));
    return victim;
  }

  it.each([{}, { mode: '0644' }, { mode: '0644', backup: true }, { mode: '0644', validate: script('true') }])(
    'replaces the link itself and leaves its target alone (%j)',
    (opts) =>
      withLocal(async (conn, dir) => {
        const victim = await plant(dir);
        for (const name of ['compose.yml', 'conf', 'dangling']) {
          const path = join(dir, 'tenant', name);
          const res = await conn.exec(writeFileScript({ path, content: 'tenant\n', ...opts }));
          expect(res.code, res.stderr).toBe(0);
          expect((await lstat(path)).isFile(), name).toBe(true);
          expect(await readFile(path, 'utf8')).toBe('tenant\n');
          // A link lends the new file neither its target's mode nor its owner.
          expect((await stat(path)).mode & 0o777).toBe('mode' in opts ? 0o644 : 0o644 & ~process.umask());
        }
        expect(await readFile(victim, 'utf8')).toBe('victim\n');
        expect((await stat(victim)).mode & 0o777).toBe(0o600);
        expect((await readdir(join(dir, 'etc'))).sort()).toEqual(['victim.conf']);
        // A backup of a link is the link, not a copy of the file it points to.
        for (const f of await readdir(join(dir, 'tenant'))) {
          if (f.endsWith('~')) expect((await lstat(join(dir, 'tenant', f))).isSymbolicLink()).toBe(true);
        }
      }),
  );
});
