/**
 * certbot: issue (HTTP-01 webroot), renew and status of Let's Encrypt (or any ACME) certificates.
 * The read step is `openssl x509` on the live certificates (one round trip); status never writes.
 * Issue and renew run certbot, then read the certificates again in the same write step, so the task
 * is `changed` only when a certificate file's fingerprint really changed (certbot may keep one).
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script, toShell, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import type { ExecResult } from '../runner/connection/types.js';
import type { Outcome, Plan } from '../runner/module/types.js';
import { hostname } from './hostname.js';
import { dnsFailureMessage, dnsFailures, dnsResolver, newToken, preflightScript, resolveNames, type ResolveA } from './acme-preflight.js';
import { describeCertbotFailure } from './certbot-errors.js';
import {
  describeCert,
  isCertInfo,
  parseCerts,
  readCerts,
  readCertsScript,
  type CertInfo,
  type CertMap,
} from './certbot-cert.js';

export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

const common = {
  configDir: z.string().startsWith('/').default('/etc/letsencrypt'),
  /** CA bundle that verifies the ACME server (a private one such as Pebble); sets REQUESTS_CA_BUNDLE. */
  caBundle: z.string().startsWith('/').optional(),
  /** A certificate with fewer days left is due. */
  renewBeforeDays: z.number().int().min(0).default(30),
  /** More certbot options (e.g. `--work-dir`), each one argument. */
  extraArgs: z.array(z.string()).default([]),
};

const params = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('issue'),
    domain: hostname,
    www: z.boolean().default(false),
    extraDomains: z.array(hostname).default([]),
    certName: hostname.optional(),
    webroot: z.string().startsWith('/').default('/var/www/html'),
    server: z.url().default(LETS_ENCRYPT),
    email: z.email(),
    /** Prove every name reaches the webroot over HTTP before ordering (see acme-preflight.ts). */
    preflight: z.boolean().default(true),
    /** The DNS server the preflight resolves names with (`IP` or `IP:PORT`); default the system's. */
    dnsServer: z.string().min(1).optional(),
    ...common,
  }),
  z.object({ action: z.literal('renew'), domain: hostname.optional(), force: z.boolean().default(false), ...common }),
  z.object({ action: z.literal('status'), domain: hostname.optional(), configDir: common.configDir }),
]);
export type CertbotParams = z.output<typeof params>;
type Issue = Extract<CertbotParams, { action: 'issue' }>;
type Renew = Extract<CertbotParams, { action: 'renew' }>;

export function issueNames(p: Issue): string[] {
  return [...new Set([p.domain, ...(p.www ? [`www.${p.domain}`] : []), ...p.extraDomains])];
}

/** Certificate names the read step looks at; empty means all of them. */
function certNames(p: CertbotParams): string[] {
  if (p.action === 'issue') return [p.certName ?? p.domain];
  return p.domain ? [p.domain] : [];
}

function certbotArgv(p: Issue | Renew, args: string[]): string[] {
  const env = p.caBundle ? ['env', `REQUESTS_CA_BUNDLE=${p.caBundle}`] : [];
  const dir = p.configDir === '/etc/letsencrypt' ? [] : ['--config-dir', p.configDir];
  return [...env, 'certbot', ...args, ...dir, ...p.extraArgs];
}

/** `--force-renewal` when the certificate is due by our own count, so certbot's threshold never overrides it. */
export function issueCommand(p: Issue, forceRenewal: boolean): Command {
  const args = ['certonly', '--webroot', '-w', p.webroot, ...issueNames(p).flatMap((d) => ['-d', d])];
  args.push('--cert-name', p.certName ?? p.domain, '--server', p.server, '--agree-tos', '-m', p.email);
  args.push('--non-interactive', forceRenewal ? '--force-renewal' : '--keep-until-expiring');
  return argv(...certbotArgv(p, args));
}

export function renewCommand(p: Renew, name: string): Command {
  return argv(...certbotArgv(p, ['renew', '--cert-name', name, '--force-renewal', '--non-interactive']));
}

/** Renews each due certificate, going on after a failure, and fails at the end naming the ones that failed. */
function renewAll(p: Renew, names: string[]): Command {
  const lines = ['failed='];
  for (const n of names) {
    lines.push(`${toShell(renewCommand(p, n))} || failed="$failed "${quote(n)}`);
  }
  lines.push(readCertsScript(p.configDir, names), `if [ -n "$failed" ]; then echo "renewal failed for:$failed" >&2; exit 1; fi`);
  return script(lines.join('\n'));
}

function isDue(c: CertInfo, days: number): boolean {
  return c.daysLeft <= days;
}

/** Compares fingerprints before and after the write step: changed only when a file really changed. */
function resultFrom(before: CertMap, message: (changed: CertInfo[]) => string) {
  return (res: ExecResult): Outcome => {
    const after = parseCerts(res.stdout);
    const changed = [...after.values()].filter(isCertInfo).filter((c) => {
      const was = before.get(c.name);
      return !isCertInfo(was) || was.fingerprint !== c.fingerprint;
    });
    const data = { certificates: [...after.values()].filter(isCertInfo), renewed: changed.map((c) => c.name) };
    if (res.code !== 0)
      return { status: 'failed', message: describeCertbotFailure(res.stdout, res.stderr, `certbot exited ${res.code}`), data };
    return { status: changed.length > 0 ? 'changed' : 'ok', message: message(changed), data };
  };
}

/** The preflight's write-step script, or why it fails already (a name DNS does not resolve). */
async function preflight(p: Issue, resolve: ResolveA): Promise<{ script: string } | { fail: string }> {
  const resolved = await resolveNames(issueNames(p), resolve, p.dnsServer);
  const failures = dnsFailures(resolved);
  if (failures.length) return { fail: dnsFailureMessage(failures) };
  const targets = resolved.map((r) => ({ name: r.name, address: r.address! }));
  return { script: preflightScript(p.webroot, newToken(), targets) };
}

export async function planIssue(p: Issue, certs: CertMap, resolve: ResolveA = dnsResolver(p.dnsServer)): Promise<Plan> {
  const name = p.certName ?? p.domain;
  const cert = certs.get(name);
  if (cert && !isCertInfo(cert)) return { commands: [], fail: cert.error };
  const names = issueNames(p);
  const missing = cert ? names.filter((n) => !cert.sans.includes(n)) : names;
  if (cert && missing.length === 0 && !isDue(cert, p.renewBeforeDays)) {
    return { commands: [], message: describeCert(cert), data: { ...cert } };
  }
  const why = !cert ? 'issue' : missing.length > 0 ? `add ${missing.join(', ')} to` : `renew (${cert.daysLeft} days left)`;
  const force = !!cert && missing.length === 0;
  const check = p.preflight ? await preflight(p, resolve) : undefined;
  if (check && 'fail' in check) return { commands: [], fail: check.fail };
  return {
    commands: [...(check ? [script(check.script)] : []), issueCommand(p, force), readCerts(p.configDir, [name])],
    message: `${why} certificate ${name}`,
    result: coveringAll(
      names,
      name,
      p.configDir,
      resultFrom(certs, (c) => (c[0] ? `certificate ${name}: ${describeCert(c[0])}` : `certbot kept certificate ${name}`)),
    ),
  };
}

/**
 * The vhost serves `live/NAME`, so that is what must cover the names once certbot is done. certbot
 * can succeed and leave it on other names: a `live/NAME` it has no renewal record of (planted,
 * restored, another site's) makes it save the new certificate as `NAME-0001` beside it.
 */
function coveringAll(names: string[], name: string, configDir: string, outcome: (res: ExecResult) => Outcome) {
  return (res: ExecResult): Outcome => {
    const out = outcome(res);
    if (out.status === 'failed') return out;
    const cert = parseCerts(res.stdout).get(name);
    const missing = isCertInfo(cert) ? names.filter((n) => !cert.sans.includes(n)) : names;
    if (missing.length === 0) return out;
    const holds = isCertInfo(cert) ? `names ${cert.sans.join(', ') || '(none)'}` : 'no certificate';
    return {
      status: 'failed',
      message: `certbot ran, but ${configDir}/live/${name} (what the vhost serves) holds ${holds}, not ${missing.join(', ')}: remove it (certbot may have saved the new certificate as ${name}-0001) and provision again`,
      data: out.data,
    };
  };
}

function planRenew(p: Renew, certs: CertMap): Plan {
  const bad = [...certs].find(([, c]) => c !== null && !isCertInfo(c));
  if (bad) return { commands: [], fail: `${bad[0]}: ${(bad[1] as { error: string }).error}` };
  if (p.domain && !certs.get(p.domain)) return { commands: [], fail: `no certificate named ${p.domain}` };
  const due = [...certs.values()].filter(isCertInfo).filter((c) => p.force || isDue(c, p.renewBeforeDays));
  if (due.length === 0) return { commands: [], message: 'nothing is due', data: { renewed: [] } };
  const names = due.map((c) => c.name);
  return {
    commands: [renewAll(p, names)],
    message: `renew ${names.join(', ')}`,
    result: resultFrom(certs, (c) => (c.length ? `renewed ${c.map((x) => x.name).join(', ')}` : 'certbot renewed nothing')),
  };
}

function planStatus(domain: string | undefined, certs: CertMap): Plan {
  const list = [...certs.values()].filter(isCertInfo);
  const errors = [...certs].filter(([, c]) => c !== null && !isCertInfo(c));
  if (errors.length > 0) return { commands: [], fail: errors.map(([n, c]) => `${n}: ${(c as { error: string }).error}`).join('; ') };
  if (domain) {
    const c = list[0];
    return c
      ? { commands: [], message: describeCert(c), data: { present: true, ...c } }
      : { commands: [], message: `no certificate named ${domain}`, data: { present: false, name: domain } };
  }
  const message = list.length ? list.map((c) => `${c.name}: ${c.notAfter.slice(0, 10)} (${c.daysLeft} days)`).join('; ') : 'no certificates';
  return { commands: [], message, data: { certificates: list } };
}

export const certbot = defineModule({
  name: 'certbot',
  description: 'Issue (HTTP-01 webroot), renew and report ACME certificates, read from the certificate files',
  params,
  read: (p) => ({ command: readCerts(p.configDir, certNames(p)), parse: (res) => parseCerts(res.stdout) }),
  plan(p, certs: CertMap) {
    if (p.action === 'issue') return planIssue(p, certs);
    if (p.action === 'renew') return planRenew(p, certs);
    return planStatus(p.domain, certs);
  },
});
