import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockInFile, editBlock } from '../../../modules/blockinfile.js';
import { editLine, lineInFile } from '../../../modules/lineinfile.js';
import { NASTY, planFrom, run, withLocal } from './run-module-helper.js';

const P = { path: '/etc/x' };
const line = (text: string, params: Record<string, unknown>) =>
  editLine(text, lineInFile.params.parse({ ...P, ...params }));
const block = (text: string, params: Record<string, unknown>) =>
  editBlock(text, blockInFile.params.parse({ ...P, ...params }));

describe('lineinfile: edits', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a\nb\n', { line: 'c' }, 'a\nb\nc\n'],
    ['a\nb', { line: 'c' }, 'a\nb\nc\n'],
    ['a\nc\nb\n', { line: 'c' }, 'a\nc\nb\n'],
    ['', { line: 'c' }, 'c\n'],
    ['port=1\nx\nport=2\n', { line: 'port=3', regexp: '^port=' }, 'port=1\nx\nport=3\n'],
    ['port=3\n', { line: 'port=3', regexp: '^port=' }, 'port=3\n'],
    ['a\n', { line: 'port=3', regexp: '^port=' }, 'a\nport=3\n'],
    ['a\nb\n', { line: 'c', insertAfter: 'BOF' }, 'c\na\nb\n'],
    ['a\nb\na\n', { line: 'c', insertAfter: '^a' }, 'a\nb\na\nc\n'],
    ['a\nb\n', { line: 'c', insertBefore: '^b' }, 'a\nc\nb\n'],
    ['a\nb\n', { line: 'c', insertBefore: '^zz' }, 'a\nb\nc\n'],
    ['a\nb\na\n', { line: 'a', state: 'absent' }, 'b\n'],
    ['a1\nb\na2\n', { regexp: '^a', state: 'absent' }, 'b\n'],
    ['b', { regexp: '^a', state: 'absent' }, 'b'],
  ];
  it.each(cases)('%j %j → %j', (text, params, expected) => expect(line(text, params)).toBe(expected));

  it('rejects a bad regex, a multi-line line, and present without line', () => {
    expect(lineInFile.params.safeParse({ ...P, line: 'x', regexp: '(' }).success).toBe(false);
    expect(lineInFile.params.safeParse({ ...P, line: 'x\ny' }).success).toBe(false);
    expect(lineInFile.params.safeParse({ ...P }).success).toBe(false);
  });

  it('plans: absent file fails without create, ok when absent wanted', async () => {
    expect((await planFrom(lineInFile, { ...P, line: 'x' }, { stdout: 'exists=0\n' })).fail).toMatch(
      /does not exist/,
    );
    expect(
      (await planFrom(lineInFile, { ...P, line: 'x', state: 'absent' }, { stdout: 'exists=0\n' })).commands,
    ).toEqual([]);
    expect(
      (await planFrom(lineInFile, { ...P, line: 'x', create: true }, { stdout: 'exists=0\n' })).commands,
    ).toHaveLength(1);
  });
});

describe('blockinfile: edits', () => {
  const B = '# BEGIN VSA MANAGED BLOCK auth';
  const E = '# END VSA MANAGED BLOCK auth';
  const cases: [string, Record<string, unknown>, string][] = [
    ['a\n', { name: 'auth', block: 'x\ny\n' }, `a\n${B}\nx\ny\n${E}\n`],
    [`a\n${B}\nold\n${E}\nz\n`, { name: 'auth', block: 'x' }, `a\n${B}\nx\n${E}\nz\n`],
    [`a\n${B}\nx\n${E}\n`, { name: 'auth', block: 'x' }, `a\n${B}\nx\n${E}\n`],
    [`a\n${B}\nx\n${E}\nz\n`, { name: 'auth', state: 'absent' }, 'a\nz\n'],
    [`a\n${B}\nx\n${E}\n`, { name: 'auth', block: '' }, 'a\n'],
    ['a\n', { name: 'auth', state: 'absent' }, 'a\n'],
    ['a\nb\n', { name: 'auth', block: 'x', insertBefore: 'BOF' }, `${B}\nx\n${E}\na\nb\n`],
    ['a\n', { block: 'x', marker: '// {mark} ours' }, 'a\n// BEGIN ours\nx\n// END ours\n'],
  ];
  it.each(cases)('%j %j → %j', (text, params, expected) => expect(block(text, params)).toBe(expected));
});

describe('line edits on a real host', () => {
  it('lineinfile: changed, ok, check writes nothing, diff is real; owner/mode kept', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, NASTY);
      await writeFile(f, 'PermitRootLogin yes\nX11Forwarding no\n', { mode: 0o600 });
      const p = { path: f, line: 'PermitRootLogin no', regexp: '^#?PermitRootLogin' };
      const check = await run(lineInFile, p, conn, { check: true, diff: true });
      expect(check.status).toBe('changed');
      expect(check.diff).toContain('-PermitRootLogin yes\n+PermitRootLogin no\n');
      expect(await readFile(f, 'utf8')).toBe('PermitRootLogin yes\nX11Forwarding no\n');
      expect((await run(lineInFile, p, conn)).status).toBe('changed');
      expect(await readFile(f, 'utf8')).toBe('PermitRootLogin no\nX11Forwarding no\n');
      expect((await run(lineInFile, p, conn)).status).toBe('ok');
      expect(existsSync('PWNED') || existsSync(join(dir, 'PWNED'))).toBe(false);
    }));

  it('blockinfile: creates the file, then ok, then removes the block', () =>
    withLocal(async (conn, dir) => {
      const f = join(dir, 'conf');
      const p = {
        path: f,
        name: 'auth',
        block: 'auth_basic "x";\nauth_basic_user_file \'/a b\';\n',
        create: true,
        mode: '0640',
      };
      expect((await run(blockInFile, p, conn)).status).toBe('changed');
      expect(await readFile(f, 'utf8')).toBe(
        '# BEGIN VSA MANAGED BLOCK auth\nauth_basic "x";\nauth_basic_user_file \'/a b\';\n# END VSA MANAGED BLOCK auth\n',
      );
      expect((await run(blockInFile, p, conn)).status).toBe('ok');
      const gone = await run(blockInFile, { ...p, state: 'absent' }, conn, { diff: true });
      expect(gone.status).toBe('changed');
      expect(gone.diff).toContain('-# BEGIN VSA MANAGED BLOCK auth');
      expect(await readFile(f, 'utf8')).toBe('');
    }));
});
