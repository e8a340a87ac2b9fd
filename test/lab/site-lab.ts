import { $ } from 'zx';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import { script } from '../../runner/shell/command.js';
import type { Lab } from './lab.js';
import { curlResolveArgs, pointDomain } from './plugins/dns.js';
import { pebbleRootFile } from './plugins/pebble.js';
import { labInventoryHost } from './use-lab.js';

/** Points each domain at its lab host, for the CA (challtestsrv) and for curl. */
export async function pointDomains(lab: Lab, pairs: ReadonlyArray<readonly [domain: string, host: string]>): Promise<void> {
  for (const [d, h] of pairs) await pointDomain(lab.layout, d, lab.host(h).address, true);
}

/** Runs a script on a lab host over its own SSH connection. */
export async function labSh(lab: Lab, host: string, text: string) {
  const c = await openSsh(sshSettings(labInventoryHost(lab, host)));
  try {
    return await c.exec(script(text));
  } finally {
    await c.close();
  }
}

/**
 * `curl -i` of `url` with `domain` sent to the host it points at, trusting Pebble's root. `code` is
 * curl's exit code: 35 for a refused TLS handshake, 52 for a connection closed without a response.
 */
export async function labCurl(lab: Lab, domain: string, url: string, extra: string[] = []) {
  const resolve = await curlResolveArgs(lab.layout.dir, domain);
  const r = await $({ quiet: true, nothrow: true })`curl -sS -m 10 -i --cacert ${pebbleRootFile(lab.layout.dir)} ${resolve} ${extra} ${url}`;
  const status = Number(/^HTTP\/[\d.]+ (\d+)/.exec(r.stdout)?.[1] ?? 0);
  const body = r.stdout.split(/\r?\n\r?\n/).slice(1).join('\n\n').trim();
  return { status, text: r.stdout, body, code: r.exitCode };
}

/** The serial (`serial=HEX`) of the certificate `host` presents for SNI `domain`; empty when none. */
export async function labServedSerial(lab: Lab, host: string, domain: string): Promise<string> {
  const cmd = `openssl s_client -connect ${lab.host(host).address}:443 -servername ${domain} </dev/null 2>/dev/null | openssl x509 -noout -serial`;
  return (await $({ quiet: true, nothrow: true })`sh -c ${cmd}`).stdout.trim();
}
