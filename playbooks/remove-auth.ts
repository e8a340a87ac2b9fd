import { z } from 'zod';
import { file, htpasswd } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { authUser, domain } from '../site/params.js';
import { htpasswdPath } from '../site/paths.js';
import { nginxGroup, reloadHandler } from './lib/nginx-tasks.js';
import { siteVhostTasks } from './lib/site-vhost.js';
import { readSiteTask, recordedSiteOrFail, recordSiteTask } from './lib/site-tasks.js';

const params = z.object({
  domain: domain.describe('a provisioned site'),
  user: authUser
    .optional()
    .describe('remove only this user (basic auth stays on); without it, basic auth is turned off'),
});

/**
 * With `user`: removes that one htpasswd entry, nothing else. Without: turns basic auth off — the
 * vhost is re-rendered without it, then the htpasswd file and the record's flag go.
 */
export default definePlaybook({
  name: 'remove-auth',
  description: 'Remove a basic-auth user from a site, or basic auth altogether',
  hosts: 'all',
  params,
  tasks: (p) =>
    p.user
      ? [
          readSiteTask(p.domain, true),
          task(htpasswd, `remove htpasswd entry ${p.user}`, (h) => ({
            path: htpasswdPath(p.domain),
            user: p.user!,
            state: 'absent' as const,
            group: nginxGroup(h),
          })),
        ]
      : [
          readSiteTask(p.domain, true),
          ...siteVhostTasks('HTTPS vhost without basic auth', p.domain, false),
          recordSiteTask('record no basic auth on the site', (h) => ({
            ...recordedSiteOrFail(h, p.domain),
            auth: false,
          })),
          task(file, 'remove the htpasswd file', { path: htpasswdPath(p.domain), state: 'absent' }),
        ],
  handlers: () => [reloadHandler()],
});
