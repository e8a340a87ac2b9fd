import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { toShell } from '../../../runner/shell/command.js';
import { dockerFact } from '../../../modules/facts/docker.js';
import { nginxFact } from '../../../modules/facts/nginx.js';
import { parseServedCerts, servedCerts, servedCertsScript } from '../../../modules/served-certs.js';
import { planFrom } from './run-module-helper.js';

const NOW = Date.UTC(2026, 11, 3);
/** What the probe prints for one name: `openssl x509 -serial -enddate` on disk, then the served one. */
const block = (name: string, disk: string, served?: string, match = true) =>
  [
    `@@vsa-served ${name}`,
    `serial=${disk}`,
    'notAfter=Jan  4 11:08:50 2027 GMT',
    ...(served
      ? [`served.serial=${served}`, `served.Hostname ${name} does ${match ? '' : 'NOT '}match certificate`]
      : []),
  ].join('\n');

function facts() {
  const c = new FactCache(new FakeConnection('h1'), () => ({}));
  c.store(nginxFact, { bin: '/usr/sbin/nginx', version: '1.22.1', conf: '/etc/nginx/nginx.conf', confDir: '/etc/nginx/conf.d', systemd: false });
  return c;
}

describe('served_certs: what NGINX serves against what is on disk', () => {
  it('the probe reads each live certificate and does one handshake per SNI from the host itself', () => {
    const s = servedCertsScript({ configDir: '/etc/letsencrypt', domain: 'shop.example.com', connect: '127.0.0.1:443' });
    expect(s).toContain('for n in shop.example.com; do');
    expect(s).toContain('openssl x509 -noout -serial -enddate -in "$live/$n/cert.pem"');
    expect(s).toContain('timeout 10 openssl s_client -servername "$n" -connect 127.0.0.1:443 </dev/null');
    expect(s).toContain('openssl x509 -noout -serial -checkhost "$n"');
  });

  it('parses serial, expiry, days left; reload pending only where the served one is another of the same name', () => {
    const out = [
      block('a.test', 'AA', 'AA'),
      block('b.test', 'BB2', 'BB1'),
      block('c.test', 'CC'),
      block('d.test', 'DD', 'XX', false),
      '@@vsa-served gone.test\nabsent',
    ].join('\n');
    const { certs, errors } = parseServedCerts(out, NOW);
    expect(errors).toEqual([]);
    expect(certs.map((c) => [c.name, c.servedSerial, c.reloadPending])).toEqual([
      ['a.test', 'AA', false],
      ['b.test', 'BB1', true],
      ['c.test', null, false],
      ['d.test', null, false],
    ]);
    expect(certs[0]).toMatchObject({ serial: 'AA', notAfter: '2027-01-04T11:08:50.000Z', daysLeft: 32 });
  });

  it('with reload, a pending certificate reloads NGINX (nginx -t first); without one, nothing runs', async () => {
    const pending = await planFrom(servedCerts, { reload: true }, { stdout: block('b.test', 'B2', 'B1') }, { facts: facts() });
    expect(pending.commands.map(toShell)).toEqual(['/usr/sbin/nginx -t', '/usr/sbin/nginx -s reload']);
    expect(pending.message).toBe('reloaded nginx to serve the certificates on disk of b.test');
    const same = await planFrom(servedCerts, { reload: true }, { stdout: block('b.test', 'B2', 'B2') }, { facts: facts() });
    expect(same.commands).toEqual([]);
    expect(same.message).toMatch(/^b\.test: serial B2, expires 2027-01-04 \(\d+ days\), served$/);
  });

  it('with the proxy container, the handshake is still the host\'s (its published port) and the reload goes through the engine', async () => {
    const f = facts();
    f.store(dockerFact, { cli: 'podman', engine: 'podman', version: '4.3.1' });
    const params = { reload: true, container: 'reverse-proxy-nginx' };
    const pending = await planFrom(servedCerts, params, { stdout: block('b.test', 'B2', 'B1') }, { facts: f });
    expect(pending.commands.map(toShell)).toEqual([
      'podman exec reverse-proxy-nginx nginx -t',
      'podman exec reverse-proxy-nginx nginx -s reload',
    ]);
    expect(servedCertsScript(servedCerts.params.parse(params))).toContain('-connect 127.0.0.1:443 </dev/null');
    f.store(dockerFact, { cli: null, engine: null, version: '' });
    const none = await planFrom(servedCerts, params, { stdout: block('b.test', 'B2', 'B1') }, { facts: f });
    expect(none.fail).toMatch(/no container engine on this host to reach NGINX in reverse-proxy-nginx/);
  });

  it('status shows reload pending and never reloads; --warn-days fails on few days left or a pending reload', async () => {
    const status = await planFrom(servedCerts, {}, { stdout: block('b.test', 'B2', 'B1') });
    expect(status.commands).toEqual([]);
    expect(status.message).toMatch(/^b\.test: serial B2, expires 2027-01-04 \(\d+ days\), reload pending \(serving B1\)$/);
    const warn = await planFrom(servedCerts, { warnDays: 10 }, { stdout: block('b.test', 'B2', 'B1') });
    expect(warn.fail).toMatch(/^1 certificate\(s\) need attention:\nb\.test: .*reload pending/);
    const fine = await planFrom(servedCerts, { warnDays: 10 }, { stdout: block('a.test', 'A', 'A') });
    expect(fine.fail).toBeUndefined();
    const soon = await planFrom(servedCerts, { warnDays: 100_000 }, { stdout: block('a.test', 'A', 'A') });
    expect(soon.fail).toMatch(/^1 certificate\(s\) need attention:\na\.test: serial A/);
  });
});
