import { z } from 'zod';
import { file, htpasswd } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../runner/playbook/types.js';
import { quote } from '../runner/shell/quote.js';
import { authUser, domain } from '../site/params.js';
import { htpasswdPath } from '../site/paths.js';
import { nginxGroup, reloadHandler } from './lib/nginx-tasks.js';
import { scriptRead } from './lib/reads.js';
import { siteVhostTask } from './lib/site-vhost.js';
import { readSiteTask, recordedSiteOrFail, recordSiteTask } from './lib/site-tasks.js';
import { allOrNothing, siteRescue } from './lib/site-rollback.js';

const params = z.object({
  domain: domain.describe('a provisioned site'),
  user: authUser
    .optional()
    .describe(
      'remove only this user (basic auth stays on for the others; removing the last one turns it off); without it, basic auth is turned off',
    ),
});

/** The user names in a site's htpasswd file; none when it does not exist. */
export const authUsers = scriptRead({
  name: 'basic-auth users',
  script: (file: string) => `cut -d: -f1 -- ${quote(file)} 2>/dev/null || true`,
  parse: (stdout) => stdout.split('\n').filter((u) => u !== ''),
});

/** The vhost re-rendered without auth first, so no request ever meets a vhost whose file is gone. */
function authOffTasks(domain: string, why: string, opts: TaskOptions = {}): Task[] {
  return [
    siteVhostTask(`HTTPS vhost without basic auth${why}`, domain, false, opts),
    recordSiteTask(
      `record no basic auth on the site${why}`,
      (h) => ({ ...recordedSiteOrFail(h, domain), auth: false }),
      opts,
    ),
    task(file, `remove the htpasswd file${why}`, { path: htpasswdPath(domain), state: 'absent' }, opts),
  ];
}

/**
 * With `user`: removes that one htpasswd entry, nothing else — unless no other user would be left:
 * an empty file would answer 401 to every request, so basic auth is turned off instead (and the
 * task names say so). Without `user`: basic auth is turned off.
 */
export default definePlaybook({
  name: 'remove-auth',
  description:
    'Remove a basic-auth user from a site (the last one turns basic auth off), or basic auth altogether',
  hosts: 'all',
  perDomain: { allowNew: false },
  params,
  tasks: (p) => {
    if (!p.user) return [readSiteTask(p.domain, true), ...allOrNothing(p.domain, authOffTasks(p.domain, ''))];
    const user = p.user;
    const file = htpasswdPath(p.domain);
    const othersLeft = (h: HostContext) => authUsers.of(h).some((u) => u !== user);
    return [
      readSiteTask(p.domain, true),
      authUsers.task('read the basic-auth users', file),
      ...allOrNothing(p.domain, [
        task(
          htpasswd,
          `remove htpasswd entry ${user}`,
          (h) => ({ path: file, user, state: 'absent' as const, group: nginxGroup(h) }),
          { when: othersLeft },
        ),
        ...authOffTasks(p.domain, ` (${user} was the last user: basic auth is off)`, {
          when: (h) => !othersLeft(h),
        }),
      ]),
    ];
  },
  handlers: () => [reloadHandler()],
  rescue: (p) => siteRescue(p.domain),
});
