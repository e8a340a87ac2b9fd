import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { certbot, issueCommand, LETS_ENCRYPT } from '../../../modules/certbot.js';
import { parseCerts, parseOpensslDate } from '../../../modules/certbot-cert.js';
import { planFrom, run, withLocal } from './run-module-helper.js';

const NOW = Date.UTC(2026, 10, 25);
const cert = (name: string, end: string, sans: string[], fp = 'AA:BB') =>
  [
    `@@vsa-cert ${name}`,
    'issuer=C = US, O = Let\'s Encrypt, CN = R3',
    `notAfter=${end}`,
    'X509v3 Subject Alternative Name: ',
    `    ${sans.map((s) => `DNS:${s}`).join(', ')}`,
    `sha256 Fingerprint=${fp}`,
  ].join('\n');

// The preflight (DNS, then HTTP) has its own tests below; here it would ask a real DNS server.
const issue = { action: 'issue', domain: 'shop.example.com', email: 'ops@example.com', www: true, preflight: false };

describe('certbot: parsing what openssl prints', () => {
  it('reads issuer, not-after, days left, SANs and fingerprint; absent and unreadable apart', () => {
    const out = [cert('shop.example.com', 'Jan  4 11:08:50 2027 GMT', ['shop.example.com', 'www.shop.example.com']), '@@vsa-cert gone', 'absent', '@@vsa-cert bad', 'error=cannot read x'].join('\n');
    const m = parseCerts(out, NOW);
    expect(m.get('shop.example.com')).toEqual({
      name: 'shop.example.com',
      issuer: "C = US, O = Let's Encrypt, CN = R3",
      notAfter: '2027-01-04T11:08:50.000Z',
      daysLeft: 40,
      sans: ['shop.example.com', 'www.shop.example.com'],
      fingerprint: 'AA:BB',
    });
    expect(m.get('gone')).toBeNull();
    expect(m.get('bad')).toEqual({ error: 'cannot read x' });
    expect(parseOpensslDate('Feb 29 00:00:00 2028 GMT')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseOpensslDate('2028-02-29')).toBeUndefined();
  });
});

describe('certbot: decisions', () => {
  const valid = cert('shop.example.com', 'Jan  4 11:08:50 2099 GMT', ['shop.example.com', 'www.shop.example.com']);
  const due = cert('shop.example.com', 'Dec  1 00:00:00 2026 GMT', ['shop.example.com', 'www.shop.example.com']);
  it.each([
    ['absent → issue, keeping an unexpired one', '@@vsa-cert shop.example.com\nabsent\n', /--keep-until-expiring/, 'issue certificate'],
    ['names missing → expand', cert('shop.example.com', 'Jan  4 11:08:50 2099 GMT', ['shop.example.com']), /--keep-until-expiring/, 'add www.shop.example.com'],
    ['due → forced renewal', due, /--force-renewal/, 'renew ('],
  ])('%s', async (_, stdout, flag, msg) => {
    const plan = await planFrom(certbot, issue, { stdout });
    expect(plan.commands).toHaveLength(2);
    expect(toShell(plan.commands[0]!)).toMatch(flag);
    expect(plan.message).toContain(msg);
  });

  it('a valid certificate covering every name is ok, with its details as data', async () => {
    const plan = await planFrom(certbot, issue, { stdout: valid });
    expect(plan.commands).toEqual([]);
    expect(plan.data).toMatchObject({ issuer: "C = US, O = Let's Encrypt, CN = R3", sans: ['shop.example.com', 'www.shop.example.com'] });
  });

  it('builds the documented certonly command, with the CA bundle as env for a private ACME server', () => {
    const p = certbot.params.parse({ ...issue, server: 'https://198.18.0.1:14000/dir', caBundle: '/etc/vsa/pebble.pem' });
    expect(p.action === 'issue' && toShell(issueCommand(p, false))).toBe(
      'env REQUESTS_CA_BUNDLE=/etc/vsa/pebble.pem certbot certonly --webroot -w /var/www/html -d shop.example.com -d www.shop.example.com ' +
        '--cert-name shop.example.com --server https://198.18.0.1:14000/dir --agree-tos -m ops@example.com --non-interactive --keep-until-expiring',
    );
    const q = certbot.params.parse(issue);
    expect(q.action === 'issue' && q.server).toBe(LETS_ENCRYPT);
  });

  it('rejects domains that are not hostnames (metacharacters never reach a command)', () => {
    for (const domain of ["a.com; rm -rf /", '$(id).com', 'a b.com', '../etc', 'a.com\n-d evil.com']) {
      expect(certbot.params.safeParse({ ...issue, domain }).success).toBe(false);
    }
    expect(certbot.params.safeParse({ ...issue, domain: 'Shop.Example.COM' }).data).toMatchObject({ domain: 'shop.example.com' });
  });

  it('renew: nothing due is ok; a due certificate is renewed by name; status is read-only data', async () => {
    expect((await planFrom(certbot, { action: 'renew' }, { stdout: valid })).commands).toEqual([]);
    const plan = await planFrom(certbot, { action: 'renew' }, { stdout: `${valid}\n${due.replace('shop.example.com\n', 'old.example.com\n')}` });
    expect(toShell(plan.commands[0]!)).toContain("certbot renew --cert-name old.example.com --force-renewal --non-interactive || failed=\"$failed \"old.example.com");
    expect(toShell(plan.commands[0]!)).not.toContain('--cert-name shop.example.com');
    const status = await planFrom(certbot, { action: 'status', domain: 'shop.example.com' }, { stdout: valid });
    expect(status).toMatchObject({ commands: [], data: { present: true, sans: ['shop.example.com', 'www.shop.example.com'] } });
    expect((await planFrom(certbot, { action: 'renew', domain: 'x.example.com' }, { stdout: '@@vsa-cert x.example.com\nabsent' })).fail).toBe(
      'no certificate named x.example.com',
    );
  });
});

describe('certbot: real openssl through a local shell, certbot stood in by a script', () => {
  const stubPath = (dir: string) => ({ PATH: `${dir}/bin:${process.env.PATH}` });

  // The stand-in writes a real self-signed certificate where certbot would, for the names it is given.
  const fakeCertbot = (dir: string) => `#!/bin/sh
echo "$@" >> ${dir}/calls
cfg=${dir}/le; names=; name=
while [ $# -gt 0 ]; do case "$1" in -d) names="$names,DNS:$2"; shift;; --cert-name) name=$2; shift;; --config-dir) cfg=$2; shift;; esac; shift; done
mkdir -p "$cfg/live/$name"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$cfg/live/$name/privkey.pem" -out "$cfg/live/$name/cert.pem" -days 90 \\
  -subj "/CN=$name" -addext "subjectAltName=\${names#,}" 2>/dev/null
`;

  it('issues once, is ok the second time, writes nothing in check mode, and status reads the file', () =>
    withLocal(async (conn, dir) => {
      const bin = join(dir, 'bin');
      await mkdir(bin);
      await writeFile(join(bin, 'certbot'), fakeCertbot(dir));
      await chmod(join(bin, 'certbot'), 0o755);
      const params = { ...issue, configDir: join(dir, 'le') };

      const checked = await run(certbot, params, conn, { check: true });
      expect(checked.status).toBe('changed');
      expect(existsSync(join(dir, 'calls'))).toBe(false);

      const first = await run(certbot, params, conn);
      expect(first).toMatchObject({ status: 'changed', data: { renewed: ['shop.example.com'] } });
      expect(first.message).toContain('names shop.example.com, www.shop.example.com');
      const second = await run(certbot, params, conn);
      expect(second.status).toBe('ok');

      const status = await run(certbot, { action: 'status', configDir: join(dir, 'le') }, conn);
      expect(status.status).toBe('ok');
      const [c] = (status.data as { certificates: { issuer: string; daysLeft: number }[] }).certificates;
      expect(c).toMatchObject({ issuer: 'CN = shop.example.com', daysLeft: 89 });
    }, stubPath));

  it("fails when certbot succeeds but live/NAME still holds another site's certificate (a link planted there)", () =>
    withLocal(async (conn, dir) => {
      const bin = join(dir, 'bin');
      await mkdir(bin);
      // As certbot does for a live directory it has no renewal record of: the new lineage is NAME-0001.
      await writeFile(join(bin, 'certbot'), fakeCertbot(dir).replace('mkdir -p "$cfg/live/$name"', 'name=$name-0001; mkdir -p "$cfg/live/$name"'));
      await chmod(join(bin, 'certbot'), 0o755);
      const le = join(dir, 'le');
      await mkdir(join(le, 'live', 'other.example.com'), { recursive: true });
      const other = join(le, 'live', 'other.example.com');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(other, 'privkey.pem'), '-out', join(other, 'cert.pem'), '-days', '90', '-subj', '/CN=other.example.com', '-addext', 'subjectAltName=DNS:other.example.com'], { stdio: 'ignore' });
      await symlink(other, join(le, 'live', 'shop.example.com'));

      const r = await run(certbot, { ...issue, configDir: le }, conn);
      expect(r.status).toBe('failed');
      expect(r.message).toBe(
        `certbot ran, but ${le}/live/shop.example.com (what the vhost serves) holds names other.example.com, not shop.example.com, www.shop.example.com: remove it (certbot may have saved the new certificate as shop.example.com-0001) and provision again`,
      );
    }, stubPath));
});
