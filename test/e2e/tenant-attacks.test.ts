import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOLVE_VALID } from '../../site/vhost.js';
import { WEB_IMAGE } from '../lab/images/web-image.js';
import { labPlugins } from '../lab/plugins/catalog.js';
import { labCurl, labServedSerial, labSh, pointDomains } from '../lab/site-lab.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { ensureBuilt, resultsOf, said, startVsa, vsa as runVsa, type JsonEvent } from './faults-support/vsa.js';

const H = 'h01';
const ALPHA = 'alpha.lab.test';
const BRAVO = 'bravo.lab.test';
/** Its www name sorts after another site's file of that name: `www.zulu…conf` loads first. */
const ZULU = 'zulu.lab.test';
/** A site whose certificate directory is planted as a link to alpha's. */
const KILO = 'kilo.lab.test';
/** A new site whose provision is killed part way. */
const LIMA = 'lima.lab.test';
const NOBODY = 'nobody.lab.test';
const CONF = '/etc/nginx/conf.d';
const SNAPSHOTS = '/var/lib/vsa/rollback';
const RESOLVE_MS = (Number.parseInt(RESOLVE_VALID, 10) + 1) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const taskStarted = (prefix: string) => (es: JsonEvent[]) => es.some((e) => e.type === 'task:start' && e.task?.startsWith(prefix));

/**
 * An attacker and a bad day against one container-mode host with three tenants: names that look
 * alike or overlap, unknown SNI, a tenant stack that names itself after another tenant's container,
 * a planted certificate link, a full vhost directory, and `kill -9` of provision and renew at the
 * certificate step. After each, every name must give its own tenant's page and certificate, or
 * nothing. The vhost directory is a small tmpfs from the start (mounted before the proxy container
 * bind-mounts it), so a test can fill it.
 */
describe.skipIf(!canRunLab)('tenant attacks on a shared host (Podman, NGINX container, Pebble)', () => {
  const lab = useLab({ hosts: 1, plugins: labPlugins() });
  let home: string;

  const vsa = async (args: string[]) => {
    const r = await runVsa([...args, '-i', lab().inventoryFile, '--json'], home);
    return { ...r, results: resultsOf(r.events), output: said(r) };
  };
  const ok = async (args: string[]) => {
    const r = await vsa(args);
    expect(r.code, r.output).toBe(0);
    return r;
  };
  /** Runs `vsa ARGS` and kills it with SIGKILL `ms` after the task named `prefix…` starts. */
  const killAt = async (args: string[], prefix: string, ms: number) => {
    const run = startVsa([...args, '-i', lab().inventoryFile, '--json'], home);
    await run.until(taskStarted(prefix));
    await sleep(ms);
    run.child.kill('SIGKILL');
    await run.done;
  };
  const sh = async (text: string) => {
    const r = await labSh(lab(), H, text);
    if (r.code !== 0) throw new Error(`${text}: exit ${r.code}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const web = (name: string, more = '') =>
    sh(`podman run -d -q --name ${name} --network flowbiz_ext ${more} --stop-signal KILL -e LAB_HOST=${name} ${WEB_IMAGE} >/dev/null`);
  const diskSerial = (domain: string) => sh(`openssl x509 -noout -serial -in /etc/letsencrypt/live/${domain}/cert.pem`);
  const siteFiles = (domain: string) =>
    sh(`cd / && sha256sum etc/nginx/conf.d/${domain}.* var/lib/vsa/sites/${domain}.json; ls -A ${CONF} | grep -v '[.]conf$' || true; ls -A ${SNAPSHOTS} 2>/dev/null || true`);
  /** Fills the vhost directory's tmpfs; the returned function frees it again. */
  const fillVhostDir = async () => {
    await sh(`dd if=/dev/zero of=${CONF}/zz-filler bs=4k 2>/dev/null || true`);
    return () => sh(`rm -f ${CONF}/zz-filler`);
  };

  /** What `name` serves now: the tenant page over HTTPS (with its certificate's serial), or refused. */
  async function serves(name: string): Promise<string> {
    const https = await labCurl(lab(), name, `https://${name}/`);
    const http = await labCurl(lab(), name, `http://${name}/`);
    const serial = await labServedSerial(lab(), H, name);
    if (https.code === 35 && serial === '') return `refused (http ${http.code === 52 ? 'closed' : http.status})`;
    return `${https.status} ${https.body} ${serial}`;
  }
  /** Waits (a reload, the proxy's DNS cache) until `name` gives tenant `t` with the certificate on disk for `cert`. */
  async function expectServes(name: string, t: string, cert = name.replace(/^www\./, ''), ms = 20_000): Promise<void> {
    const want = `200 web ${t} ${await diskSerial(cert)}`;
    const deadline = Date.now() + ms;
    let got = await serves(name);
    while (got !== want && Date.now() < deadline) {
      await sleep(300);
      got = await serves(name);
    }
    expect(got, name).toBe(want);
  }
  async function expectRefused(name: string, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    let got = await serves(name);
    while (!got.startsWith('refused') && Date.now() < deadline) {
      await sleep(300);
      got = await serves(name);
    }
    expect(got, name).toMatch(/^refused/);
  }
  const everyTenantServed = async () => {
    for (const [d, t] of [[ALPHA, 'alpha'], [`www.${ALPHA}`, 'alpha'], [BRAVO, 'bravo'], [ZULU, 'zulu'], [`www.${ZULU}`, 'zulu']] as const)
      await expectServes(d, t);
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'vsa-attacks-home-'));
    await ensureBuilt();
    await pointDomains(lab(), [ALPHA, `www.${ALPHA}`, BRAVO, `www.${BRAVO}`, ZULU, `www.${ZULU}`, KILO, `www.${KILO}`, LIMA, `www.${LIMA}`, NOBODY].map((d) => [d, H] as const));
    await sh(`mkdir -p ${CONF} && mount -t tmpfs -o size=512k vsa-conf ${CONF}`);
    await ok(['bootstrap', '--no-packages']);
    for (const t of ['alpha', 'bravo', 'zulu', 'kilo', 'lima']) await web(t);
    await ok(['site', 'provision', '--domain', ALPHA, '--container', 'alpha', '--port', '8080', '--limit', H]);
    await ok(['site', 'provision', '--domain', BRAVO, '--container', 'bravo', '--port', '8080', '--no-www', '--limit', H]);
    await ok(['site', 'provision', '--domain', ZULU, '--container', 'zulu', '--port', '8080', '--limit', H]);
    await everyTenantServed();
  }, 150_000);
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('no SNI, an unknown SNI, or a site Host sent under an unknown SNI get no tenant content or certificate', async () => {
    await expectRefused(NOBODY);
    const noSni = await labSh(lab(), H, `curl -sk -m 5 -o /dev/null -w '%{http_code}' -H 'Host: ${ALPHA}' https://127.0.0.1/; echo " $?"`);
    expect(noSni.stdout.trim()).toBe('000 35');
    const underUnknown = await labCurl(lab(), NOBODY, `https://${NOBODY}/`, ['-k', '-H', `Host: ${ALPHA}`]);
    expect(underUnknown.code).toBe(35);
    const http = await labCurl(lab(), NOBODY, `http://${NOBODY}/`, ['-H', `Host: ${NOBODY.toUpperCase()}.`]);
    expect(http.code).toBe(52);
  });

  it("a request for one site over a TLS session for another is misdirected (421), never served under the other's certificate", async () => {
    const across = await labCurl(lab(), ALPHA, `https://${ALPHA}/`, ['-H', `Host: ${BRAVO}`]);
    expect(across.body).not.toContain('web bravo');
    expect(across.status).toBe(421);
    const sameHost = await labCurl(lab(), ALPHA, `https://${ALPHA}/`, ['-H', `Host: ${ALPHA.toUpperCase()}`]);
    expect(`${sameHost.status} ${sameHost.body}`).toBe('200 web alpha');
    // A Host no site owns over a site's session reaches the default server: no answer at all.
    const nobody = await labCurl(lab(), ALPHA, `https://${ALPHA}/`, ['-H', `Host: ${NOBODY}`]);
    expect(nobody.code).toBe(52);
  });

  it('a name spelled another way (upper case, a trailing dot, Unicode) is the same site, never a second one', async () => {
    for (const [spelled, as] of [[`ALPHA.Lab.Test.`, ALPHA], ['bücher.lab.test', 'xn--bcher-kva.lab.test']] as const) {
      const r = await vsa(['site', 'provision', '--domain', spelled, '--container', 'bravo', '--port', '8080', '--limit', H, '--check']);
      expect(r.code, r.output).toBe(0);
      expect(r.results.map((e) => e.task)).toContain(`rollback point for ${as}`);
    }
    expect(await sh('ls /var/lib/vsa/sites')).toBe([ALPHA, BRAVO, ZULU].map((d) => `${d}.json`).join('\n'));
  });

  it("a site named as another site's www name is refused before anything changes", async () => {
    const before = await sh(`ls -A ${CONF} /var/lib/vsa/sites`);
    const domain = `www.${ZULU}`;
    const r = await vsa(['site', 'provision', '--domain', domain, '--container', 'bravo', '--port', '8080', '--no-www', '--limit', H]);
    expect(r.code, r.output).toBe(2);
    const failed = r.results.find((e) => e.status === 'failed');
    expect(failed?.task).toBe(`names of ${domain} are no other site's`);
    expect(failed?.message).toContain(`${domain} is already a name of site ${ZULU} on this host (/var/lib/vsa/sites/${ZULU}.json)`);
    expect(await sh(`ls -A ${CONF} /var/lib/vsa/sites`)).toBe(before);
    await expectServes(domain, 'zulu', ZULU);
  }, 60_000);

  it("a tenant stack whose service is named as another tenant's container is refused before it is uploaded, and the site keeps its visitors", async () => {
    const stacks = join(home, 'stacks');
    await mkdir(stacks, { recursive: true });
    expect((await runVsa(['stack', 'new', 'mallory', '--dir', stacks, '--image', WEB_IMAGE, '--port', '8080'], home)).code).toBe(0);
    const composePath = join(stacks, 'mallory', 'compose.yml');
    await writeFile(composePath, (await readFile(composePath, 'utf8')).replace('\n  app:\n', '\n  bravo:\n'));
    try {
      const up = await vsa(['stack', 'up', 'mallory', '--dir', stacks, '--limit', H, '--timeout', '30']);
      expect(up.code, up.output).toBe(2);
      expect(up.results.find((e) => e.status === 'failed')?.message).toContain(
        'service bravo of stack mallory would answer to the name bravo on flowbiz_ext, which container bravo answers to',
      );
      expect(await sh('podman ps -a --format "{{.Names}}" | grep -c mallory || true')).toBe('0');
      expect(await sh('ls -A /srv/flowbiz 2>/dev/null | grep -c mallory || true')).toBe('0');
      await expectServes(BRAVO, 'bravo');
    } finally {
      await sh('podman rm -f mallory-app >/dev/null 2>&1 || true');
    }
  }, 60_000);

  it("the same stack name for a second tenant is refused before anything is uploaded, and the first tenant's containers stay as they were", async () => {
    const stacks = join(home, 'stacks');
    await mkdir(stacks, { recursive: true });
    expect((await runVsa(['stack', 'new', 'shop', '--dir', stacks, '--image', WEB_IMAGE, '--port', '8080'], home)).code).toBe(0);
    const ids = () => sh('podman ps -aq --filter label=com.docker.compose.project=shop --no-trunc | sort');
    try {
      const first = await vsa(['stack', 'up', 'shop', '--tenant', 'acme', '--dir', stacks, '--limit', H, '--timeout', '30']);
      expect(first.code, first.output).toBe(0);
      const before = await ids();
      expect(before).not.toBe('');
      const second = await vsa(['stack', 'up', 'shop', '--tenant', 'evil', '--dir', stacks, '--limit', H, '--timeout', '30']);
      expect(second.code, second.output).toBe(2);
      expect(second.results.find((e) => e.status === 'failed')?.message).toContain(
        'stack shop is already deployed for another tenant (/srv/acme/shop): its compose project is also named shop',
      );
      expect(await ids()).toBe(before);
      expect(await sh('ls -A /srv/evil 2>/dev/null | wc -l')).toBe('0');
    } finally {
      await sh('podman rm -f $(podman ps -aq --filter label=com.docker.compose.project=shop) >/dev/null 2>&1; rm -rf /srv/acme /srv/evil');
    }
    await everyTenantServed();
  }, 120_000);

  it("a container started by hand with another site's name as its alias: re-provisioning that site refuses, naming it", async () => {
    await web('eve', `--network-alias ${BRAVO.split('.')[0]}`);
    try {
      const r = await vsa(['site', 'provision', '--domain', BRAVO, '--container', 'bravo', '--port', '8080', '--no-www', '--limit', H, '--check']);
      expect(r.code, r.output).toBe(2);
      expect(r.results.find((e) => e.status === 'failed')?.message).toContain(
        'container eve also answers to the name bravo on flowbiz_ext (a network alias)',
      );
    } finally {
      await sh('podman rm -f eve >/dev/null 2>&1 || true');
      await sleep(RESOLVE_MS);
    }
    await everyTenantServed();
  }, 60_000);

  it("a certificate directory planted as a link to another site's is never served for this site", async () => {
    await sh(`ln -s /etc/letsencrypt/live/${ALPHA} /etc/letsencrypt/live/${KILO}`);
    const args = ['site', 'provision', '--domain', KILO, '--container', 'kilo', '--port', '8080', '--limit', H];
    // certbot refuses the live directory the first time; the second time it saves KILO-0001 beside it.
    for (const attempt of [1, 2]) {
      const r = await vsa(args);
      expect(r.code, `attempt ${attempt}: ${r.output}`).toBe(2);
      expect(r.results.find((e) => e.status === 'failed')?.task).toBe(`certificate for ${KILO}`);
      expect(r.results.find((e) => e.task === `put ${KILO} back as it was`)?.status).toBe('changed');
      await expectRefused(KILO, 3000);
    }
    const last = await vsa(args);
    expect(last.results.find((e) => e.status === 'failed')?.message).toContain(`live/${KILO} (what the vhost serves) holds names ${ALPHA}, www.${ALPHA}, not ${KILO}, www.${KILO}`);
    await expectRefused(KILO, 3000);
    await everyTenantServed();
  }, 120_000);

  it('a full vhost directory during a change: the site serves what it did, and nothing is left behind', async () => {
    const before = await siteFiles(ALPHA);
    const free = await fillVhostDir();
    try {
      const r = await vsa(['site', 'provision', '--domain', ALPHA, '--container', 'bravo', '--port', '8080', '--limit', H]);
      expect(r.code, r.output).toBe(2);
      expect(r.results.find((e) => e.status === 'failed')?.message).toContain('No space left on device');
      expect(r.results.find((e) => e.task === `put ${ALPHA} back as it was`)?.status).toBe('changed');
    } finally {
      await free();
    }
    expect(await siteFiles(ALPHA)).toBe(before);
    await everyTenantServed();
  }, 60_000);

  it('kill -9 in the middle of a change, then a full disk: the next run never claims an undo it could not do; with space back it undoes it', async () => {
    const before = await siteFiles(BRAVO);
    const args = ['site', 'provision', '--domain', BRAVO, '--container', 'bravo', '--port', '8080', '--limit', H];
    // Adding www rewrites the HTTP vhost, then asks the CA: kill -9 while certbot runs.
    await killAt(args, `certificate for ${BRAVO}`, 300);
    expect(await sh(`grep -c www ${CONF}/${BRAVO}.http.conf`)).not.toBe('0');

    const free = await fillVhostDir();
    try {
      const retry = await vsa([...args, '--no-www']);
      expect(retry.code, retry.output).toBe(2);
      const begin = retry.results.find((e) => e.task === `rollback point for ${BRAVO}`);
      expect(begin?.status, retry.output).toBe('failed');
      expect(begin?.message).toContain(`could not put back: ${CONF}/${BRAVO}.http.conf; the snapshot ${SNAPSHOTS}/${BRAVO} is kept for the next run`);
      expect(await sh(`ls ${SNAPSHOTS}`)).toBe(BRAVO);
    } finally {
      await free();
    }
    const undo = await ok([...args, '--no-www']);
    expect(undo.results.find((e) => e.task === `rollback point for ${BRAVO}`)?.message).toBe(`rolled back an unfinished earlier change of ${BRAVO}`);
    expect(await siteFiles(BRAVO)).toBe(before);
    await everyTenantServed();
  }, 90_000);

  it('kill -9 of a new site at its certificate: its name gets no tenant content, and the next provision rolls back and finishes it', async () => {
    const args = ['site', 'provision', '--domain', LIMA, '--container', 'lima', '--port', '8080', '--limit', H];
    await killAt(args, `certificate for ${LIMA}`, 300);
    await expectRefused(LIMA, 3000);
    await everyTenantServed();

    const next = await ok(args);
    expect(next.results.find((e) => e.task === `rollback point for ${LIMA}`)?.message).toBe(`rolled back an unfinished earlier change of ${LIMA}`);
    await expectServes(LIMA, 'lima');
  }, 90_000);

  it('kill -9 of a renew while certbot runs: the next renew serves whatever certificate is on disk', async () => {
    await killAt(['cert', 'renew', '--force', '--domain', ALPHA, '--limit', H], `renew ${ALPHA}`, 1000);
    const next = await ok(['cert', 'renew', '--domain', ALPHA, '--limit', H]);
    expect(next.results.find((e) => e.status === 'failed')).toBeUndefined();
    await everyTenantServed();
  }, 90_000);
});
