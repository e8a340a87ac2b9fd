import { z } from 'zod';
import { htpasswd } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { authUser, domain, secret } from '../site/params.js';
import { htpasswdPath } from '../site/paths.js';
import { siteVhostTask } from './lib/site-vhost.js';
import { nginxGroup, reloadHandler } from './lib/nginx-tasks.js';
import { readSiteTask, recordedSiteOrFail, recordSiteTask } from './lib/site-tasks.js';
import { allOrNothing, siteRescue } from './lib/site-rollback.js';

const params = z.object({
  domain: domain.describe('a provisioned site'),
  user: authUser.describe('the basic-auth user'),
  password: secret.describe(
    'the password (prompted, --password-file or VSA_AUTH_PASSWORD; never on the command line)',
  ),
});

/**
 * Adds or updates one bcrypt htpasswd entry (other users untouched) and turns basic auth on in the
 * site's HTTPS vhost, re-rendered from the site's record.
 */
export default definePlaybook({
  name: 'add-auth',
  description: 'Add a basic-auth user to a site (bcrypt htpasswd) and turn basic auth on in its vhost',
  hosts: 'all',
  perDomain: { allowNew: false },
  params,
  tasks: (p) => [
    readSiteTask(p.domain, true),
    ...allOrNothing(p.domain, [
      task(htpasswd, `htpasswd entry for ${p.user}`, (h) => ({
        path: htpasswdPath(p.domain),
        user: p.user,
        password: p.password,
        group: nginxGroup(h),
      })),
      recordSiteTask('record basic auth on the site', (h) => ({
        ...recordedSiteOrFail(h, p.domain),
        auth: true,
      })),
      siteVhostTask('HTTPS vhost with basic auth', p.domain, true),
    ]),
  ],
  handlers: () => [reloadHandler()],
  rescue: (p) => siteRescue(p.domain),
});
