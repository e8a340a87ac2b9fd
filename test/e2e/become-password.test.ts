import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterArgv } from '../lab/host-fs.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { auditLines, ensureBuilt, onHost, resultsOf, said, tempHome, vsa, type VsaResult } from './faults-support/vsa.js';

const q = $({ quiet: true });
const WHOAMI = 'test/e2e/playbooks/whoami.ts';
const OPS_UID = 4243;
/** ops's own password, which its sudo asks for; and root's, which su asks for. */
const OPS_PW = 'ops sudo pw 9f3e';
const ROOT_PW = 'root su pw 51c2';

/**
 * A login user `ops` on h01 whose sudo needs its password (member of `sudo`, Debian's sudoers), and
 * a root password for su: h01 gets its own /etc/passwd, /etc/group and /etc/shadow. vsa logs in as
 * ops and becomes root (or another user) through sudo or su, fed the password on the channel.
 */
describe.skipIf(!canRunLab)('become with a password, on a lab host', () => {
  const lab = useLab({ hosts: 1 });
  let home: { dir: string; remove(): Promise<void> };
  const etc = () => join(lab().layout.dir, 'become-etc');
  const inHost = (argv: string[]) => q`${[...enterArgv(lab().host('h01')), ...argv]}`;
  const hash = async (pw: string) => (await q`openssl passwd -6 ${pw}`).stdout.trim();

  beforeAll(async () => {
    home = await tempHome('become');
    await ensureBuilt();
    await mkdir(etc(), { recursive: true });
    await writeFile(join(etc(), 'passwd'), `${await readFile('/etc/passwd', 'utf8')}ops:x:${OPS_UID}:${OPS_UID}:ops:/srv/ops:/bin/sh\n`);
    const groups = (await readFile('/etc/group', 'utf8')).replace(/^sudo:x:(\d+):(.*)$/m, (_, gid: string, members: string) => `sudo:x:${gid}:${members ? `${members},` : ''}ops`);
    await writeFile(join(etc(), 'group'), `${groups}ops:x:${OPS_UID}:\n`);
    const shadow = (await readFile('/etc/shadow', 'utf8')).replace(/^root:[^:]*:/m, `root:${await hash(ROOT_PW)}:`);
    await writeFile(join(etc(), 'shadow'), `${shadow}ops:${await hash(OPS_PW)}:20000:0:99999:7:::\n`, { mode: 0o640 });
    const opsHome = onHost(lab(), 'h01', '/srv/ops');
    await mkdir(`${opsHome}/.ssh`, { recursive: true });
    await writeFile(`${opsHome}/.ssh/authorized_keys`, await readFile(`${lab().layout.dir}/authorized_keys`));
    await q`chown -R ${OPS_UID}:${OPS_UID} ${opsHome}`;
    for (const f of ['passwd', 'group', 'shadow']) await inHost(['mount', '--bind', join(etc(), f), `/etc/${f}`]);
  });
  afterAll(async () => {
    for (const f of ['passwd', 'group', 'shadow']) await inHost(['umount', `/etc/${f}`]).catch(() => undefined);
    await rm(etc(), { recursive: true, force: true });
    await home?.remove();
  });

  /** The lab inventory with h01 logging in as ops, and `vars` for it. */
  const inventory = async (name: string, vars: Record<string, unknown> = {}) => {
    const inv = parse(await readFile(lab().inventoryFile, 'utf8')) as { all: { children: { lab: { hosts: Record<string, Record<string, unknown>> } } } };
    Object.assign(inv.all.children.lab.hosts.h01!, { ansible_user: 'ops', ...vars });
    const file = join(home.dir, `${name}.yml`);
    await writeFile(file, stringify(inv));
    return file;
  };
  const run = (inv: string, args: string[] = [], env: Record<string, string> = {}) => vsa(['run', WHOAMI, '-i', inv, '--json', ...args], home.dir, env);
  const who = (r: VsaResult) => (resultsOf(r.events).find((e) => e.task === 'who')?.data as { stdout?: string } | undefined)?.stdout?.trim();
  const leaked = async (r: VsaResult, pw: string) =>
    [r.stdout, r.stderr, JSON.stringify(await auditLines(home.dir)), await readFile(join(home.dir, 'vsa.db')).then((b) => b.toString('latin1'))].some((t) => t.includes(pw));

  it('sudo with the password from --become-password-file: the steps run as root, and the password is nowhere in the output, the audit log or the store', async () => {
    const pwFile = join(home.dir, 'become.pw');
    await writeFile(pwFile, `${OPS_PW}\n`, { mode: 0o600 });
    const r = await run(await inventory('sudo', { ansible_become: true }), ['--become-password-file', pwFile]);
    expect(r.code, said(r)).toBe(0);
    expect(who(r)).toBe('root');
    const written = await stat(onHost(lab(), 'h01', '/var/lib/vsa/become-check'));
    expect([written.uid, (written.mode & 0o777).toString(8)]).toEqual([0, '600']);
    expect(await leaked(r, OPS_PW)).toBe(false);
  });

  it('a later become step finds nothing of the password on its input, though sudo no longer reads it once its credentials are cached', async () => {
    const reversed = [...OPS_PW].reverse().join('');
    const r = await vsa(['run', 'test/e2e/playbooks/become-stdin.ts', '-i', await inventory('stdin', { ansible_become: true }), '--json'], home.dir, { VSA_BECOME_PASSWORD: OPS_PW });
    expect(r.code, said(r)).toBe(0);
    const out = (task: string) => (resultsOf(r.events).find((e) => e.task === task)?.data as { stdout?: string } | undefined)?.stdout;
    expect([out('first'), out('rev'), out('cat to a file')]).toEqual(['root\n', '', '0\n']);
    expect(await readFile(onHost(lab(), 'h01', '/var/lib/vsa/become-stdin'), 'utf8')).toBe('');
    expect(await leaked(r, reversed)).toBe(false);
  });

  it('sudo to another user (ansible_become_user), the password from $VSA_BECOME_PASSWORD', async () => {
    const r = await run(await inventory('other-user', { ansible_become: true, ansible_become_user: 'nobody' }), ['-e', 'write=false'], { VSA_BECOME_PASSWORD: OPS_PW });
    expect(r.code, said(r)).toBe(0);
    expect(who(r)).toBe('nobody');
  });

  it('without a password, or with a wrong one, the step fails naming the cause and the ways to give it', async () => {
    const inv = await inventory('none', { ansible_become: true });
    const none = await run(inv, ['-e', 'write=false']);
    expect(none.code, said(none)).toBe(2);
    expect(resultsOf(none.events).find((e) => e.status === 'failed')?.message).toMatch(
      /become needs a password, which sudo asked ops for .*--become-password-file FILE, \$VSA_BECOME_PASSWORD, -K \(a prompt\) or the inventory variable ansible_become_password/,
    );
    const wrong = await run(inv, ['-e', 'write=false'], { VSA_BECOME_PASSWORD: 'not it' });
    expect(wrong.code, said(wrong)).toBe(2);
    expect(resultsOf(wrong.events).find((e) => e.status === 'failed')?.message).toContain('become failed for ops: sudo refused the become password');
    expect(await leaked(wrong, 'not it')).toBe(false);
  });

  it("su with root's password from the inventory (ansible_become_method: su, ansible_become_password)", async () => {
    const r = await run(await inventory('su', { ansible_become: true, ansible_become_method: 'su', ansible_become_password: ROOT_PW }));
    expect(r.code, said(r)).toBe(0);
    expect(who(r)).toBe('root');
    expect(resultsOf(r.events).find((e) => e.task === 'who')?.data).toMatchObject({ stderr: '' });
    expect(await leaked(r, ROOT_PW)).toBe(false);
    const wrong = await run(await inventory('su-wrong', { ansible_become: true, ansible_become_method: 'su', ansible_become_password: 'nope nope' }), ['-e', 'write=false']);
    expect(wrong.code, said(wrong)).toBe(2);
    expect(resultsOf(wrong.events).find((e) => e.status === 'failed')?.message).toContain('become with su to root failed for ops: the become password was refused');
  });

  it('an unknown become method, and su to another user than root, are refused before anything connects', async () => {
    const r = await run(await inventory('doas', { ansible_become: true, ansible_become_method: 'doas' }));
    expect(r.code, said(r)).toBe(5);
    expect(r.stderr).toContain("ansible_become_method of host 'h01': vsa becomes with sudo or su");
    const su = await run(await inventory('su-app', { ansible_become: true, ansible_become_method: 'su', ansible_become_user: 'nobody' }));
    expect(su.code, said(su)).toBe(5);
    expect(su.stderr).toContain("ansible_become_method of host 'h01': su becomes root only in vsa");
    expect(su.events.some((e) => e.type === 'run:start')).toBe(false);
  });
});
