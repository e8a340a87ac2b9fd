import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import type { LabLayout } from '../layout.js';
import { dnsEndpoints } from './dns.js';
import type { LabPlugin } from './types.js';

/** Where each host finds the CA of Pebble's own HTTPS listener (certbot's REQUESTS_CA_BUNDLE). */
export const ACME_CA_BUNDLE = '/var/lib/vsa/acme-ca.pem';

export interface AcmeEndpoints {
  /** The ACME directory URL playbooks get as `acme_directory`. */
  directory: string;
  /** Pebble's management API: `/roots/0` is the current root of the certificates it issues. */
  management: string;
}

/** Everything listens on the slot's bridge address, so labs of different slots never collide. */
export function acmeEndpoints(layout: LabLayout): AcmeEndpoints {
  const ip = layout.gateway;
  return {
    directory: `https://${ip}:14000/dir`,
    management: `https://${ip}:15000`,
  };
}

export const pebbleDir = (labDir: string) => `${labDir}/pebble`;
/** The CA that signed Pebble's listener certificate (trusted by certbot through the bundle). */
export const listenerCaFile = (labDir: string) => `${pebbleDir(labDir)}/listener-ca.pem`;
/** Pebble's issuing root, fetched at start: verify served certificates against it. */
export const pebbleRootFile = (labDir: string) => `${labDir}/pebble-root.pem`;

/**
 * Pebble and pebble-challtestsrv on the control side, for real certificates inside lab hosts.
 * Both run in a mount namespace file of the lab's slot, so the lab's teardown finds and kills them
 * like any host daemon, even after a crash.
 */
export function pebblePlugin(): LabPlugin {
  return {
    name: 'pebble',
    setupGlobal: (ctx) => startPebble(ctx.layout),
    async setupHost(host, ctx) {
      await mkdir(dirname(host.root + ACME_CA_BUNDLE), { recursive: true });
      await copyFile(listenerCaFile(ctx.layout.dir), host.root + ACME_CA_BUNDLE);
    },
    vars: (ctx) => acmeVars(ctx.layout),
  };
}

/** What playbooks are told about the lab's ACME server. */
export function acmeVars(layout: LabLayout): Record<string, unknown> {
  return {
    acme_directory: acmeEndpoints(layout).directory,
    acme_ca_bundle: ACME_CA_BUNDLE,
    // The DNS Pebble validates with: the preflight before an order resolves names there too.
    acme_dns_server: dnsEndpoints(layout).server,
  };
}

/** Pebble and its DNS on the slot's gateway, with a listener certificate of the lab's and its root fetched. */
export async function startPebble(layout: LabLayout): Promise<void> {
  const dir = pebbleDir(layout.dir);
  await mkdir(dir, { recursive: true });
  await makeListenerCert(dir, layout.gateway);
  await startAcme(layout, dir);
  await fetchPebbleRoot(layout);
}

/** Downloads Pebble's current root (new at every start) into `.lab/pebble-root.pem`. */
export async function fetchPebbleRoot(layout: LabLayout): Promise<string> {
  const ca = await readFile(listenerCaFile(layout.dir));
  const res = await httpsGet(`${acmeEndpoints(layout).management}/roots/0`, ca);
  if (res.status !== 200) throw new Error(`pebble /roots/0 answered ${res.status}`);
  await writeFile(pebbleRootFile(layout.dir), res.body);
  return res.body;
}

async function makeListenerCert(dir: string, ip: string): Promise<void> {
  const q = $({ quiet: true, cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await q`openssl req -x509 ${ec} -days 30 -subj ${'/CN=vsa lab ACME listener CA'} -keyout listener-ca.key -out listener-ca.pem`;
  await q`openssl req ${ec} -subj ${`/CN=${ip}`} -keyout listener.key -out listener.csr`;
  await writeFile(
    `${dir}/listener.ext`,
    `subjectAltName=IP:${ip}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  await q`openssl x509 -req -in listener.csr -CA listener-ca.pem -CAkey listener-ca.key -CAcreateserial -days 30 -extfile listener.ext -out listener.pem`;
}

async function startAcme(layout: LabLayout, dir: string): Promise<void> {
  const ep = acmeEndpoints(layout);
  const dns = dnsEndpoints(layout);
  const ip = layout.gateway;
  const config = {
    pebble: {
      listenAddress: `${ip}:14000`,
      managementListenAddress: `${ip}:15000`,
      certificate: `${dir}/listener.pem`,
      privateKey: `${dir}/listener.key`,
      httpPort: 80,
      tlsPort: 443,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  };
  await writeFile(`${dir}/pebble.json`, `${JSON.stringify(config, null, 2)}\n`);
  const nsFile = `${layout.mntDir}/acme`;
  await writeFile(nsFile, '');
  await $({ quiet: true })`unshare --mount=${nsFile} --propagation private true`;
  const enter = ['nsenter', `--mount=${nsFile}`, '--'];
  // Only the DNS part of challtestsrv: the hosts' own NGINX answers HTTP-01.
  const only = [
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-dns01',
    dns.server,
    '-defaultIPv4',
    ip,
    '-defaultIPv6',
    '',
  ];
  const dnsServer = spawnLogged(
    [...enter, 'pebble-challtestsrv', ...only, '-management', dns.management],
    `${dir}/challtestsrv.log`,
  );
  // No sleep before validations, no nonce rejections, and every order validated again (no reused
  // authorizations, as Pebble does at random by default): tests want speed and determinism.
  const env = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' };
  const pebble = spawnLogged(
    [...enter, 'pebble', '-config', `${dir}/pebble.json`, '-dnsserver', dns.server],
    `${dir}/pebble.log`,
    env,
  );
  const ca = await readFile(`${dir}/listener-ca.pem`);
  await waitUntil(async () => (await httpsGet(ep.directory, ca)).status === 200, [dnsServer, pebble], dir);
}

function spawnLogged(argv: readonly string[], log: string, env: Record<string, string> = {}): ChildProcess {
  const fd = openSync(log, 'a');
  const [cmd, ...args] = argv;
  const child = spawn(cmd!, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${argv.join(' ')}`);
  return child;
}

async function waitUntil(
  ready: () => Promise<boolean>,
  children: ChildProcess[],
  dir: string,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (children.some((c) => c.exitCode !== null || c.signalCode !== null)) {
      throw new Error(
        `ACME server exited at start (logs in ${dir}): ${await readFile(`${dir}/pebble.log`, 'utf8')}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`ACME server not ready after ${ms} ms (logs in ${dir})`);
    await sleep(50);
  }
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}
