import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { $ } from 'zx';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { script } from '../../runner/shell/command.js';
import { RESOLVE_VALID } from '../../site/vhost.js';
import { WEB_IMAGE } from '../lab/images/web-image.js';
import { labPlugins } from '../lab/plugins/catalog.js';
import { curlResolveArgs, pointDomain } from '../lab/plugins/dns.js';
import { pebbleRootFile } from '../lab/plugins/pebble.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';
import { ensureBuilt, parseEvents, userEnv } from './faults-support/vsa.js';

const A = 'alpha.lab.test';
const B = 'bravo.lab.test';
const UNKNOWN = 'nobody.lab.test';
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;
/** How long NGINX may keep a name's old address: every check after an engine change waits it out. */
const RESOLVE_MS = (Number.parseInt(RESOLVE_VALID, 10) + 1) * 1000;

/**
 * The default proxy mode through the `vsa` binary on a lab host: bootstrap starts the
 * reverse-proxy container (the lab's image, built from Debian packages); a site reaches its
 * container by name, so restarts, re-creates and another container on the freed address never
 * send its visitors elsewhere; names no site owns get no answer.
 */
describe.skipIf(!canRunLab)('reverse proxy in a container, upstreams by name (Podman, Pebble)', () => {
  const lab = useLab({ hosts: 1, plugins: labPlugins() });
  let home: string | undefined;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'vsa-proxy-home-'));
    await ensureBuilt();
    const address = lab().host('h01').address;
    await pointDomain(lab().layout, A, address, true);
    await pointDomain(lab().layout, B, address, true);
    await pointDomain(lab().layout, UNKNOWN, address, true);
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  const vsa = async (args: string[], inventory = lab().inventoryFile) => {
    const r = await $({ quiet: true, nothrow: true, env: userEnv(home!) })`node bin/vsa.js ${args} -i ${inventory} --json`;
    const end = parseEvents<{ type: string; exitCode?: number }>(r.stdout).find((e) => e.type === 'run:end');
    return { code: r.exitCode, end, output: r.stdout + r.stderr };
  };
  const sh = async (text: string) => {
    const c = await openSsh(sshSettings(labInventoryHost(lab(), 'h01')));
    try {
      const r = await c.exec(script(text));
      if (r.code !== 0) throw new Error(`h01: ${text}: exit ${r.code}: ${r.stderr}`);
      return r.stdout.trim();
    } finally {
      await c.close();
    }
  };
  const curl = async (domain: string, url: string, extra: string[] = []) => {
    const resolve = await curlResolveArgs(lab().layout.dir, domain);
    return $({ quiet: true, nothrow: true })`curl -sS -m 15 --cacert ${pebbleRootFile(lab().layout.dir)} ${resolve} ${extra} ${url}`;
  };
  const body = async (domain = A) => (await curl(domain, `https://${domain}/`)).stdout.trim();
  /** Until the body is `want` (a container starting answers 502 for a moment; a restarted one is found again once the engine DNS answers, which under load takes a while), for `ms` at most; the last body seen. */
  const eventually = async (want: string, domain = A, ms = 60_000) => {
    const deadline = Date.now() + ms;
    let last = await body(domain);
    while (last !== want && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      last = await body(domain);
    }
    return last;
  };
  const web = (name: string, more = '') =>
    sh(`podman run -d -q --name ${name} --network flowbiz_ext ${more} --stop-signal KILL -e LAB_HOST=${name} ${WEB_IMAGE}`);
  const ipOf = (name: string) => sh(`podman inspect --format '{{(index .NetworkSettings.Networks "flowbiz_ext").IPAddress}}' ${name}`);
  /** What the proxy saw, for a failure's message. */
  const proxyLogs = () =>
    sh('tail -n 20 /var/log/nginx/error.log /var/log/nginx/access.log; grep -i detail /var/log/letsencrypt/letsencrypt.log | tail -n 5; cat /run/containers/networks/aardvark-dns/flowbiz_ext; podman ps -a --format "{{.Names}} {{.Status}} {{.Ports}}"; iptables -t nat -S | grep -i hostport; ss -ltn || true');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('bootstrap brings the proxy container up on flowbiz_ext with the default servers; unknown names are refused', async () => {
    const boot = await vsa(['bootstrap', '--no-packages']);
    expect(boot.code, boot.output).toBe(0);
    expect(await sh(`podman inspect --format '{{.State.Status}} {{.Config.Image}}' reverse-proxy-nginx`)).toMatch(
      /^running localhost\/vsa-proxy:bookworm/,
    );
    const gateway = await sh(`podman network inspect --format '{{(index .Subnets 0).Gateway}}' flowbiz_ext`);
    expect(await sh('cat /etc/nginx/conf.d/00-resolver.conf')).toContain(`resolver ${gateway} valid=${RESOLVE_VALID}`);

    // SNI of a name no site owns: the handshake fails (curl 35), no certificate is shown.
    const tls = await curl(UNKNOWN, `https://${UNKNOWN}/`, ['-k']);
    expect(tls.exitCode, tls.stderr).toBe(35);
    // Host header of a name no site owns: the connection closes without a response (444 → curl 52).
    const http = await curl(UNKNOWN, `http://${UNKNOWN}/`);
    expect(http.exitCode, http.stderr).toBe(52);
    expect(http.stdout).toBe('');

    const again = await vsa(['bootstrap', '--no-packages']);
    expect(again.code, again.output).toBe(0);
  });

  it('in host mode a container route is refused before anything runs (exit 5, naming --external-port)', async () => {
    const hostMode = join(home!, 'host-mode.yml');
    await writeFile(hostMode, (await readFile(lab().inventoryFile, 'utf8')).replace(/^(\s+)vars:\n/m, '$1vars:\n$1  proxy_mode: host\n'));
    const r = await vsa(['site', 'provision', '--domain', A, '--container', 'alpha', '--port', '8080', '--limit', 'h01'], hostMode);
    expect(r.code, r.output).toBe(5);
    expect(r.output).toMatch(/h01: --container without --external-port: .*--external-port PORT/);
    expect(r.end).toBeUndefined();
    expect(await sh(`ls /var/lib/vsa/sites /etc/nginx/conf.d`)).not.toContain(A);
  });

  it('a site follows its container by name through a restart, a re-create and another container on its old address', async () => {
    await web('alpha');
    const first = await vsa(['site', 'provision', '--domain', A, '--container', 'alpha', '--port', '8080', '--no-www', '--limit', 'h01']);
    expect(first.code, `${first.output}\n${first.code === 0 ? '' : await proxyLogs()}`).toBe(0);
    const vhost = await sh(`cat /etc/nginx/conf.d/${A}.conf`);
    expect(vhost).toContain('set $vsa_upstream http://alpha:8080;');
    expect(vhost.match(IPV4)).toBeNull();
    const firstAnswer = await eventually('web alpha');
    expect(firstAnswer, firstAnswer === 'web alpha' ? '' : await proxyLogs()).toBe('web alpha');

    await sh('podman restart alpha');
    await sleep(RESOLVE_MS);
    expect(await eventually('web alpha')).toBe('web alpha');

    // Re-created elsewhere, while another container takes the address alpha had.
    const old = await ipOf('alpha');
    await sh('podman rm -f alpha');
    await web('bravo', `--ip ${old}`);
    await web('alpha');
    expect(await ipOf('bravo')).toBe(old);
    expect(await ipOf('alpha')).not.toBe(old);
    await sleep(RESOLVE_MS);
    // From now on no answer is bravo's; alpha's fresh address may take a moment to answer.
    const seen = new Set<string>();
    const deadline = Date.now() + 90_000;
    let inRow = 0;
    while (inRow < 10 && Date.now() < deadline) {
      const b = await body();
      seen.add(b);
      inRow = b === 'web alpha' ? inRow + 1 : 0;
    }
    expect(seen.has('web bravo'), await proxyLogs()).toBe(false);
    expect(inRow, [...seen].join(' | ')).toBe(10);

    // Nothing vsa wrote names an address, and the unknown name is still refused.
    expect((await sh(`cat /etc/nginx/conf.d/${A}.conf /etc/nginx/conf.d/${A}.http.conf`)).match(IPV4)).toBeNull();
    expect((await curl(UNKNOWN, `https://${UNKNOWN}/`, ['-k'])).exitCode).toBe(35);
  }, 180_000);

  it('auth and unprovision reload the proxy container; a removed site is refused, never served by another', async () => {
    const b = await vsa(['site', 'provision', '--domain', B, '--container', 'bravo', '--port', '8080', '--no-www', '--limit', 'h01']);
    expect(b.code, b.output).toBe(0);
    const pw = join(home!, 'pw');
    await writeFile(pw, 'correct horse\n');
    const auth = await vsa(['auth', 'add', '--domain', A, '--user', 'alice', '--password-file', pw, '--limit', 'h01']);
    expect(auth.code, auth.output).toBe(0);
    const status = async (extra: string[] = []) =>
      (await curl(A, `https://${A}/`, ['-o', '/dev/null', '-w', '%{http_code}', ...extra])).stdout;
    let last = '';
    for (let i = 0; i < 25 && last !== '401'; i++) last = await status();
    expect(last).toBe('401');
    expect(await status(['-u', 'alice:correct horse'])).toBe('200');

    const un = await vsa(['site', 'unprovision', '--domain', A, '--limit', 'h01']);
    expect(un.code, un.output).toBe(0);
    let tls = await curl(A, `https://${A}/`);
    for (let i = 0; i < 25 && tls.exitCode === 0; i++) tls = await curl(A, `https://${A}/`);
    expect(tls.exitCode, tls.stdout).toBe(35);
    expect((await curl(A, `http://${A}/`)).exitCode).toBe(52);
    // bravo holds the address alpha had: with Podman's random MACs the proxy's ARP entry for it may
    // still name alpha's old interface for up to a minute (unreachable, never misrouted).
    const other = await eventually('web bravo', B, 90_000);
    expect(other, other === 'web bravo' ? '' : await proxyLogs()).toBe('web bravo');
  }, 240_000);
});
