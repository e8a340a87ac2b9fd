import { z } from 'zod';
import { certbot } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { domain, flag } from '../site/params.js';
import { acmeServer } from './lib/acme.js';
import { RELOAD, reloadHandler } from './lib/nginx-tasks.js';

const params = z.object({
  force: flag(false).describe('renew even certificates that are not due'),
  domain: domain.optional().describe('only this certificate'),
  renewBeforeDays: z.coerce
    .number()
    .int()
    .min(0)
    .default(30)
    .describe('a certificate with fewer days left is due'),
});

/**
 * Renews the certificates that are due (or all with `force`). The certbot module compares
 * fingerprints before and after, so NGINX reloads only on hosts where a certificate really changed.
 * Runs daily from cron (`vsa cert install-cron`).
 */
export default definePlaybook({
  name: 'renew-certs',
  description: 'Renew the certificates that are due; reload NGINX only where a certificate changed',
  hosts: 'all',
  params,
  tasks: (p) => [
    task(
      certbot,
      p.domain ? `renew ${p.domain}` : 'renew due certificates',
      (h) => ({
        action: 'renew' as const,
        force: p.force,
        renewBeforeDays: p.renewBeforeDays,
        // certbot sleeps up to 8 minutes before a non-interactive renew; cron already spreads the runs.
        extraArgs: ['--no-random-sleep-on-renew'],
        ...(p.domain ? { domain: p.domain } : {}),
        ...(acmeServer(h).caBundle ? { caBundle: acmeServer(h).caBundle } : {}),
      }),
      { notify: [RELOAD] },
    ),
  ],
  handlers: () => [reloadHandler()],
});
