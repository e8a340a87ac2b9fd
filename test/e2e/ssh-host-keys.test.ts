import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../runner/connection/known-hosts/parse.js';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings, type SshDefaults } from '../../runner/connection/ssh/settings.js';
import { HostKeyError, UnreachableError } from '../../runner/errors.js';
import { argv } from '../../runner/shell/command.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';

describe.skipIf(!canRunLab)('host keys and unreachable hosts on the lab', () => {
  const lab = useLab({ hosts: 3 });
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(`${tmpdir()}/vsa-kh-`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const open = (name: string, defaults: SshDefaults) => openSsh(sshSettings(labInventoryHost(lab(), name), defaults));
  const blob = (name: string) => Buffer.from(lab().hostKey(name).split(' ')[1]!, 'base64');

  it('refuses a host whose key is not known, naming the offered fingerprint', async () => {
    const p = open('h01', { knownHostsFile: `${dir}/empty` });
    await expect(p).rejects.toThrow(HostKeyError);
    await expect(p).rejects.toThrow(`host key for ${lab().host('h01').address} is not in ${dir}/empty`);
    await expect(p).rejects.toThrow(fingerprint(blob('h01')));
  });

  it('records a new host with accept-new, then knows it strictly', async () => {
    const file = `${dir}/accept`;
    const c = await open('h01', { knownHostsFile: file, hostKeyPolicy: 'accept-new' });
    await c.close();
    expect(await readFile(file, 'utf8')).toBe(`${lab().host('h01').address} ${lab().hostKey('h01')}\n`);
    const again = await open('h01', { knownHostsFile: file, hostKeyPolicy: 'strict' });
    expect((await again.exec(argv('hostname'))).stdout).toBe('h01\n');
    await again.close();
  });

  it('refuses a changed key even with accept-new, naming host and both fingerprints', async () => {
    const file = `${dir}/changed`;
    const address = lab().host('h02').address;
    // What an attacker (here: h03's key) at h02's address would look like.
    await writeFile(file, `${address} ${lab().hostKey('h03')}\n`);
    const p = open('h02', { knownHostsFile: file, hostKeyPolicy: 'accept-new' });
    await expect(p).rejects.toThrow(HostKeyError);
    const message = await p.catch((e: Error) => e.message);
    expect(message).toContain(`h02: HOST KEY CHANGED for ${address}`);
    expect(message).toContain(`known ssh-ed25519 ${fingerprint(blob('h03'))}`);
    expect(message).toContain(`offered ssh-ed25519 ${fingerprint(blob('h02'))}`);
    expect(await readFile(file, 'utf8')).toBe(`${address} ${lab().hostKey('h03')}\n`);
  });

  it('reports a host whose sshd is stopped as unreachable, and reaches it again once started', async () => {
    await lab().stopSshd('h03');
    try {
      const p = open('h03', { knownHostsFile: lab().knownHostsFile });
      await expect(p).rejects.toThrow(UnreachableError);
      await expect(p).rejects.toThrow(`h03: connection refused by ${lab().host('h03').address}:22`);
    } finally {
      await lab().startSshd('h03');
    }
    const c = await open('h03', { knownHostsFile: lab().knownHostsFile });
    expect((await c.exec(argv('hostname'))).stdout).toBe('h03\n');
    await c.close();
  });

  it('names the key and methods tried when login fails', async () => {
    const other = `${dir}/other_key`;
    await writeFile(other, await readFile(`${lab().layout.dir}/hosts/h01/sshd/ssh_host_ed25519_key`), { mode: 0o600 });
    const host = { ...labInventoryHost(lab(), 'h01'), keyFile: other };
    const p = openSsh(sshSettings(host, { knownHostsFile: lab().knownHostsFile }), { env: {} });
    await expect(p).rejects.toThrow(`authentication as root at ${lab().host('h01').address}:22 failed (tried key ${other})`);
  });
});
