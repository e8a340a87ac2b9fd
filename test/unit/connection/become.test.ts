import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { becomeCommand, becomeSpec, checkBecome, needsBecome } from '../../../runner/connection/become.js';
import { ShellSession } from '../../../runner/connection/shell-session.js';
import { CommandError } from '../../../runner/errors.js';
import { quote } from '../../../runner/shell/quote.js';

const PW = 'pässwörd $(touch /tmp/x) \'q" `b`';

describe('the become command', () => {
  it('is sudo -n without a password, sudo -S with one on its input, su with the password on its input', () => {
    expect(becomeCommand({ method: 'sudo', user: 'root' }, '/tmp/.vsa-1/s1', 'ops')).toEqual({ command: "sudo -n sh -c 'sh /tmp/.vsa-1/s1 </dev/null'" });
    expect(becomeCommand({ method: 'sudo', user: 'root', password: PW }, '/tmp/.vsa-1/s1', 'ops')).toEqual({
      command: "sudo -S -p '' sh -c 'sh /tmp/.vsa-1/s1 </dev/null'",
      input: PW,
    });
    expect(becomeCommand({ method: 'su', user: 'root', password: PW }, '/f', 'ops')).toEqual({
      command: "LC_ALL=C su -s /bin/sh -c 'sh /f </dev/null' root",
      input: PW,
    });
  });

  it('puts the password in no command line', () => {
    for (const method of ['sudo', 'su'] as const) expect(becomeCommand({ method, user: 'root', password: PW }, '/f', 'ops').command).not.toContain('pässwörd');
  });

  it('reaches another user through root, who hands it the script on its input (the file stays private)', () => {
    const via = `runuser -u app -- sh -c 's=$(cat); eval "$s" </dev/null' < /f`;
    expect(becomeCommand({ method: 'sudo', user: 'app' }, '/f', 'root')).toEqual({ command: via });
    expect(becomeCommand({ method: 'sudo', user: 'app', password: PW }, '/f', 'ops')).toEqual({ command: `sudo -S -p '' sh -c ${quote(via)}`, input: PW });
  });

  it('changes user only when the login is not already that user', () => {
    expect(needsBecome({ method: 'sudo', user: 'root' }, 'root')).toBe(false);
    expect(needsBecome({ method: 'sudo', user: 'root' }, 'debian')).toBe(true);
    expect(needsBecome({ method: 'sudo', user: 'app' }, 'root')).toBe(true);
  });

  it("takes the inventory's password over the run's, and defaults to sudo to root", () => {
    expect(becomeSpec({}, 'run')).toEqual({ method: 'sudo', user: 'root', password: 'run' });
    expect(becomeSpec({ becomeMethod: 'su', becomeUser: 'app', becomePassword: 'inv' }, 'run')).toEqual({ method: 'su', user: 'app', password: 'inv' });
    expect(becomeSpec({})).toEqual({ method: 'sudo', user: 'root' });
  });
});

describe('a refused become', () => {
  const sudo = { method: 'sudo', user: 'root' } as const;
  const ok = { code: 0, stdout: 'x', stderr: '' };
  it('names the cause and the ways to give a password, never as the task failing', () => {
    const asked = () => checkBecome('h1', sudo, 'ops', { code: 1, stdout: '', stderr: 'sudo: a password is required\n' });
    expect(asked).toThrow(CommandError);
    expect(asked).toThrow(/become needs a password, which sudo asked ops for .*--become-password-file FILE, \$VSA_BECOME_PASSWORD, -K/);
    const wrong = () => checkBecome('h1', { ...sudo, password: 'bad' }, 'ops', { code: 1, stdout: '', stderr: 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n' });
    expect(wrong).toThrow(/become failed for ops: sudo refused the become password/);
    const su = () => checkBecome('h1', { method: 'su', user: 'root', password: 'bad' }, 'ops', { code: 1, stdout: '', stderr: 'Password: su: Authentication failure\n' });
    expect(su).toThrow(/become with su to root failed for ops: the become password was refused/);
  });
  it("leaves the task's own failure and output alone, su's prompt taken off", () => {
    expect(checkBecome('h1', sudo, 'ops', { code: 3, stdout: '', stderr: 'mkdir: cannot create\n' })).toEqual({ code: 3, stdout: '', stderr: 'mkdir: cannot create\n' });
    expect(checkBecome('h1', { method: 'su', user: 'root', password: 'p' }, 'ops', { ...ok, stderr: 'Password: warning\n' })).toEqual({ ...ok, stderr: 'warning\n' });
  });
});

describe('a wrapped step fed a password', () => {
  const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const session = new ShellSession('local', { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, kill: () => child.kill('SIGKILL') });
  afterAll(() => session.close());

  it('gives the wrapper the password on its input, the script nothing more, and no process sees it in its argv', async () => {
    let file = '';
    // Stands in for sudo -S: keeps the line it reads, lists every command line on the machine while it runs, then runs the script.
    const wrap = (f: string) => {
      file = f;
      return { command: `sh -c 'read -r pw; printf %s "$pw" > "$1.got"; cat /proc/[0-9]*/cmdline | tr "\\000" " "; echo; sh "$1"' wrapper ${f}`, input: PW };
    };
    const r = await session.run('cat; echo script ran', { wrap });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/script ran\n$/);
    expect(r.stdout).not.toContain('pässwörd');
    expect(readFileSync(`${file}.got`, 'utf8')).toBe(PW);
    rmSync(`${file}.got`);
    expect((await session.run('echo next')).stdout).toBe('next\n');
  });

  it('refuses a password with a line break, which would end the input early', async () => {
    await expect(session.run('true', { wrap: () => ({ command: 'sh', input: 'a\nb' }) })).rejects.toThrow('a become password cannot contain a line break');
    expect((await session.run('echo still')).stdout).toBe('still\n');
  });
});
