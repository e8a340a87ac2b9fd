import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../runner/connection/local.js';
import { batch } from '../../../runner/module/batch.js';
import { argv, pipeContent, script } from '../../../runner/shell/command.js';
import { quote } from '../../../runner/shell/quote.js';

const conn = new LocalConnection('localhost');
afterAll(() => conn.close());

describe('ShellSession over a local sh', () => {
  it('returns stdout, stderr and exit code of each command, keeping trailing newlines exact', async () => {
    expect(await conn.exec(script('printf "a\\nb\\n"; echo err >&2; exit 7'))).toEqual({ code: 7, stdout: 'a\nb\n', stderr: 'err\n' });
    expect(await conn.exec(argv('printf', '%s', 'no newline'))).toEqual({ code: 0, stdout: 'no newline', stderr: '' });
  });
  it('survives a syntax error and `exit` in a script', async () => {
    const bad = await conn.exec(script('if then fi'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/syntax/i);
    expect((await conn.exec(argv('echo', 'still here'))).stdout).toBe('still here\n');
  });
  it('does not let a command read the session input', async () => {
    expect((await conn.exec(script('cat; echo done'))).stdout).toBe('done\n');
    expect((await conn.exec(argv('echo', 'next'))).stdout).toBe('next\n');
  });
  it('runs commands issued at once one after the other', async () => {
    const rs = await Promise.all([1, 2, 3].map((i) => conn.exec(argv('echo', String(i)))));
    expect(rs.map((r) => r.stdout)).toEqual(['1\n', '2\n', '3\n']);
  });
  it('keeps hostile values literal through quote and pipeContent', async () => {
    const evil = `$(touch /tmp/pwned) ; 'quoted' "dq" \`bt\` \n newline`;
    expect((await conn.exec(script(`printf %s ${quote(evil)}`))).stdout).toBe(evil);
    const bytes = Buffer.from([0, 1, 2, 255, 10, 39, 36]);
    const r = await conn.exec(script(pipeContent(bytes, 'od -An -tu1')));
    expect(r.stdout.trim().split(/\s+/).map(Number)).toEqual([...bytes]);
  });
  it('splits a batch of reads by part with each exit status', async () => {
    const b = batch([argv('echo', 'one'), script('echo two; echo e2 >&2; exit 3'), argv('printf', 'x')]);
    const parts = b.split(await conn.exec(b.command));
    expect(parts).toEqual([
      { stdout: 'one\n', stderr: '', code: 0 },
      { stdout: 'two\n', stderr: 'e2\n', code: 3 },
      { stdout: 'x', stderr: '', code: 0 },
    ]);
  });
  it('times out a hung command and keeps the connection usable', async () => {
    const c = new LocalConnection('t');
    await expect(c.exec(script('sleep 5'), { timeoutMs: 200 })).rejects.toThrow(/timed out after 200 ms/);
    expect((await c.exec(argv('echo', 'fresh'))).stdout).toBe('fresh\n');
    await c.close();
  });
});
