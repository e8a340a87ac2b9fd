import { z } from 'zod';
import { command, file } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { domain, flag } from '../site/params.js';
import {
  htpasswdPath,
  httpsVhostName,
  httpVhostName,
  LETSENCRYPT_DIR,
  siteRecordPath,
} from '../site/paths.js';
import { reloadHandler, vhostAbsentTask } from './lib/nginx-tasks.js';
import { allOrNothing, siteRescue } from './lib/site-rollback.js';

const params = z.object({
  domain: domain.describe('the site domain'),
  removeCert: flag(false).describe('also delete the certificate (certbot delete)'),
});

/**
 * Takes a site away: both vhosts (NGINX is tested after each removal), its basic-auth file, its
 * record and, when asked, its certificate. The container and its network stay: they belong to the
 * stack. Removing what is already gone is `ok`.
 */
export default definePlaybook({
  name: 'unprovision-site',
  description:
    'Remove the vhosts, basic auth and record of a site (optionally its certificate), reload NGINX',
  hosts: 'all',
  perDomain: { allowNew: false },
  params,
  tasks: (p) => [
    ...allOrNothing(p.domain, [
      vhostAbsentTask('remove the HTTPS vhost', httpsVhostName(p.domain)),
      vhostAbsentTask('remove the HTTP vhost', httpVhostName(p.domain)),
      task(file, 'remove the basic-auth users', { path: htpasswdPath(p.domain), state: 'absent' }),
      task(file, 'remove the site record', { path: siteRecordPath(p.domain), state: 'absent' }),
    ]),
    // certbot delete cannot be undone: only once the site is gone as a whole.
    ...(p.removeCert
      ? [
          task(command, `delete the certificate of ${p.domain}`, {
            argv: ['certbot', 'delete', '--cert-name', p.domain, '--non-interactive'],
            removes: `${LETSENCRYPT_DIR}/live/${p.domain}`,
          }),
        ]
      : []),
  ],
  handlers: () => [reloadHandler()],
  rescue: (p) => siteRescue(p.domain),
});
