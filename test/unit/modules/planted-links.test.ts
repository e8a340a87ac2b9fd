import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copy } from '../../../modules/copy.js';
import { htpasswd } from '../../../modules/htpasswd.js';
import { lineInFile } from '../../../modules/lineinfile.js';
import { template } from '../../../modules/template.js';
import { run, withLocal } from './run-module-helper.js';

const VICTIM = 'server { listen 80; } # victim\n';

/** A tenant folder holding `name`, a link to a 0600 file outside it. */
async function plant(dir: string, name: string) {
  await mkdir(join(dir, 'etc'));
  await mkdir(join(dir, 'tenant'));
  const victim = join(dir, 'etc', 'victim.conf');
  await writeFile(victim, VICTIM);
  await chmod(victim, 0o600);
  const path = join(dir, 'tenant', name);
  await symlink(victim, path);
  return { victim, path };
}

async function untouched(victim: string) {
  expect(await readFile(victim, 'utf8')).toBe(VICTIM);
  expect((await stat(victim)).mode & 0o777).toBe(0o600);
}

describe('file modules and a symbolic link planted at the destination (follow: no)', () => {
  it.each([
    ['copy', copy, (dest: string) => ({ dest, content: 'services: {}\n', mode: '0644' })],
    ['template', template, (dest: string) => ({ dest, inline: 'services: {}\n', mode: '0644' })],
  ] as const)('%s replaces the link with the file, reads nothing through it and leaves its target alone', (_, mod, params) =>
    withLocal(async (conn, dir) => {
      const { victim, path } = await plant(dir, 'compose.yml');
      const checked = await run(mod, params(path), conn, { check: true, diff: true });
      expect(checked.status).toBe('changed');
      expect(checked.diff).toContain('--- /dev/null');
      expect(checked.diff).not.toContain('victim');

      const r = await run(mod, params(path), conn, { diff: true });
      expect(r).toMatchObject({ status: 'changed', message: `replaced the symbolic link ${path} with a file` });
      expect((await lstat(path)).isFile()).toBe(true);
      expect(await readFile(path, 'utf8')).toBe('services: {}\n');
      await untouched(victim);
      expect((await run(mod, params(path), conn)).status).toBe('ok');
    }),
  );

  it('copy with follow: true writes to the target, as asked', () =>
    withLocal(async (conn, dir) => {
      const { victim, path } = await plant(dir, 'compose.yml');
      expect((await run(copy, { dest: path, content: 'x\n', follow: true }, conn)).status).toBe('changed');
      expect(await readFile(victim, 'utf8')).toBe('x\n');
      expect((await lstat(path)).isSymbolicLink()).toBe(true);
    }));

  it('htpasswd does not carry the target lines into the file that replaces the link', () =>
    withLocal(async (conn, dir) => {
      const { victim, path } = await plant(dir, 'htpasswd');
      const r = await run(htpasswd, { path, user: 'alice', password: 'S3cret-pw', cost: 10 }, conn);
      expect(r.status).toBe('changed');
      const lines = (await readFile(path, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^alice:\$2y\$10\$/);
      await untouched(victim);
    }));

  it('lineinfile refuses to edit through the link', () =>
    withLocal(async (conn, dir) => {
      const { victim, path } = await plant(dir, 'app.conf');
      const r = await run(lineInFile, { path, line: 'x=1', create: true }, conn);
      expect(r).toMatchObject({ status: 'failed', message: `${path} is a symbolic link: not followed (edit the file it points to)` });
      expect((await lstat(path)).isSymbolicLink()).toBe(true);
      await untouched(victim);
    }));
});
