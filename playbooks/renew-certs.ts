import { z } from 'zod';
import { certbot, servedCerts, shell } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { defineOutcome } from '../runner/playbook/outcome.js';
import type { HostContext } from '../runner/playbook/types.js';
import { quote } from '../runner/shell/quote.js';
import { domain, flag } from '../site/params.js';
import { acmeServer } from './lib/acme.js';
import { nginxTarget } from './lib/nginx-tasks.js';

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

const renewal = defineOutcome('renewal');
const renewFailed = (h: HostContext) => renewal.of(h).status === 'failed';

/**
 * Renews the certificates that are due (or all with `force`), then makes NGINX serve what is on
 * disk: the served certificate of each name (a TLS handshake per SNI) is compared with the file and
 * NGINX reloads where they differ. That check runs even when a renewal failed, and it also repairs
 * an earlier run that renewed but never reloaded (interrupted, or failed before its handler), so a
 * certificate changed on disk is always the one served. A failed renewal still fails the host, last.
 * Runs daily from cron (`vsa cert install-cron`).
 */
export default definePlaybook({
  name: 'renew-certs',
  description:
    'Renew the certificates that are due; reload NGINX wherever a served certificate differs from the one on disk',
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
      // The failure is reported by the last task, after NGINX serves whatever did renew.
      { keep: renewal.keep, ignoreErrors: true },
    ),
    task(servedCerts, 'serve the certificates on disk (reload nginx where they differ)', (h) => ({
      reload: true,
      ...(p.domain ? { domain: p.domain } : {}),
      ...nginxTarget(h),
    })),
    task(
      shell,
      'renewal result',
      (h) => ({
        script: `printf '%s\\n' ${quote(renewal.of(h).message ?? 'renewal failed')} >&2; exit 1`,
      }),
      { when: renewFailed },
    ),
  ],
});
