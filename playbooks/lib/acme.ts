import { LETS_ENCRYPT } from '../../modules/certbot.js';
import type { HostContext } from '../../runner/playbook/types.js';
import { WEBROOT } from '../../site/paths.js';

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/**
 * The ACME server of a host from its inventory vars: `acme_directory` (default Let's Encrypt
 * production) and `acme_ca_bundle` (a private CA such as Pebble's), so playbooks carry no lab paths.
 */
export function acmeServer(h: HostContext): { server: string; caBundle?: string } {
  const caBundle = str(h.vars.acme_ca_bundle);
  return { server: str(h.vars.acme_directory) ?? LETS_ENCRYPT, ...(caBundle ? { caBundle } : {}) };
}

export function acmeArgs(h: HostContext, domain: string, email: string | undefined) {
  const dnsServer = str(h.vars.acme_dns_server);
  return {
    webroot: WEBROOT,
    email: email ?? str(h.vars.acme_email) ?? `admin@${domain}`,
    ...acmeServer(h),
    // The preflight resolves names as the CA will: `acme_dns_server`, else the system's DNS.
    ...(dnsServer ? { dnsServer } : {}),
  };
}
