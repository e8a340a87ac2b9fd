import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { labPlugins } from '../lab/plugins/catalog.js';
import { labCurl, labSh, pointDomains } from '../lab/site-lab.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { ensureBuilt, parseEvents, userEnv } from './faults-support/vsa.js';

type Recap = Record<string, { ok: number; changed: number; failed: number; unreachable: number }>;
interface Result {
  type: string;
  host: string;
  task: string;
  status: string;
  handler: boolean;
  message?: string;
  data?: Record<string, unknown>;
}

const D1 = 'shop.lab.test';
const D2 = 'blog.lab.test';
const D3 = 'api.lab.test';

/** The mission's playbooks through their short forms, the built binary, on real lab hosts. */
describe.skipIf(!canRunLab)('mission playbooks on lab hosts (host NGINX, Podman, Pebble)', () => {
  // The host's own NGINX (proxy_mode: host), reaching the web containers on their published port.
  const lab = useLab({ hosts: 3, plugins: labPlugins({ proxy: 'host' }) });
  let home: string;
  let stacks: string;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'vsa-pb-home-'));
    stacks = await mkdtemp(join(tmpdir(), 'vsa-pb-stacks-'));
    await ensureBuilt();
    await pointDomains(lab(), [
      [D1, 'h01'],
      [`www.${D1}`, 'h01'],
      [D2, 'h02'],
      [D3, 'h01'],
    ]);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(stacks, { recursive: true, force: true });
  });

  const vsa = async (args: string[], env: Record<string, string> = {}) => {
    const r = await $({
      quiet: true,
      nothrow: true,
      env: userEnv(home, env),
    })`node bin/vsa.js ${args} -i ${lab().inventoryFile} --json`;
    const events = parseEvents<Result & { recap?: Recap }>(r.stdout);
    const results = events.filter((e) => e.type === 'task:result');
    const recap = events.find((e) => e.type === 'run:end')?.recap ?? {};
    return { code: r.exitCode, recap, results, output: r.stdout + r.stderr };
  };
  const changed = (recap: Recap) => Object.values(recap).reduce((n, h) => n + h.changed, 0);
  const sh = (host: string, text: string) => labSh(lab(), host, text);
  const curl = (domain: string, url: string, extra: string[] = []) => labCurl(lab(), domain, url, extra);
  /**
   * A reload is asynchronous, and old workers still accept for a moment after it: poll briefly for
   * an answer only the new configuration gives (a status, or a test of the whole answer).
   */
  type Answer = { status: number; text: string };
  const eventually = async (domain: string, url: string, want: number | ((r: Answer) => boolean), extra: string[] = []) => {
    const done = typeof want === 'number' ? (r: Answer) => r.status === want : want;
    let last: Answer = { status: 0, text: '' };
    for (let i = 0; i < 20; i++) {
      last = await curl(domain, url, extra);
      if (done(last)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return last;
  };
  const provision = (domain: string, host: string, more: string[] = []) =>
    vsa(['site', 'provision', '--domain', domain, '--limit', host, ...more]);

  it('--check first on a fresh host changes nothing', async () => {
    for (const r of [
      await vsa(['bootstrap', '--no-packages', '--check', '--limit', 'h01']),
      await provision(D1, 'h01', ['--container', 'web', '--port', '8080', '--detect', '--check']),
    ]) {
      expect(r.code, r.output).toBe(0);
      expect(changed(r.recap)).toBeGreaterThan(0);
    }
    const left = await sh(
      'h01',
      `ls /etc/nginx/conf.d /var/lib/vsa/sites /etc/letsencrypt/live 2>/dev/null; test -e /etc/nginx/snippets/security_headers.conf && echo snippet`,
    );
    expect(left.stdout).not.toMatch(/shop|snippet/);
  });

  it('bootstrap, then provision: HTTPS with every security header, HTTP redirects, a second run changes nothing', async () => {
    const boot = await vsa(['bootstrap', '--no-packages']);
    expect(boot.code, boot.output).toBe(0);
    expect(Object.keys(boot.recap).sort()).toEqual(['h01', 'h02', 'h03']);

    const first = await provision(D1, 'h01', ['--container', 'web', '--port', '8080', '--detect']);
    expect(first.code, first.output).toBe(0);
    const page = await eventually(D1, `https://${D1}/`, (r) => r.status === 200 && r.text.includes('web h01'));
    expect(page.text).toContain('web h01');
    expect(page.text).toMatch(/^Strict-Transport-Security: max-age=\d+; includeSubDomains/m);
    expect(page.text).toMatch(/^X-Frame-Options: DENY/m);
    expect(page.text).toMatch(/^X-Content-Type-Options: nosniff/m);
    expect(page.text).toMatch(/^Referrer-Policy: /m);
    expect(page.text).toMatch(/^Content-Security-Policy: default-src 'self'/m);
    expect((await eventually(`www.${D1}`, `https://www.${D1}/`, 200)).status).toBe(200);
    const http = await eventually(D1, `http://${D1}/x?y=1`, 301);
    expect(http.status).toBe(301);
    expect(http.text).toMatch(new RegExp(`^Location: https://${D1.replace(/\./g, '\\.')}/x\\?y=1`, 'm'));

    const second = await provision(D1, 'h01', ['--container', 'web', '--port', '8080', '--detect']);
    expect(second.code, second.output).toBe(0);
    expect(second.recap.h01?.changed).toBe(0);
  });

  it('auth add → 401 without and 200 with the password; auth remove → 200 without', async () => {
    const pw = join(home, 'pw');
    await writeFile(pw, 'correct horse\n');
    const add = await vsa([
      'auth',
      'add',
      '--domain',
      D1,
      '--user',
      'alice',
      '--password-file',
      pw,
      '--limit',
      'h01',
    ]);
    expect(add.code, add.output).toBe(0);
    expect(add.output).not.toContain('correct horse');
    expect((await eventually(D1, `https://${D1}/`, 401)).status).toBe(401);
    expect((await curl(D1, `https://${D1}/`, ['-u', 'alice:correct horse'])).status).toBe(200);
    expect((await eventually(D1, `https://${D1}/`, 401, ['-u', 'alice:wrong'])).status).toBe(401);
    expect(await readFile(join(home, 'audit.jsonl'), 'utf8').catch(() => '')).not.toContain('correct horse');

    const remove = await vsa(['auth', 'remove', '--domain', D1, '--limit', 'h01']);
    expect(remove.code, remove.output).toBe(0);
    expect((await eventually(D1, `https://${D1}/`, 200)).status).toBe(200);
  });

  it('cert status lists issuer and days left per host and domain; renew --force reloads only where a certificate changed', async () => {
    const second = await provision(D2, 'h02', ['--container', 'web', '--port', '8080', '--detect', '--no-www']);
    expect(second.code, second.output).toBe(0);

    const status = await vsa(['cert', 'status']);
    expect(status.code, status.output).toBe(0);
    const certs = (host: string) =>
      status.results.find((e) => e.host === host)?.data?.certificates as Array<{
        name: string;
        issuer: string;
        daysLeft: number;
      }>;
    expect(certs('h01')).toEqual([
      expect.objectContaining({
        name: D1,
        issuer: expect.stringMatching(/Pebble/),
        daysLeft: expect.any(Number),
      }),
    ]);
    expect(certs('h02')?.map((c) => c.name)).toEqual([D2]);
    expect(certs('h03')).toEqual([]);
    expect(certs('h01')![0]!.daysLeft).toBeGreaterThan(30);

    const renew = await vsa(['cert', 'renew', '--force']);
    expect(renew.code, renew.output).toBe(0);
    const reloaded = renew.results
      .filter((e) => e.task === 'serve the certificates on disk (reload nginx where they differ)' && e.status === 'changed')
      .map((e) => e.host)
      .sort();
    expect(reloaded).toEqual(['h01', 'h02']);
    expect(renew.recap.h03).toMatchObject({ changed: 0, failed: 0 });
  });

  it('vhost sync after a template change re-renders every recorded site and reloads once per host', async () => {
    const templates = join(home, 'templates');
    await cp('templates', templates, { recursive: true });
    const https = join(templates, 'nginx', 'https-vhost.conf.njk');
    await writeFile(https, `# template revision 2\n${await readFile(https, 'utf8')}`);
    const sync = await vsa(['vhost', 'sync'], { VSA_TEMPLATES: templates });
    expect(sync.code, sync.output).toBe(0);
    const rerender = sync.results.filter((e) => e.task === 're-render the vhosts');
    expect(
      rerender
        .filter((e) => e.status === 'changed')
        .map((e) => e.host)
        .sort(),
    ).toEqual(['h01', 'h02']);
    expect(rerender.find((e) => e.host === 'h01')?.data?.changed).toEqual([D1]);
    const reloads = sync.results
      .filter((e) => e.handler)
      .map((e) => e.host)
      .sort();
    expect(reloads).toEqual(['h01', 'h02']);
    expect((await sh('h02', `head -n 1 /etc/nginx/conf.d/${D2}.conf`)).stdout).toBe(
      '# template revision 2\n',
    );
    const again = await vsa(['vhost', 'sync'], { VSA_TEMPLATES: templates });
    expect(changed(again.recap)).toBe(0);
  });

  it('unprovision removes vhosts, auth and record; NGINX still passes nginx -t and serves the other site', async () => {
    const other = await provision(D3, 'h01', ['--external-port', '8080', '--no-www']);
    expect(other.code, other.output).toBe(0);
    await writeFile(join(home, 'pw'), 'pw\n');
    expect(
      (
        await vsa([
          'auth',
          'add',
          '--domain',
          D1,
          '--user',
          'bob',
          '--password-file',
          join(home, 'pw'),
          '--limit',
          'h01',
        ])
      ).code,
    ).toBe(0);

    const un = await vsa(['site', 'unprovision', '--domain', D1, '--limit', 'h01']);
    expect(un.code, un.output).toBe(0);
    const files = await sh(
      'h01',
      `ls /etc/nginx/conf.d /etc/nginx/htpasswd /var/lib/vsa/sites; nginx -t 2>&1`,
    );
    expect(files.stdout).not.toContain(D1);
    expect(files.stdout).toContain(`${D3}.conf`);
    expect(files.stdout).toContain('test is successful');
    expect((await eventually(D3, `https://${D3}/`, 200)).text).toContain('web h01');
    expect((await vsa(['site', 'unprovision', '--domain', D1, '--limit', 'h01'])).recap.h01?.changed).toBe(0);
  });

  it('stack new scaffolds a stack that passes stack lint; stack up runs it healthy and a second up changes nothing', async () => {
    const scaffold = await vsa([
      'stack',
      'new',
      'demo',
      '--dir',
      stacks,
      '--image',
      'localhost/vsa-web:latest',
      '--port',
      '8080',
    ]);
    expect(scaffold.code, scaffold.output).toBe(0);
    for (const f of ['compose.yml', '.env.example', 'README.md'])
      expect(existsSync(join(stacks, 'demo', f))).toBe(true);
    const lint = await $({ quiet: true, nothrow: true })`node bin/vsa.js stack lint demo --dir ${stacks}`;
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);

    const up = await vsa(['stack', 'up', 'demo', '--dir', stacks, '--limit', 'h02', '--timeout', '60']);
    expect(up.code, up.output).toBe(0);
    const compose = up.results.find((e) => e.task === 'compose up demo');
    expect(compose?.data?.containers).toEqual([
      expect.objectContaining({ name: 'demo-app', state: 'running', health: 'healthy' }),
    ]);
    expect((await sh('h02', 'ls /srv/flowbiz/demo')).stdout.split('\n')).toEqual(
      expect.arrayContaining(['compose', 'compose.yml', 'data', 'env', 'logs']),
    );
    const again = await vsa(['stack', 'up', 'demo', '--dir', stacks, '--limit', 'h02']);
    expect(again.recap.h02?.changed, again.output).toBe(0);
  });

  it('collect-status snapshots containers, certificates, sites, disk and load of every host', async () => {
    const r = await vsa(['run', 'collect-status']);
    expect(r.code, r.output).toBe(0);
    const h02 = r.results.find((e) => e.host === 'h02' && e.task === 'collect')?.data as Record<
      string,
      unknown[]
    >;
    expect(h02.containers).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'demo-app', health: 'healthy' })]),
    );
    expect(h02.certificates).toEqual([expect.objectContaining({ name: D2 })]);
    expect(h02.sites).toEqual([expect.objectContaining({ domain: D2, container: 'web' })]);
    expect(h02.disk?.length).toBeGreaterThan(0);
    // vsa status reads the same snapshot back from the store, contacting no host.
    const status = await $({ quiet: true, nothrow: true, env: userEnv(home) })`node bin/vsa.js status --host h02 --json`;
    expect(status.exitCode, status.stderr).toBe(0);
    const line = JSON.parse(status.stdout) as { collectedAt: string; disk: unknown; load: unknown; containers: { name: string }[]; certificates: { name: string }[] };
    expect(line.containers.map((c) => c.name)).toContain('demo-app');
    expect(line.certificates.map((c) => c.name)).toEqual([D2]);
    expect(line.disk).not.toBeNull();
    expect(line.load).not.toBeNull();
  });

  it('one run over 3 hosts: a host with NGINX stopped fails alone with a clear message', async () => {
    const templates = join(home, 'templates-headers');
    await cp('templates', templates, { recursive: true });
    const headers = join(templates, 'nginx', 'security_headers.conf.njk');
    await writeFile(headers, `${await readFile(headers, 'utf8')}add_header X-Lab-Revision "3" always;\n`);
    const stop = await sh(
      'h03',
      'pid=$(cat /run/nginx.pid); nginx -s stop; i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; kill -0 "$pid" 2>/dev/null && echo running',
    );
    expect(stop.stdout).toBe('');
    const r = await vsa(['bootstrap', '--no-packages'], { VSA_TEMPLATES: templates });
    expect(r.code, r.output).toBe(2);
    expect(r.recap.h03).toMatchObject({ failed: 1 });
    for (const h of ['h01', 'h02']) expect(r.recap[h]).toMatchObject({ failed: 0, unreachable: 0 });
    const failed = r.results.find((e) => e.host === 'h03' && e.status === 'failed');
    expect(failed?.task).toBe('reload nginx');
    expect(failed?.message).toMatch(/nginx/);
    const revised = (r: Answer) => /^X-Lab-Revision: 3/m.test(r.text);
    expect((await eventually(D2, `https://${D2}/`, revised)).text).toMatch(/^X-Lab-Revision: 3/m);
  });
});
