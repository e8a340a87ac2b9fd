import { z } from 'zod';
import { certbot } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { domain } from '../site/params.js';

const params = z.object({
  domain: domain.optional().describe('only this certificate'),
});

/**
 * Reads every certificate under /etc/letsencrypt/live (or one) from the certificate file itself:
 * issuer, not-after, days left, names. Changes nothing; the task's data holds the list.
 */
export default definePlaybook({
  name: 'cert-status',
  description: 'Per host and domain: certificate issuer, expiry and days left (read from the certificates)',
  hosts: 'all',
  params,
  tasks: (p) => [
    task(certbot, p.domain ? `certificate ${p.domain}` : 'certificates', {
      action: 'status',
      ...(p.domain ? { domain: p.domain } : {}),
    }),
  ],
});
