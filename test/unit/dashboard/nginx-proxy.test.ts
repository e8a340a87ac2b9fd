import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../../dashboard/server/auth/guard.js';
import type { NginxPaths } from '../../../runner/site/paths.js';
import { renderHttpContext, renderHttpsVhost, renderSecurityHeaders } from '../../../runner/site/vhost.js';
import { site } from '../playbooks/site-fixture.js';
import { ANONYMOUS_OUTCOMES, concrete, INDEX, outcome, spellings, startProbe, type Probe } from './guard-probe.js';

const DOMAIN = 'dashboard.example.com';

/** A port free on loopback right now (NGINX cannot be told to pick one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let probe: Probe;
let dir: string;
let nginxPort: number;
let nginxArgs: string[];

/**
 * The dashboard behind a real NGINX on loopback, configured by vsa's own templates exactly as
 * `site provision --domain dashboard.example.com --container dashboard --port 8700` writes them;
 * only `listen 443` is moved to a free loopback port, so the test needs no privileged port, and the
 * rate limit raised.
 */
beforeAll(async () => {
  if (spawnSync('nginx', ['-v']).status !== 0) throw new Error('nginx is needed for this test');
  probe = await startProbe();
  dir = mkdtempSync(join(tmpdir(), 'vsa-dashboard-nginx-'));
  const paths: NginxPaths = { snippets: join(dir, 'snippets'), webroot: join(dir, 'www'), certs: join(dir, 'live'), htpasswd: join(dir, 'htpasswd') };
  for (const d of [paths.snippets, paths.webroot, join(paths.certs, DOMAIN), join(dir, 'conf.d'), join(dir, 'logs')]) mkdirSync(d, { recursive: true });
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${DOMAIN}`, '-keyout', join(paths.certs, DOMAIN, 'privkey.pem'), '-out', join(paths.certs, DOMAIN, 'fullchain.pem')],
    { stdio: 'ignore' },
  );
  nginxPort = await freePort();
  const vhost = renderHttpsVhost({ ...site, domain: DOMAIN, container: 'dashboard', port: 8700, www: false }, `127.0.0.1:${probe.port}`, paths);
  expect(vhost).toContain('listen 443 ssl;');
  writeFileSync(join(paths.snippets, 'security_headers.conf'), renderSecurityHeaders());
  // The vhost's rate limit (10 r/s) would answer most of this test's requests itself, with 429.
  const context = renderHttpContext();
  expect(context).toContain('rate=10r/s;');
  writeFileSync(join(dir, 'conf.d', '00-vsa.conf'), context.replace('rate=10r/s;', 'rate=100000r/s;'));
  writeFileSync(join(dir, 'conf.d', `${DOMAIN}.conf`), vhost.replace('listen 443 ssl;', `listen 127.0.0.1:${nginxPort} ssl;`));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/conf.d/*.conf;\n}\n`,
  );
  nginxArgs = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')];
  // NGINX daemonises; its master's pid is in the pid file, and afterAll stops exactly that one.
  execFileSync('nginx', nginxArgs, { stdio: 'pipe' });
});

afterAll(async () => {
  if (dir) {
    const pid = Number(readPid());
    if (pid > 0) await stop(pid);
    rmSync(dir, { recursive: true, force: true });
  }
  await probe?.h.close();
});

/** Stops the NGINX master this test started, by its pid, and waits until it is gone. */
async function stop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readPid(): string {
  try {
    return readFileSync(join(dir, 'nginx.pid'), 'utf8').trim();
  } catch {
    return '';
  }
}

/** Through NGINX: TLS to the vhost, its server name, no certificate check (a throwaway self-signed one). */
const viaNginx = () => ({ tls: true, port: nginxPort, servername: DOMAIN, rejectUnauthorized: false });
const throughNginx = (method: string, path: string, headers: Record<string, string> = {}, json?: unknown) =>
  probe.send(method, path, { headers: { host: DOMAIN, ...headers }, json, via: viaNginx() });

describe("through NGINX with vsa's own vhost", () => {
  it('proxies to the dashboard: a health check and a logged-in read get through', async () => {
    expect(await throughNginx('GET', '/api/health')).toMatchObject({ status: 200, handler: 'public' });
    const token = probe.h.token('read');
    expect(await throughNginx('GET', '/%61pi/runs', { authorization: `Bearer ${token}` })).toMatchObject({ status: 200, handler: 'private' });
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
