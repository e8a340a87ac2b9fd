import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { cron, cronEntry, editCron } from '../../../modules/cron.js';
import { NASTY, planFrom, run, withLocal } from './run-module-helper.js';

const params = (p: Record<string, unknown>) =>
  cron.params.parse({ name: 'renew', job: '/usr/local/bin/renew', ...p });

describe('cron: decisions', () => {
  it('formats entries for crontabs and cron.d files', () => {
    expect(cronEntry(params({ minute: '17', hour: '3' }))).toEqual([
      '# VSA: renew',
      '17 3 * * * /usr/local/bin/renew',
    ]);
    expect(cronEntry(params({ special: '@daily', file: 'vsa' }))).toEqual([
      '# VSA: renew',
      '@daily root /usr/local/bin/renew',
    ]);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['', {}, '# VSA: renew\n* * * * * /usr/local/bin/renew\n'],
    [
      'MAILTO=x\n0 1 * * * other\n',
      { hour: '3', minute: '0' },
      'MAILTO=x\n0 1 * * * other\n# VSA: renew\n0 3 * * * /usr/local/bin/renew\n',
    ],
    [
      'a\n# VSA: renew\n0 3 * * * old\nb\n',
      { hour: '3', minute: '0' },
      'a\n# VSA: renew\n0 3 * * * /usr/local/bin/renew\nb\n',
    ],
    ['# VSA: renew\n* * * * * /usr/local/bin/renew\n', {}, '# VSA: renew\n* * * * * /usr/local/bin/renew\n'],
    ['a\n# VSA: renew\n* * * * * x\nb\n', { state: 'absent' }, 'a\nb\n'],
    ['a\n', { state: 'absent' }, 'a\n'],
  ];
  it.each(cases)('%j %j → %j', (text, p, expected) => expect(editCron(text, params(p))).toBe(expected));

  it('reads and writes the crontab with argv-quoted user and content in a heredoc', async () => {
    const p = { name: 'x', job: 'echo secret', user: 'www-data' };
    expect(toShell(cron.read!(cron.params.parse(p), {} as never)!.command)).toBe('crontab -u www-data -l');
    const plan = await planFrom(cron, p, { code: 1, stderr: 'no crontab for www-data\n' });
    expect(toShell(plan.commands[0]!)).toMatch(/^base64 -d <<'VSA_EOF_\w+' \| crontab -u www-data -\n/);
    expect(toShell(plan.commands[0]!)).not.toContain('secret');
    await expect(planFrom(cron, p, { code: 127, stderr: 'crontab: not found' })).rejects.toThrow(
      /crontab of www-data \(exit 127\)/,
    );
  });

  it('rejects fields with spaces, names with newlines, dotted cron.d files', () => {
    expect(cron.params.safeParse({ name: 'x', job: 'y', minute: '* *' }).success).toBe(false);
    expect(cron.params.safeParse({ name: 'x\ny', job: 'y' }).success).toBe(false);
    expect(cron.params.safeParse({ name: 'x', job: 'y', file: 'a.b' }).success).toBe(false);
  });
});

/** A stand-in `crontab` keeping the table in a file, so the real user crontab is never touched. */
const fakeCrontab = async (dir: string) => {
  await mkdir(join(dir, 'bin'));
  await writeFile(
    join(dir, 'bin', 'crontab'),
    `#!/bin/sh\nf=${join(dir, 'table')}\ncase "$1" in\n-l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for me" >&2; exit 1; fi ;;\n-) cat > "$f" ;;\n*) exit 2 ;;\nesac\n`,
  );
  await chmod(join(dir, 'bin', 'crontab'), 0o755);
};

describe('cron on a real host', () => {
  it('user crontab: changed, ok, check writes nothing, diff; other entries kept', () =>
    withLocal(
      async (conn, dir) => {
        await fakeCrontab(dir);
        await writeFile(join(dir, 'table'), 'MAILTO=""\n5 * * * * keep-me\n');
        const p = { name: NASTY, job: `echo ${NASTY} >/dev/null`, special: '@daily' };
        const check = await run(cron, p, conn, { check: true, diff: true });
        expect(check.status).toBe('changed');
        expect(check.diff).toContain(`+# VSA: ${NASTY}\n+@daily echo`);
        expect(await readFile(join(dir, 'table'), 'utf8')).toBe('MAILTO=""\n5 * * * * keep-me\n');
        expect((await run(cron, p, conn)).status).toBe('changed');
        expect(await readFile(join(dir, 'table'), 'utf8')).toBe(
          `MAILTO=""\n5 * * * * keep-me\n# VSA: ${NASTY}\n@daily echo ${NASTY} >/dev/null\n`,
        );
        expect((await run(cron, p, conn)).status).toBe('ok');
        expect((await run(cron, { ...p, state: 'absent' }, conn)).status).toBe('changed');
        expect(await readFile(join(dir, 'table'), 'utf8')).toBe('MAILTO=""\n5 * * * * keep-me\n');
        expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
      },
      (dir) => ({ PATH: `${join(dir, 'bin')}:${process.env.PATH}` }),
    ));

  it('cron.d file: created 0644, then ok, removed when its last entry goes', () =>
    withLocal(async (conn, dir) => {
      const p = {
        name: 'renew',
        job: 'vsa cert renew',
        hour: '4',
        minute: '12',
        file: 'vsa-renew',
        cronDir: dir,
      };
      expect((await run(cron, p, conn)).status).toBe('changed');
      const f = join(dir, 'vsa-renew');
      expect(await readFile(f, 'utf8')).toBe('# VSA: renew\n12 4 * * * root vsa cert renew\n');
      expect((await stat(f)).mode & 0o777).toBe(0o644);
      expect((await run(cron, p, conn)).status).toBe('ok');
      expect((await run(cron, { ...p, state: 'absent' }, conn)).status).toBe('changed');
      expect(existsSync(f)).toBe(false);
      expect((await run(cron, { ...p, state: 'absent' }, conn)).status).toBe('ok');
    }));
});
