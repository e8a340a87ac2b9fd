import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stackRelease } from '../../../modules/stack-release.js';
import { run, withLocal } from './run-module-helper.js';

const ids = ['aaaaaaaaaaa1', 'aaaaaaaaaaa2', 'aaaaaaaaaaa3', 'aaaaaaaaaaa4', 'aaaaaaaaaaa5', 'aaaaaaaaaaa6'];

describe('stack_release through a real shell', () => {
  it('records releases by id, keeps the last 5, restores the previous one and leaves data/ alone', () =>
    withLocal(async (conn, dir) => {
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'db'), 'rows\n');
      const inode = (await stat(join(dir, 'data', 'db'))).ino;
      for (const [i, id] of ids.entries()) {
        await writeFile(join(dir, 'compose.yml'), `v${i + 1}\n`);
        const o = await run(stackRelease, { action: 'record', projectDir: dir, id, files: ['compose.yml'], runId: `run-${i}`, actor: 'ops' }, conn);
        expect(o.status, o.message).toBe('changed');
        await new Promise((r) => setTimeout(r, 5));
      }
      const list = await run(stackRelease, { action: 'list', projectDir: dir }, conn);
      const data = list.data as { current: string; releases: { id: string; runId: string }[] };
      expect(data.current).toBe(ids[5]);
      expect(data.releases.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 5));
      expect(data.releases[0]).toMatchObject({ runId: 'run-5', actor: 'ops' });

      expect((await run(stackRelease, { action: 'restore', projectDir: dir }, conn)).message).toBe(`restored release ${ids[4]}`);
      expect(await readFile(join(dir, 'compose.yml'), 'utf8')).toBe('v5\n');
      expect(await readFile(join(dir, 'data', 'db'), 'utf8')).toBe('rows\n');
      expect((await stat(join(dir, 'data', 'db'))).ino).toBe(inode);
    }));

  it('never writes through a link planted in the project directory', () =>
    withLocal(async (conn, dir) => {
      await mkdir(join(dir, 'conf'));
      await writeFile(join(dir, 'conf', 'app.conf'), 'v1\n');
      await run(stackRelease, { action: 'record', projectDir: dir, id: ids[0], files: ['conf/app.conf'] }, conn);
      await mkdir(join(dir, 'elsewhere'));
      await rm(join(dir, 'conf'), { recursive: true });
      await symlink(join(dir, 'elsewhere'), join(dir, 'conf'));
      const o = await run(stackRelease, { action: 'restore', projectDir: dir, to: 'current' }, conn);
      expect(o).toMatchObject({ status: 'failed', message: expect.stringContaining('conf is a symbolic link: not followed') });
      expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    }));

  it('a rescue after a first deploy has nothing to restore: skipped, not failed', () =>
    withLocal(async (conn, dir) => {
      const o = await run(stackRelease, { action: 'restore', projectDir: dir, to: 'current', missingOk: true }, conn);
      expect(o.status).toBe('skipped');
      expect((await run(stackRelease, { action: 'restore', projectDir: dir }, conn)).status).toBe('failed');
    }));
});
