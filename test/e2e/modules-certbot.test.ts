import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certbot } from '../../modules/certbot.js';
import { pebbleRootFile } from '../lab/plugins/pebble.js';
import { startModulesLab, type ModulesLab } from './modules-lab.js';

const DOMAIN = 'shop.lab.test';
let t: ModulesLab;
let issue: Record<string, unknown>;

beforeAll(async () => {
  t = await startModulesLab(2, { only: ['nginx', 'pebble'] });
  await t.pointDomain(DOMAIN, 'h01');
  // The playbook's view: the ACME server comes from inventory variables, not from lab paths.
  const { acme_directory: server, acme_ca_bundle: caBundle, acme_dns_server: dnsServer } = t.host('h01').vars;
  issue = { action: 'issue', domain: DOMAIN, email: 'ops@example.test', server, caBundle, dnsServer };
});

afterAll(async () => {
  await t?.close();
});

describe('certbot against Pebble inside a lab host', () => {
  it('in check mode reports changed and asks Pebble for nothing', async () => {
    const r = await t.run('h02', certbot, issue, { check: true });
    expect(r.status).toBe('changed');
    expect((await t.sh('h02', 'ls /etc/letsencrypt/live 2>/dev/null')).stdout.trim()).toBe('');
  });

  it('issues a real certificate over HTTP-01, then reports ok', async () => {
    const first = await t.run('h01', certbot, issue);
    expect(first.status, first.message).toBe('changed');
    expect(first.message).toMatch(/Pebble/);
    const second = await t.run('h01', certbot, issue);
    expect(second.status, second.message).toBe('ok');
  });

  it('status reports issuer and expiry read from the certificate file', async () => {
    const r = await t.run('h01', certbot, { action: 'status', domain: DOMAIN });
    expect(r.status).toBe('ok');
    const file = `${t.lab.host('h01').root}/etc/letsencrypt/live/${DOMAIN}/cert.pem`;
    const fromFile = (await $({ quiet: true })`openssl x509 -noout -issuer -enddate -in ${file}`).stdout;
    const notAfter = new Date(/notAfter=(.*)/.exec(fromFile)![1]!).toISOString();
    expect(r.data).toMatchObject({ present: true, notAfter, sans: [DOMAIN] });
    expect(r.data?.issuer).toMatch(/Pebble Intermediate CA/);
    expect(fromFile).toContain(String(r.data?.issuer));
  });

  it('NGINX serves the certificate and it verifies against Pebble’s root', async () => {
    const live = `/etc/letsencrypt/live/${DOMAIN}`;
    const vhost = `server {\n\tlisten 443 ssl;\n\tserver_name ${DOMAIN};\n\tssl_certificate ${live}/fullchain.pem;\n\tssl_certificate_key ${live}/privkey.pem;\n\troot /var/www/html;\n}\n`;
    await t.put('h01', '/etc/nginx/conf.d/shop-tls.conf', vhost);
    const reload = await t.sh('h01', 'nginx -t 2>&1 && nginx -s reload');
    expect(reload.code, reload.stdout).toBe(0);
    const root = pebbleRootFile(t.lab.layout.dir);
    const r = await t.curl(DOMAIN, [
      '--cacert',
      root,
      '--retry',
      '3',
      '--retry-all-errors',
      '--retry-delay',
      '0',
      `https://${DOMAIN}/`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('nginx on h01\n');
  });
});
