import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { nginxBaseTasks, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { scriptRead } from './lib/reads.js';
import { networkContainers, readAddressesTask, siteUpstream } from './lib/site-tasks.js';
import { nginxVhosts } from '../modules/nginx-vhosts.js';

/** Every site recorded on the host. */
export const recordedSites = scriptRead({
  name: 'recorded sites',
  script: () => LIST_SITES_SCRIPT,
  parse: (stdout, { host }) => parseSiteList(stdout, host),
});

/**
 * Re-renders every site recorded on each host from the current templates (and the containers'
 * current addresses), plus the shared snippets. Only files whose bytes change are written; NGINX
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
    readAddressesTask((h) => networkContainers(recordedSites.of(h))),
    task(
      nginxVhosts,
      're-render the vhosts',
      (h) => ({
        confDir: NGINX_CONF_D,
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
