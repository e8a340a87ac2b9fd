import { z } from 'zod';
import { certbot, servedCerts } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { domain } from '../site/params.js';

const params = z.object({
  domain: domain.optional().describe('only this certificate'),
  warnDays: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('fail (exit 2) when a certificate has fewer days left or is not the one NGINX serves'),
});

/**
 * Reads every certificate under /etc/letsencrypt/live (or one) from the certificate file itself:
 * issuer, not-after, days left, names; then what NGINX serves for each name (a TLS handshake per SNI
 * from the host): serial, and `reload pending` where it is not the file on disk. Changes nothing.
 */
export default definePlaybook({
  name: 'cert-status',
  description:
    'Per host and domain: certificate issuer, expiry, days left and serial, and whether NGINX serves it (reload pending)',
  hosts: 'all',
  params,
  tasks: (p) => [
    task(certbot, p.domain ? `certificate ${p.domain}` : 'certificates', {
      action: 'status',
      ...(p.domain ? { domain: p.domain } : {}),
    }),
    task(servedCerts, 'served certificates', {
      ...(p.domain ? { domain: p.domain } : {}),
      ...(p.warnDays !== undefined ? { warnDays: p.warnDays } : {}),
    }),
  ],
});
