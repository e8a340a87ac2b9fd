import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyError } from '../../../runner/errors.js';
import { fingerprint, hostFieldMatches, knownHostName, parseKnownHosts } from '../../../runner/connection/known-hosts/parse.js';
import { KnownHosts, verifyHostKey } from '../../../runner/connection/known-hosts/verifier.js';

const keyBlob = () => {
  const pub = ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1]!;
  return Buffer.from(pub, 'base64');
};
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('known_hosts host fields', () => {
  it('name port 22 plainly and other ports as [host]:port', () => {
    expect(knownHostName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it.each([
    ['10.0.0.1', '10.0.0.1', true],
    ['web,10.0.0.1', '10.0.0.1', true],
    ['10.0.0.1', '[10.0.0.1]:2222', false],
    ['[10.0.0.1]:2222', '[10.0.0.1]:2222', true],
    ['10.0.0.*', '10.0.0.7', true],
    ['10.0.0.?', '10.0.0.17', false],
    ['10.0.0.*,!10.0.0.7', '10.0.0.7', false],
    ['WEB.example', 'web.example', true],
  ])('%s matches %s: %s', (field, name, expected) => {
    expect(hostFieldMatches(field, name)).toBe(expected);
  });

  it('match hashed entries by HMAC-SHA1 of the name, port form included', () => {
    expect(hostFieldMatches(hashed('10.0.0.1'), '10.0.0.1')).toBe(true);
    expect(hostFieldMatches(hashed('[10.0.0.1]:2222'), '[10.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches(hashed('10.0.0.1'), '10.0.0.2')).toBe(false);
  });

  it('skip comments and blank lines, keep markers and line numbers', () => {
    const entries = parseKnownHosts('# c\n\nh1 ssh-ed25519 AAAA\n@revoked h2 ssh-rsa BBBB comment\n');
    expect(entries).toEqual([
      { hosts: 'h1', keyType: 'ssh-ed25519', key: 'AAAA', line: 3 },
      { marker: '@revoked', hosts: 'h2', keyType: 'ssh-rsa', key: 'BBBB', line: 4 },
    ]);
  });
});

describe('verifyHostKey', () => {
  let dir: string;
  const target = { name: 'web1', address: '10.0.0.1', port: 22 };
  beforeAll(async () => {
    dir = await mkdtemp(`${tmpdir()}/vsa-kh-`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a known key, plain or hashed', async () => {
    const k = keyBlob();
    const file = `${dir}/plain`;
    await writeFile(file, `${hashed('10.0.0.1')} ssh-ed25519 ${k.toString('base64')}\n`);
    await expect(verifyHostKey(await KnownHosts.load(file), target, k, 'strict')).resolves.toBeUndefined();
  });

  it('refuses an unknown host, naming it and the offered fingerprint', async () => {
    const k = keyBlob();
    const p = verifyHostKey(await KnownHosts.load(`${dir}/missing`), target, k, 'strict');
    await expect(p).rejects.toThrow(HostKeyError);
    await expect(p).rejects.toThrow(`web1: host key for 10.0.0.1 is not in ${dir}/missing (offered ssh-ed25519 ${fingerprint(k)})`);
  });

  it('records an unknown host under accept-new and knows it afterwards', async () => {
    const k = keyBlob();
    const file = `${dir}/sub/new`;
    await verifyHostKey(await KnownHosts.load(file), { ...target, port: 2200 }, k, 'accept-new');
    expect(await readFile(file, 'utf8')).toBe(`[10.0.0.1]:2200 ssh-ed25519 ${k.toString('base64')}\n`);
    await expect(verifyHostKey(await KnownHosts.load(file), { ...target, port: 2200 }, k, 'strict')).resolves.toBeUndefined();
  });

  it('refuses a changed key even under accept-new, with both fingerprints', async () => {
    const old = keyBlob();
    const now = keyBlob();
    const file = `${dir}/changed`;
    await writeFile(file, `# fleet\n10.0.0.1 ssh-ed25519 ${old.toString('base64')}\n`);
    const p = verifyHostKey(await KnownHosts.load(file), target, now, 'accept-new');
    await expect(p).rejects.toThrow(HostKeyError);
    await expect(p).rejects.toThrow(
      `HOST KEY CHANGED for 10.0.0.1: known ssh-ed25519 ${fingerprint(old)} (${file}:2), offered ssh-ed25519 ${fingerprint(now)}`,
    );
    expect(await readFile(file, 'utf8')).not.toContain(now.toString('base64'));
  });

  it('refuses a revoked key', async () => {
    const k = keyBlob();
    const file = `${dir}/revoked`;
    await writeFile(file, `@revoked * ssh-ed25519 ${k.toString('base64')}\n10.0.0.1 ssh-ed25519 ${k.toString('base64')}\n`);
    await expect(verifyHostKey(await KnownHosts.load(file), target, k, 'strict')).rejects.toThrow(/@revoked/);
  });

  it('prints fingerprints like ssh-keygen -l', () => {
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIJlgbgrkShWZ1laYdpisMp+GEiE17THYqX1A828YCCre', 'base64');
    expect(fingerprint(blob)).toBe('SHA256:0YhRzzqY2m1Q9i5SsZH6/Nj7rhnKYSD8BFS0I8/z3uk');
  });
});
