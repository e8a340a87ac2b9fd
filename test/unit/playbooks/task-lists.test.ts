import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import addAuth from '../../../playbooks/add-auth.js';
import bootstrap from '../../../playbooks/bootstrap.js';
import certStatus from '../../../playbooks/cert-status.js';
import collectStatus from '../../../playbooks/collect-status.js';
import installRenewCron from '../../../playbooks/install-renew-cron.js';
import installStatusCron from '../../../playbooks/install-status-cron.js';
import provisionSite from '../../../playbooks/provision-site.js';
import removeAuth from '../../../playbooks/remove-auth.js';
import renewCerts from '../../../playbooks/renew-certs.js';
import unprovisionSite from '../../../playbooks/unprovision-site.js';
import stackUp from '../../../playbooks/stack-up.js';
import vhostSync from '../../../playbooks/vhost-sync.js';
import { serializeSite, type SiteConfig } from '../../../site/site-config.js';
import { engineDns } from '../../../playbooks/lib/proxy-stack.js';
import { siteRecord } from '../../../playbooks/lib/site-tasks.js';
import { httpVhost, publishedPort } from '../../../playbooks/provision-site.js';
import { recordedSites } from '../../../playbooks/vhost-sync.js';
import { containerStates } from '../../../playbooks/lib/site-tasks.js';
import { authUsers } from '../../../playbooks/remove-auth.js';
import { UsageError } from '../../../runner/errors.js';
import { EventBus } from '../../../runner/events/bus.js';
import { runPlay } from '../../../runner/executor/run-play.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';
import { validateParams } from '../../../runner/playbook/params.js';
import { argsOf, hostCtx, summary, tasksOf } from './helpers.js';

const D = 'shop.example.com';
const recorded: SiteConfig = { version: 1, domain: D, container: 'shop', port: 3000, www: true, auth: false };
const running = (name: string, yes = true) => new Map([[name, { running: yes, onNetwork: true }]]);
const pebble = { acme_directory: 'https://198.18.0.1:14000/dir', acme_ca_bundle: '/etc/vsa/pebble.pem' };
const byName = (tasks: ReturnType<typeof tasksOf>, name: string) => tasks.find((t) => t.name === name)!;
/** The tasks between a site change's rollback point and its commit (pinned on their own below). */
const inner = (tasks: ReturnType<typeof tasksOf>) => tasks.filter((t) => t.module.name !== 'rollback_point');

describe('provision-site', () => {
  const tasks = tasksOf(provisionSite, { domain: D, container: 'shop', port: '3000' });

  it('prepares NGINX, attaches the container, records the site, writes both vhosts and issues the certificate in order', () => {
    expect(summary(tasks)).toEqual([
      ['directory', 'directory /var/www/html'],
      ['directory', 'directory /var/lib/vsa/sites'],
      ['directory', 'directory /etc/nginx/snippets'],
      ['directory', 'directory /etc/nginx/htpasswd'],
      ['copy', 'security headers snippet'],
      ['copy', 'rate-limit zone and upgrade map'],
      ['shell', `names of ${D} are no other site's`],
      ['rollback_point', `rollback point for ${D}`],
      ['shell', `read the site record of ${D}`],
      ['docker_network', 'attach shop to flowbiz_ext'],
      ['shell', 'container shop is running'],
      ['copy', 'record the site'],
      ['nginx_vhost', 'HTTP vhost (ACME webroot, redirect to HTTPS)'],
      ['nginx_reload', 'reload nginx for the ACME challenge'],
      ['certbot', `certificate for ${D}`],
      ['nginx_vhost', 'HTTPS vhost'],
      ['rollback_point', `${D} changed as a whole`],
    ]);
    expect(
      provisionSite.handlers!(provisionSite.params.parse({ domain: D, externalPort: 1 }) as never).map(
        (t) => t.name,
      ),
    ).toEqual(['reload nginx']);
  });

  const h = hostCtx(
    (r) => r.set(siteRecord, undefined).set(httpVhost, { status: 'changed' }),
    pebble,
  );

  it('proxies to the container by name on flowbiz_ext, tests and reloads in the proxy container, records a stable site file', () => {
    expect(argsOf(byName(tasks, 'attach shop to flowbiz_ext'))).toMatchObject({
      name: 'flowbiz_ext',
      containers: ['shop'],
    });
    const https = argsOf(byName(tasks, 'HTTPS vhost'), h);
    expect(https).toMatchObject({ name: D, confDir: '/etc/nginx/conf.d', container: 'reverse-proxy-nginx' });
    expect(https.content).toContain('set $vsa_upstream http://shop:3000;');
    expect(argsOf(byName(tasks, 'reload nginx for the ACME challenge'), h)).toEqual({
      nginxArgs: [],
      container: 'reverse-proxy-nginx',
    });
    const hostNginx = hostCtx((r) => r, { proxy_mode: 'host' });
    expect(byName(tasks, 'attach shop to flowbiz_ext').when!(hostNginx)).toBe(false);
    expect(argsOf(byName(tasks, 'HTTP vhost (ACME webroot, redirect to HTTPS)'), h)).toMatchObject({
      name: `${D}.http`,
    });
    expect(argsOf(byName(tasks, 'record the site'), h)).toMatchObject({
      dest: `/var/lib/vsa/sites/${D}.json`,
      content: serializeSite(recorded),
      mode: '0644',
    });
  });

  it('keeps basic auth of an earlier provision', () => {
    const withAuth = hostCtx((r) => r.set(siteRecord, { ...recorded, auth: true }));
    expect(argsOf(byName(tasks, 'HTTPS vhost'), withAuth).content).toContain('auth_basic_user_file');
  });

  it('takes the ACME server and CA bundle from inventory vars, Let’s Encrypt by default', () => {
    expect(argsOf(byName(tasks, `certificate for ${D}`), h)).toMatchObject({
      action: 'issue',
      domain: D,
      www: true,
      webroot: '/var/www/html',
      email: `admin@${D}`,
      server: pebble.acme_directory,
      caBundle: pebble.acme_ca_bundle,
    });
    expect(
      argsOf(byName(tasks, `certificate for ${D}`), hostCtx(undefined, { acme_email: 'ops@example.com' })),
    ).toMatchObject({
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'ops@example.com',
    });
  });

  it('reloads before certbot only when the HTTP vhost changed', () => {
    const reload = byName(tasks, 'reload nginx for the ACME challenge');
    expect(reload.when!(h)).toBe(true);
    expect(reload.when!(hostCtx((r) => r.set(httpVhost, { status: 'ok' })))).toBe(false);
  });

  it('host mode with an external port: no network attach, proxies to 127.0.0.1, no www alias with noWww', () => {
    const ext = tasksOf(provisionSite, { domain: D, externalPort: '8081', noWww: 'true' });
    expect(ext.map((t) => t.module.name)).not.toContain('docker_network');
    const hh = hostCtx((r) => r.set(siteRecord, undefined), { proxy_mode: 'host' });
    const content = argsOf(byName(ext, 'HTTPS vhost'), hh).content as string;
    expect(content).toContain('proxy_pass http://127.0.0.1:8081;');
    expect(content).toContain(`server_name ${D};`);
    expect(argsOf(byName(ext, `certificate for ${D}`), hh)).toMatchObject({ www: false });
  });

  it('host mode with detect: asks the engine for the published port and proxies to it', () => {
    const det = tasksOf(provisionSite, { domain: D, container: 'shop', port: '3000', detect: 'true' });
    const detect = byName(det, 'detect the host port of shop:3000');
    expect(argsOf(detect)).toMatchObject({ checkSafe: true });
    expect(argsOf(detect).script).toContain('"$d" port shop 3000');
    const hh = hostCtx((r) => r.set(siteRecord, undefined).set(publishedPort, 8090), { proxy_mode: 'host' });
    expect(argsOf(byName(det, 'HTTPS vhost'), hh).content).toContain('proxy_pass http://127.0.0.1:8090;');
    expect(JSON.parse(argsOf(byName(det, 'record the site'), hh).content as string)).toMatchObject({
      container: 'shop',
      port: 3000,
      externalPort: 8090,
    });
  });

  it('reads run in check mode and never count as changes', () => {
    const r = byName(tasks, `read the site record of ${D}`);
    expect(argsOf(r)).toMatchObject({ checkSafe: true });
    expect(r.changedWhen!({ status: 'changed' }, hostCtx())).toBe(false);
  });
});

describe('site changes are all or nothing', () => {
  it.each([
    ['provision-site', provisionSite, { domain: D, container: 'shop', port: '3000' }],
    ['unprovision-site', unprovisionSite, { domain: D, removeCert: true }],
    ['add-auth', addAuth, { domain: D, user: 'alice', password: 's3cret' }],
    ['remove-auth', removeAuth, { domain: D, user: 'alice' }],
    ['remove-auth (all)', removeAuth, { domain: D }],
  ] as const)('%s: a snapshot of the site before its first change, dropped after its last, restored by the rescue', (_, pb, vars) => {
    const tasks = tasksOf(pb, vars);
    const points = tasks.flatMap((t, i) => (t.module.name === 'rollback_point' ? [[i, argsOf(t).action]] : []));
    expect(points.map(([, a]) => a)).toEqual(['begin', 'commit']);
    const [begin, commit] = points.map(([i]) => i as number);
    const writes = tasks.filter((t, i) => (i < begin! || i > commit!) && ['nginx_vhost', 'copy', 'htpasswd', 'file'].includes(t.module.name));
    // Only the shared base files (bootstrap's) are written outside the change.
    expect(writes.map((t) => t.name).filter((n) => !/^(directory|security headers|rate-limit)/.test(n))).toEqual([]);
    // NGINX is reloaded after a rollback where it runs: the proxy container by default.
    expect(argsOf(tasks[begin!]!)).toMatchObject({ container: 'reverse-proxy-nginx' });
    expect(argsOf(tasks[begin!]!, hostCtx(undefined, { proxy_mode: 'host' })).container).toBeUndefined();
    expect(argsOf(tasks[begin!]!)).toMatchObject({ id: D, files: [`/etc/nginx/conf.d/${D}.conf`, `/etc/nginx/conf.d/${D}.http.conf`, `/var/lib/vsa/sites/${D}.json`, `/etc/nginx/htpasswd/${D}`] });
    const rescue = pb.rescue!(validateParams(pb, vars) as never);
    expect(rescue.map((t) => [t.module.name, argsOf(t)])).toEqual([
      ['rollback_point', expect.objectContaining({ action: 'rollback', id: D, container: 'reverse-proxy-nginx' })],
    ]);
  });
});

describe('provision-site: the route must suit the host\'s proxy mode', () => {
  const web01: InventoryHost = { name: 'web01', address: '192.0.2.1', port: 22, become: false, connection: 'ssh', vars: {}, groups: ['all'] };
  const play = (params: Record<string, unknown>, vars: Record<string, unknown>) =>
    runPlay({
      playbook: provisionSite,
      params: validateParams(provisionSite, params),
      hosts: [{ ...web01, vars }],
      connect: () => Promise.reject(new Error('must not connect')),
      bus: new EventBus([]),
      options: { forks: 1, check: false, diff: false, extraVars: {} },
      actor: 'tester',
      origin: 'script',
    });
  const byContainer = { domain: D, container: 'shop', port: '3000' };

  it('host mode refuses a container route before anything runs (exit 5, naming --external-port)', async () => {
    const err = await play(byContainer, { proxy_mode: 'host' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(5);
    expect((err as Error).message).toMatch(/^web01: --container without --external-port: .*--external-port PORT/);
  });

  it('container mode refuses a loopback port alone; a bad proxy_mode is bad inventory', async () => {
    await expect(play({ domain: D, externalPort: '8090' }, {})).rejects.toThrow(/--container NAME --port PORT/);
    await expect(play(byContainer, { proxy_mode: 'nginx' })).rejects.toThrow(/web01: inventory var proxy_mode/);
    const check = (params: Record<string, unknown>, vars: Record<string, unknown>) =>
      provisionSite.checkHost!(provisionSite.params.parse(params), vars, 'web01');
    expect(check(byContainer, {})).toBeUndefined();
    expect(check({ ...byContainer, externalPort: '8090' }, { proxy_mode: 'host' })).toBeUndefined();
    expect(check({ ...byContainer, detect: 'true' }, { proxy_mode: 'host' })).toBeUndefined();
  });
});

describe('unprovision-site', () => {
  it('removes both vhosts, the auth file and the record; the certificate only when asked', () => {
    const tasks = inner(tasksOf(unprovisionSite, { domain: D }));
    expect(tasks.map((t) => [t.module.name, argsOf(t)])).toEqual([
      ['nginx_vhost', expect.objectContaining({ name: D, state: 'absent' })],
      ['nginx_vhost', expect.objectContaining({ name: `${D}.http`, state: 'absent' })],
      ['file', expect.objectContaining({ path: `/etc/nginx/htpasswd/${D}`, state: 'absent' })],
      ['file', expect.objectContaining({ path: `/var/lib/vsa/sites/${D}.json`, state: 'absent' })],
    ]);
    const withCert = tasksOf(unprovisionSite, { domain: D, removeCert: true });
    expect(argsOf(withCert.at(-1)!)).toMatchObject({
      argv: ['certbot', 'delete', '--cert-name', D, '--non-interactive'],
      removes: `/etc/letsencrypt/live/${D}`,
    });
  });
});

describe('add-auth and remove-auth', () => {
  const h = hostCtx((r) => r.set(siteRecord, recorded), { nginx_group: 'nginx' });

  it('add-auth: a bcrypt entry readable by NGINX, auth recorded, vhost re-rendered with auth', () => {
    const tasks = inner(tasksOf(addAuth, { domain: D, user: 'alice', password: 's3cret' }));
    expect(summary(tasks).map(([m]) => m)).toEqual(['shell', 'htpasswd', 'copy', 'nginx_vhost']);
    expect(argsOf(tasks[0]!).script).toContain('is not provisioned on this host');
    expect(argsOf(tasks[1]!, h)).toMatchObject({
      path: `/etc/nginx/htpasswd/${D}`,
      user: 'alice',
      password: 's3cret',
      group: 'nginx',
      mode: '0640',
    });
    expect(JSON.parse(argsOf(tasks[2]!, h).content as string)).toMatchObject({ auth: true });
    const vhost = argsOf(tasks[3]!, h).content as string;
    expect(vhost).toContain('auth_basic_user_file /etc/nginx/htpasswd/shop.example.com;');
    expect(vhost).toContain('set $vsa_upstream http://shop:3000;');
    expect(tasks[3]!.notify).toEqual(['reload nginx']);
  });

  it('remove-auth with a user removes only that entry while other users are left', () => {
    const tasks = inner(tasksOf(removeAuth, { domain: D, user: 'alice' }));
    expect(tasks.map((t) => t.module.name)).toEqual(['shell', 'shell', 'htpasswd', 'nginx_vhost', 'copy', 'file']);
    expect(argsOf(tasks[1]!).script).toBe(`cut -d: -f1 -- /etc/nginx/htpasswd/${D} 2>/dev/null || true`);
    const others = hostCtx((r) => r.set(authUsers, ['bob', 'alice']));
    expect(argsOf(tasks[2]!, others)).toMatchObject({ user: 'alice', state: 'absent' });
    expect(tasks.map((t) => t.when?.(others) ?? true)).toEqual([true, true, true, false, false, false]);
  });

  it('remove-auth of the last user turns basic auth off instead of leaving an empty file (401 for all)', () => {
    const tasks = inner(tasksOf(removeAuth, { domain: D, user: 'alice' }));
    const last = hostCtx((r) =>
      r.set(siteRecord, { ...recorded, auth: true }).set(authUsers, ['alice']),
    );
    expect(tasks.map((t) => t.when?.(last) ?? true)).toEqual([true, true, false, true, true, true]);
    expect(tasks[3]!.name).toBe('HTTPS vhost without basic auth (alice was the last user: basic auth is off)');
    expect(argsOf(tasks[3]!, last).content).not.toContain('auth_basic');
    expect(JSON.parse(argsOf(tasks[4]!, last).content as string)).toMatchObject({ auth: false });
    expect(argsOf(tasks[5]!, last)).toMatchObject({ path: `/etc/nginx/htpasswd/${D}`, state: 'absent' });
  });

  it('remove-auth without a user turns auth off: vhost without it, record, file removed', () => {
    const authOn = hostCtx((r) => r.set(siteRecord, { ...recorded, auth: true }));
    const tasks = inner(tasksOf(removeAuth, { domain: D }));
    expect(tasks.map((t) => t.module.name)).toEqual(['shell', 'nginx_vhost', 'copy', 'file']);
    expect(argsOf(tasks[1]!, authOn).content).not.toContain('auth_basic');
    expect(JSON.parse(argsOf(tasks[2]!, authOn).content as string)).toMatchObject({ auth: false });
  });
});

describe('certificates', () => {
  it('renew-certs renews due certificates with the inventory CA bundle, then serves what is on disk even when a renewal failed', () => {
    const tasks = tasksOf(renewCerts, { force: 'true', domain: D });
    const [t, served, result] = tasks;
    expect(summary(tasks)).toEqual([
      ['certbot', `renew ${D}`],
      ['served_certs', 'serve the certificates on disk (reload nginx where they differ)'],
      ['shell', 'renewal result'],
    ]);
    expect(t!.ignoreErrors).toBe(true);
    expect(served!.when).toBeUndefined();
    expect(argsOf(served!)).toMatchObject({ reload: true, domain: D, connect: '127.0.0.1:443' });
    expect(argsOf(served!)).toMatchObject({ container: 'reverse-proxy-nginx' });
    expect(argsOf(served!, hostCtx(undefined, { proxy_mode: 'host' })).container).toBeUndefined();
    const failed = hostCtx();
    t!.keep!({ status: 'failed', message: 'renewal failed for: shop.example.com' }, failed);
    expect(result!.when!(failed)).toBe(true);
    const renewed = hostCtx();
    t!.keep!({ status: 'changed' }, renewed);
    expect(result!.when!(renewed)).toBe(false);
    expect(argsOf(result!, failed).script).toBe("printf '%s\\n' 'renewal failed for: shop.example.com' >&2; exit 1");
    expect(argsOf(t!, hostCtx(undefined, pebble))).toMatchObject({
      action: 'renew',
      force: true,
      domain: D,
      caBundle: pebble.acme_ca_bundle,
      extraArgs: ['--no-random-sleep-on-renew'],
    });
    expect(argsOf(t!, hostCtx())).not.toHaveProperty('caBundle');
  });

  it('cert-status only reads: the files, then what NGINX serves, failing under --warn-days', () => {
    const [t, served] = tasksOf(certStatus, { warnDays: '14' });
    expect(t!.module.name).toBe('certbot');
    expect(argsOf(t!)).toMatchObject({ action: 'status' });
    expect(argsOf(served!)).toMatchObject({ reload: false, warnDays: 14 });
  });
});

describe('vhost-sync', () => {
  it('re-renders both vhosts of every recorded site: containers by name, or a loopback port in host mode', () => {
    const other: SiteConfig = {
      version: 1,
      domain: 'api.example.com',
      port: 8081,
      externalPort: 8081,
      www: false,
      auth: true,
    };
    const h = hostCtx((r) => r.set(recordedSites, [recorded]).set(containerStates, running('shop')));
    const tasks = tasksOf(vhostSync, {});
    expect(tasks.map((t) => t.name)).not.toContain('read container addresses on the proxy network');
    const write = byName(tasks, 're-render the vhosts');
    expect(write.module.name).toBe('nginx_vhosts');
    const args = argsOf(write, h) as { vhosts: { name: string; content: string }[]; confDir: string };
    expect(args.confDir).toBe('/etc/nginx/conf.d');
    expect(args.vhosts.map((v) => v.name)).toEqual([`${D}.http`, D]);
    expect(args).toMatchObject({ container: 'reverse-proxy-nginx' });
    expect(args.vhosts[1]!.content).toContain('set $vsa_upstream http://shop:3000;');
    expect(() => argsOf(write, hostCtx((r) => r.set(recordedSites, [recorded]).set(containerStates, new Map()), { proxy_mode: 'host' }))).toThrow(
      /site shop\.example\.com: .*--external-port/,
    );
    const hostArgs = argsOf(write, hostCtx((r) => r.set(recordedSites, [other]).set(containerStates, new Map()), { proxy_mode: 'host' }));
    expect(hostArgs.container).toBeUndefined();
    const hostVhosts = (hostArgs as typeof args).vhosts;
    expect(hostVhosts[1]!.content).toContain('proxy_pass http://127.0.0.1:8081;');
    expect(hostVhosts[1]!.content).toContain('auth_basic "Restricted";');
    expect(write.notify).toEqual(['reload nginx']);
    expect(args.vhosts.map((v) => (v as { site?: string }).site)).toEqual([D, D]);
    write.keep!({ status: 'changed', data: { changed: [D], failed: [] } }, h);
    expect(byName(tasks, 'sites left as they were').when!(h)).toBe(false);
  });

  it('a site whose container is not running is not rendered; it alone is reported, with the cause', () => {
    const other: SiteConfig = { version: 1, domain: 'api.example.com', container: 'api', port: 8081, www: false, auth: false };
    const tasks = tasksOf(vhostSync, {});
    const apiUp = ['api', { running: true, onNetwork: true }] as const;
    const h = hostCtx((r) => r.set(recordedSites, [recorded, other]).set(containerStates, new Map([...running('shop', false), apiUp])));
    const states = byName(tasks, 'read container states');
    expect(argsOf(states, h).script).toMatch(/"\$d" inspect --type container shop api 2>/);
    // A host NGINX reaches published ports, never a container by name: nothing to inspect.
    const hostMode = hostCtx((r) => r.set(recordedSites, [recorded, other]), { proxy_mode: 'host' });
    expect(argsOf(states, hostMode).script).toBe('true');
    const args = argsOf(byName(tasks, 're-render the vhosts'), h) as { vhosts: { name: string }[] };
    expect(args.vhosts.map((v) => v.name)).toEqual(['api.example.com.http', 'api.example.com']);
    expect(byName(tasks, 're-render the vhosts').ignoreErrors).toBe(true);
    const write = byName(tasks, 're-render the vhosts');
    const report = byName(tasks, 'sites left as they were');
    write.keep!({ status: 'ok', data: { changed: [], failed: [] } }, h);
    expect(report.when!(h)).toBe(true);
    expect(argsOf(report, h)).toMatchObject({
      script: `printf '%s\\n' '${D}: container shop is not running on flowbiz_ext; its vhosts were left as they are' >&2; exit 1`,
      checkSafe: true,
    });
    const gone = hostCtx((r) => r.set(recordedSites, [recorded, other]).set(containerStates, new Map([apiUp])));
    write.keep!({ status: 'ok', data: { changed: [], failed: [] } }, gone);
    expect(argsOf(report, gone).script).toContain(`${D}: container shop does not exist;`);
    // The others are reloaded even though the host then fails.
    const reload = byName(tasks, 'reload nginx for the sites that were synced');
    write.keep!({ status: 'failed', data: { changed: ['api.example.com'], failed: [] } }, h);
    expect(reload.when!(h)).toBe(true);
    write.keep!({ status: 'changed', data: { changed: ['x'] } }, gone);
    expect(reload.when!(gone)).toBe(false);
  });
});

describe('bootstrap, collect-status, install-renew-cron', () => {
  it('bootstrap installs packages unless told not to, and creates the layout and the proxy network', () => {
    const all = tasksOf(bootstrap, {});
    expect(argsOf(all[0]!)).toMatchObject({ name: ['certbot', 'openssl', 'curl', 'docker.io', 'docker-compose'] });
    // NGINX on the host only in host mode: in container mode it would take ports 80 and 443.
    expect(all[1]!.when!(hostCtx((r) => r, { proxy_mode: 'host' }))).toBe(true);
    expect(all[1]!.when!(hostCtx())).toBe(false);
    const lab = tasksOf(bootstrap, { packages: 'false' });
    expect(lab.map((t) => t.module.name)).not.toContain('apt');
    expect(summary(lab)).toContainEqual(['docker_network', 'network flowbiz_ext']);
    expect(summary(lab)).toContainEqual(['directory', 'directory /srv']);
    expect(summary(lab)).toContainEqual(['copy', 'security headers snippet']);
  });

  it('bootstrap starts the reverse-proxy container with the resolver, host paths and image; host mode skips all of it', () => {
    const tasks = tasksOf(bootstrap, { packages: 'false' });
    expect(summary(tasks)).toContainEqual(['copy', 'default servers for names no site owns']);
    const podmanNet = readFileSync('test/unit/modules/fixtures/podman-network-inspect.json', 'utf8');
    const dnsOf = (stdout: string) => engineDns.parse({ stdout }, { host: 'web01', arg: undefined });
    const h = hostCtx((r) => r.set(engineDns, dnsOf(podmanNet)), { proxy_image: 'localhost/vsa-proxy:bookworm' });
    const resolver = argsOf(byName(tasks, 'resolver for container names'), h);
    expect(resolver).toMatchObject({ dest: '/etc/nginx/conf.d/00-resolver.conf' });
    expect(resolver.content).toContain('resolver 10.89.0.1 valid=10s ipv6=off;');
    const dockerNet = JSON.stringify([{ Name: 'flowbiz_ext', IPAM: { Config: [{ Gateway: '172.18.0.1' }] } }]);
    expect(dnsOf(dockerNet)).toBe('127.0.0.11');
    expect(() => dnsOf(podmanNet.replace('"dns_enabled": true', '"dns_enabled": false'))).toThrow(/answers no container names/);
    expect(() => dnsOf('[]')).toThrow(/does not exist yet/);
    const env = argsOf(byName(tasks, 'reverse-proxy env file'), h).content as string;
    expect(env).toMatch(/^NGINX_IMAGE=localhost\/vsa-proxy:bookworm$/m);
    expect(env).toMatch(/^NGINX_CONF_DIR=\/etc\/nginx\/conf\.d$/m);
    expect(env).toMatch(/^LETSENCRYPT_DIR=\/etc\/letsencrypt$/m);
    expect(argsOf(byName(tasks, 'reverse-proxy env file'), hostCtx()).content).not.toContain('NGINX_IMAGE');
    expect(argsOf(byName(tasks, 'compose up reverse-proxy'))).toMatchObject({
      action: 'up',
      projectDir: '/srv/reverse-proxy',
      projectName: 'reverse-proxy',
      envFile: 'env/.env',
    });
    const hostMode = hostCtx((r) => r, { proxy_mode: 'host' });
    for (const name of ['resolver for container names', 'reverse-proxy stack', 'compose up reverse-proxy'])
      expect(byName(tasks, name).when!(hostMode)).toBe(false);
    expect(byName(tasks, "remove Debian's default site").when!(hostMode)).toBe(true);
    expect(byName(tasks, "remove Debian's default site").when!(hostCtx())).toBe(false);
  });

  it('collect-status is one read-only task named collect', () => {
    expect(summary(tasksOf(collectStatus, {}))).toEqual([['status_snapshot', 'collect']]);
  });

  it('install-renew-cron: a named daily entry running as cron origin, logging to the data dir', () => {
    const tasks = tasksOf(installRenewCron, {
      inventory: '/etc/vsa/hosts.yml',
      home: '/var/lib/vsa home',
      node: '/usr/bin/node',
      vsa: '/opt/vsa/bin/vsa.js',
    });
    expect(argsOf(tasks[0]!)).toMatchObject({ path: '/var/lib/vsa home/logs', mode: '0700' });
    expect(argsOf(tasks[1]!)).toMatchObject({
      name: 'vsa cert renew',
      hour: '3',
      minute: '17',
      job: "VSA_ORIGIN=cron VSA_HOME='/var/lib/vsa home' /usr/bin/node /opt/vsa/bin/vsa.js cert renew -i /etc/vsa/hosts.yml >> '/var/lib/vsa home/logs/renew.log' 2>&1",
    });
    expect(() => tasksOf(installRenewCron, { inventory: '/tmp/50%.yml', home: '/h' })).toThrow(
      /no % or newline/,
    );
  });

  it('install-status-cron: collect-status every 15 minutes as cron origin, logging to logs/status.log', () => {
    const tasks = tasksOf(installStatusCron, { inventory: '/etc/vsa/hosts.yml', home: '/var/lib/vsa', node: '/usr/bin/node', vsa: '/opt/vsa/bin/vsa.js' });
    expect(argsOf(tasks[1]!)).toMatchObject({
      name: 'vsa collect-status',
      hour: '*',
      minute: '*/15',
      job: 'VSA_ORIGIN=cron VSA_HOME=/var/lib/vsa /usr/bin/node /opt/vsa/bin/vsa.js run collect-status -i /etc/vsa/hosts.yml >> /var/lib/vsa/logs/status.log 2>&1',
    });
    expect(() => tasksOf(installStatusCron, { inventory: '/etc/hosts.yml', home: '/h', minute: '*/15 * * * * rm -rf /' })).toThrow(/a cron field/);
  });
});

describe('stack-up', () => {
  it('never follows a link planted in the tenant folder when it makes the stack directories', () => {
    const tasks = tasksOf(stackUp, { name: 'clean', tenant: 'acme', dir: 'test/fixtures/stacks' });
    const dirs = tasks.filter((t) => t.module.name === 'directory');
    expect(dirs.map((t) => t.name)).toContain('directory /srv/acme/clean/env');
    for (const t of dirs) expect(argsOf(t), t.name).toMatchObject({ follow: false });
  });
});
