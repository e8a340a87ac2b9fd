import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { nginxBaseTasks, nginxTarget, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { scriptRead } from './lib/reads.js';
import { siteUpstream } from './lib/site-tasks.js';
import { nginxVhosts } from '../modules/nginx-vhosts.js';

/** Every site recorded on the host. */
export const recordedSites = scriptRead({
  name: 'recorded sites',
  script: () => LIST_SITES_SCRIPT,
  parse: (stdout, { host }) => parseSiteList(stdout, host),
});

/**
 * Re-renders every site recorded on each host from the current templates, plus the shared
 * snippets. Vhosts name their containers (or a loopback port), so nothing here depends on where a
 * container happens to be running now. Only files whose bytes change are written; NGINX
 * reloads once per host, and only where something changed.
 */
export default definePlaybook({
  name: 'vhost-sync',
  description:
    'Re-render every recorded site’s vhosts from the templates; reload NGINX once per host where they changed',
  hosts: 'all',
  params: z.object({}),
  tasks: () => [
    ...nginxBaseTasks(),
    recordedSites.task('read the site records'),
    task(
      nginxVhosts,
      're-render the vhosts',
      (h) => ({
        confDir: NGINX_CONF_D,
        ...nginxTarget(h),
        vhosts: recordedSites.of(h).flatMap((site) => [
          { name: httpVhostName(site.domain), content: renderHttpVhost(site) },
          { name: httpsVhostName(site.domain), content: renderHttpsVhost(site, siteUpstream(h, site)) },
        ]),
      }),
      { notify: [RELOAD] },
    ),
  ],
  handlers: () => [reloadHandler()],
});
