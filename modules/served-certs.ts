/**
 * served_certs: the certificate NGINX serves for each live certificate's name (a TLS handshake per
 * SNI from the host itself) against the one on disk. A renewal that NGINX never reloaded for (a
 * failed or interrupted run) shows as `reload pending`; with `reload`, such a host is reloaded
 * (`nginx -t` first), so a certificate changed on disk is a certificate served. Read-only otherwise.
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import type { Plan } from '../runner/module/types.js';
import { script } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import { liveNamesList, parseOpensslDate } from './certbot-cert.js';
import { nginxFact } from './facts/nginx.js';
import { hostname } from './hostname.js';
import { nginxArgv, nginxContainerParam } from './nginx-exec.js';
import { reloadCommands } from './nginx-reload.js';

const params = z.object({
  configDir: z.string().startsWith('/').default('/etc/letsencrypt'),
  /** Only this certificate; default every one under `live/`. */
  domain: hostname.optional(),
  /**
   * Where NGINX listens for TLS, as seen from the host: a host NGINX, or the port a proxy
   * container publishes there. The handshake is made from the host either way, as a visitor's is.
   */
  connect: z.string().min(1).default('127.0.0.1:443'),
  /** Reload NGINX when a served certificate differs from the one on disk. */
  reload: z.boolean().default(false),
  /** Fail (exit 2) when a certificate has fewer days left, or is not the one served: for monitoring. */
  warnDays: z.number().int().min(0).optional(),
  nginxArgs: z.array(z.string()).default([]),
  /** The container NGINX runs in: the reload goes through the engine's exec. */
  container: nginxContainerParam,
});
export type ServedCertsParams = z.output<typeof params>;

export interface ServedCert {
  name: string;
  /** Hex serial of the certificate on disk. */
  serial: string;
  notAfter: string;
  daysLeft: number;
  /** Serial NGINX presents for the name; null when it presents none for it (no vhost, another site's). */
  servedSerial: string | null;
  reloadPending: boolean;
}

const MARK = '@@vsa-served';
const DAY_MS = 86_400_000;

/**
 * Per name: the on-disk serial and expiry, then `served.` + what the handshake for that SNI gives,
 * checked against the name (`-checkhost`) so another site's certificate never counts as served.
 */
export function servedCertsScript(p: Pick<ServedCertsParams, 'configDir' | 'domain' | 'connect'>): string {
  return [
    `live=${quote(`${p.configDir}/live`)}`,
    `for n in ${liveNamesList(p.domain ? [p.domain] : [])}; do`,
    `  echo "${MARK} $n"`,
    '  [ -e "$live/$n/cert.pem" ] || { echo absent; continue; }',
    '  openssl x509 -noout -serial -enddate -in "$live/$n/cert.pem" 2>/dev/null || echo "error=cannot read $live/$n/cert.pem"',
    `  pem=$(timeout 10 openssl s_client -servername "$n" -connect ${quote(p.connect)} </dev/null 2>/dev/null)`,
    '  printf \'%s\\n\' "$pem" | openssl x509 -noout -serial -checkhost "$n" 2>/dev/null | sed \'s/^/served./\'',
    'done',
  ].join('\n');
}

export function parseServedCerts(stdout: string, now = Date.now()): { certs: ServedCert[]; errors: string[] } {
  const certs: ServedCert[] = [];
  const errors: string[] = [];
  for (const block of stdout.split(`${MARK} `).slice(1)) {
    const [name = '', ...lines] = block.split('\n');
    const get = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1).trim();
    if (lines.includes('absent')) continue;
    const serial = get('serial');
    const end = get('notAfter');
    const notAfter = end ? parseOpensslDate(end) : undefined;
    if (!serial || !notAfter) {
      errors.push(`${name}: ${get('error') ?? 'unreadable openssl output'}`);
      continue;
    }
    // `-checkhost` prints "Hostname N does match certificate" or "… does NOT match …".
    const matches = lines.some((l) => l.startsWith('served.Hostname') && !/NOT match/.test(l));
    const servedSerial = matches ? (get('served.serial') ?? null) : null;
    certs.push({
      name: name.trim(),
      serial,
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now) / DAY_MS),
      servedSerial,
      reloadPending: servedSerial !== null && servedSerial !== serial,
    });
  }
  return { certs, errors };
}

export function describeServed(c: ServedCert): string {
  const served = c.servedSerial === null ? 'not served' : c.reloadPending ? `reload pending (serving ${c.servedSerial})` : 'served';
  return `${c.name}: serial ${c.serial}, expires ${c.notAfter.slice(0, 10)} (${c.daysLeft} days), ${served}`;
}

export const servedCerts = defineModule({
  name: 'served_certs',
  description: 'Compare the certificate NGINX serves per name with the one on disk; reload when they differ',
  params,
  facts: [nginxFact],
  read: (p) => ({ command: script(servedCertsScript(p)), parse: (res) => parseServedCerts(res.stdout) }),
  async plan(p, state: { certs: ServedCert[]; errors: string[] }, ctx): Promise<Plan> {
    const { certs, errors } = state;
    const data = { certificates: certs };
    const report = certs.length ? certs.map(describeServed).join('\n') : 'no certificates';
    if (errors.length) return { commands: [], fail: errors.join('; '), data };
    const pending = certs.filter((c) => c.reloadPending);
    if (p.warnDays !== undefined) {
      const low = certs.filter((c) => c.daysLeft < p.warnDays! || c.reloadPending);
      if (low.length) return { commands: [], fail: `${low.length} certificate(s) need attention:\n${low.map(describeServed).join('\n')}`, data };
    }
    if (!p.reload || pending.length === 0) return { commands: [], message: report, data };
    const nginx = await nginxArgv(ctx.facts, p.container);
    if ('fail' in nginx) return { commands: [], fail: nginx.fail, data };
    return {
      commands: reloadCommands(nginx, p.nginxArgs),
      message: `reloaded nginx to serve the certificates on disk of ${pending.map((c) => c.name).join(', ')}`,
      data,
    };
  },
});
