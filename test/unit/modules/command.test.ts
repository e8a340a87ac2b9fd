import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { command } from '../../../modules/command.js';
import { shell } from '../../../modules/shell.js';
import { NASTY, planFrom, run, withLocal } from './run-module-helper.js';

describe('command and shell: decisions', () => {
  it('builds a quoted argv in a subshell with chdir and env', async () => {
    const plan = await planFrom(command, { argv: ['echo', NASTY], chdir: '/srv/a b', env: { A: "it's" } });
    expect(toShell(plan.commands[0]!)).toBe(
      `(\ncd -- '/srv/a b'\nexport A='it'\\''s'\necho 'we ird'\\''$(touch PWNED)\`touch PWNED\`;|&<>*?"\\!#~ x'\n)`,
    );
  });

  it('creates/removes decide from the probe; no probe without them', async () => {
    expect(command.read!(command.params.parse({ argv: ['x'] }), {} as never)).toBeUndefined();
    const p = { argv: ['x'], creates: '/done' };
    expect((await planFrom(command, p, { stdout: 'creates=1\n' })).commands).toEqual([]);
    expect((await planFrom(command, p, { stdout: '' })).commands).toHaveLength(1);
    expect((await planFrom(command, { argv: ['x'], removes: '/f' }, { stdout: '' })).message).toBe(
      'not run: /f does not exist',
    );
  });

  it('check mode: skipped unless checkSafe', async () => {
    expect((await planFrom(shell, { script: 'x' }, {}, { check: true })).skip).toMatch(/check mode/);
    expect(
      (await planFrom(shell, { script: 'x', checkSafe: true }, {}, { check: true })).commands,
    ).toHaveLength(1);
    expect(shell.runInCheckMode!(shell.params.parse({ script: 'x', checkSafe: true }))).toBe(true);
  });

  it('rejects bad env names and relative paths', () => {
    expect(command.params.safeParse({ argv: ['x'], env: { 'A;rm': 'x' } }).success).toBe(false);
    expect(command.params.safeParse({ argv: ['x'], creates: 'rel' }).success).toBe(false);
    expect(command.params.safeParse({ argv: [] }).success).toBe(false);
  });
});

describe('command and shell on a real host', () => {
  it('command: argv words stay words; rc/stdout/stderr as data; creates makes it idempotent', () =>
    withLocal(async (conn, dir) => {
      const out = await run(command, { argv: ['printf', '%s|', NASTY, 'b c'], chdir: dir }, conn);
      expect(out).toMatchObject({ status: 'changed', data: { rc: 0, stdout: `${NASTY}|b c|` } });
      const marker = join(dir, 'done');
      const p = { argv: ['touch', marker], creates: marker };
      expect((await run(command, p, conn)).status).toBe('changed');
      expect((await run(command, p, conn)).status).toBe('ok');
      const fail = await run(command, { argv: ['ls', join(dir, 'missing')] }, conn);
      expect(fail.status).toBe('failed');
      expect(fail.message).toMatch(/missing/);
      expect(fail.data).toMatchObject({ rc: 2 });
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('shell: runs without set -e, with env and chdir; check mode writes nothing', () =>
    withLocal(async (conn, dir) => {
      await mkdir(join(dir, 'w'));
      const script = 'false\necho "$GREETING" > out\ncat; echo "after cat"\nexit 3';
      const check = await run(shell, { script, chdir: join(dir, 'w'), env: { GREETING: 'hi there' } }, conn, {
        check: true,
      });
      expect(check.status).toBe('skipped');
      expect(await readdir(join(dir, 'w'))).toEqual([]);
      const res = await run(shell, { script, chdir: join(dir, 'w'), env: { GREETING: 'hi there' } }, conn);
      expect(res).toMatchObject({ status: 'failed', data: { rc: 3, stdout: 'after cat\n' } });
      expect(existsSync(join(dir, 'w', 'out'))).toBe(true);
      const ok = await run(
        shell,
        { script: 'echo "$(pwd)"; ls', chdir: join(dir, 'w'), checkSafe: true },
        conn,
        { check: true },
      );
      expect(ok).toMatchObject({ status: 'changed', data: { rc: 0, stdout: `${join(dir, 'w')}\nout\n` } });
    }));
});
