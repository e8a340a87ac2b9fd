import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../../dashboard/server/auth/guard.js';
import type { NginxPaths } from '../../../site/paths.js';
import { renderHttpContext, renderHttpsVhost, renderSecurityHeaders } from '../../../site/vhost.js';
import { freePort, hasNginx, nginxPrefix, startNginx } from '../modules/nginx-prefix-helper.js';
import { site } from '../playbooks/site-fixture.js';
import { ANONYMOUS_OUTCOMES, concrete, INDEX, outcome, spellings, startProbe, type Probe } from './guard-probe.js';

const DOMAIN = 'dashboard.example.com';

let probe: Probe;
let dir: string;
let nginxPort: number;
let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;

/**
 * The dashboard behind a real NGINX on loopback, configured by vsa's own templates exactly as
 * `site provision --domain dashboard.example.com --container dashboard --port 8700` writes them;
 * only `listen 443` is moved to a free loopback port, so the test needs no privileged port, and the
 * rate limit is raised. NGINX runs in the foreground as this test's child and is stopped by its pid.
 */
beforeAll(async () => {
  if (!hasNginx) throw new Error('nginx is needed for this test');
  probe = await startProbe();
  dir = mkdtempSync(join(tmpdir(), 'vsa-dashboard-nginx-'));
  const paths: NginxPaths = { snippets: join(dir, 'snippets'), webroot: join(dir, 'www'), certs: join(dir, 'live'), htpasswd: join(dir, 'htpasswd') };
  for (const d of [paths.snippets, paths.webroot, join(paths.certs, DOMAIN)]) mkdirSync(d, { recursive: true });
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${DOMAIN}`, '-keyout', join(paths.certs, DOMAIN, 'privkey.pem'), '-out', join(paths.certs, DOMAIN, 'fullchain.pem')],
    { stdio: 'ignore' },
  );
  writeFileSync(join(paths.snippets, 'security_headers.conf'), renderSecurityHeaders());
  // The vhost's rate limit (10 r/s) would answer most of this test's requests itself, with 429.
  const context = renderHttpContext();
  expect(context).toContain('rate=10r/s;');
  const { confDir, nginxArgs } = await nginxPrefix(dir, context.replace('rate=10r/s;', 'rate=100000r/s;'));
  nginxPort = await freePort();
  const vhost = renderHttpsVhost({ ...site, domain: DOMAIN, container: 'dashboard', port: 8700, www: false }, { url: `http://127.0.0.1:${probe.port}`, byName: false }, paths);
  expect(vhost).toContain('listen 443 ssl;');
  writeFileSync(join(confDir, `${DOMAIN}.conf`), vhost.replace('listen 443 ssl;', `listen 127.0.0.1:${nginxPort} ssl;`));
  nginx = await startNginx(nginxArgs, join(dir, 'nginx.pid'));
});

afterAll(async () => {
  await nginx?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await probe?.h.close();
});

/** Through NGINX: TLS to the vhost, its server name, no certificate check (a throwaway self-signed one). */
const viaNginx = () => ({ tls: true, port: nginxPort, servername: DOMAIN, rejectUnauthorized: false });
const throughNginx = (method: string, path: string, headers: Record<string, string> = {}, json?: unknown) =>
  probe.send(method, path, { headers: { host: DOMAIN, ...headers }, json, via: viaNginx() });

describe("through NGINX with vsa's own vhost", () => {
  it('proxies to the dashboard: a health check and a logged-in read get through', async () => {
    expect(await throughNginx('GET', '/api/health')).toMatchObject({ status: 200, handler: 'public' });
    const token = probe.h.token('read');
    expect(await throughNginx('GET', '/%61pi/runs', { authorization: `Bearer ${token}` })).toMatchObject({ status: 200, handler: 'viewer' });
  });

  it("NGINX's normalising reopens nothing: no spelling of a private path reaches its handler", async () => {
    const paths = [...new Set(routeAccess(probe.h.app).filter((r) => r.access !== 'public' && r.method === 'GET').map((r) => concrete(r.url)))];
    for (const path of paths) {
      for (const spelt of spellings(path)) {
        const a = await throughNginx('GET', spelt);
        expect({ spelt, outcome: outcome(a) }).toMatchObject({ spelt, outcome: expect.toBeOneOf(ANONYMOUS_OUTCOMES) });
        if (outcome(a) === 'public 200') expect({ spelt, body: a.body }).toEqual({ spelt, body: INDEX });
      }
    }
  });

  it('starts no run and changes no setting through an encoded path', async () => {
    for (const [method, path] of [
      ['POST', '/%61pi/runs'],
      ['PUT', '/%61pi/settings'],
      ['POST', '//api//runs'],
    ] as const) {
      const a = await throughNginx(method, path, {}, { playbook: 'cert-status', retentionDays: 1 });
      expect({ path, outcome: outcome(a) }).toMatchObject({ path, outcome: expect.toBeOneOf(['none 401', 'none 400', 'not-found 404']) });
    }
  });
});
