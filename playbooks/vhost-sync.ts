import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import type { HostContext } from '../runner/playbook/types.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { nginxBaseTasks, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { readTask, stdoutOf } from './lib/reads.js';
import { networkContainers, readAddressesTask, siteUpstreams } from './lib/site-tasks.js';
import { nginxVhosts } from '../modules/nginx-vhosts.js';

const SITES = 'sites';
const sitesOf = (h: HostContext) => parseSiteList(stdoutOf(h, SITES), h.name);

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
    readTask('read the site records', LIST_SITES_SCRIPT, SITES),
    readAddressesTask((h) => networkContainers(sitesOf(h))),
    task(
      nginxVhosts,
      're-render the vhosts',
      (h) => {
        const upstream = siteUpstreams(h);
        return {
          confDir: NGINX_CONF_D,
          vhosts: sitesOf(h).flatMap((site) => [
            { name: httpVhostName(site.domain), content: renderHttpVhost(site) },
            { name: httpsVhostName(site.domain), content: renderHttpsVhost(site, upstream(site)) },
          ]),
        };
      },
      { notify: [RELOAD] },
    ),
  ],
  handlers: () => [reloadHandler()],
});
