import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import type { HostContext } from '../runner/playbook/types.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../runner/site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../runner/site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../runner/site/vhost.js';
import { nginxBaseTasks, nginxTarget, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { readTask, stdoutOf } from './lib/reads.js';
import { siteUpstream } from './lib/site-tasks.js';
import { nginxVhosts } from './lib/nginx-vhosts.js';

const SITES = 'sites';
const sitesOf = (h: HostContext) => parseSiteList(stdoutOf(h, SITES), h.name);

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
    readTask('read the site records', LIST_SITES_SCRIPT, SITES),
    task(
      nginxVhosts,
      're-render the vhosts',
      (h) => ({
        confDir: NGINX_CONF_D,
        ...nginxTarget(h),
        vhosts: sitesOf(h).flatMap((site) => [
          { name: httpVhostName(site.domain), content: renderHttpVhost(site) },
          { name: httpsVhostName(site.domain), content: renderHttpsVhost(site, siteUpstream(h, site)) },
        ]),
      }),
      { notify: [RELOAD] },
    ),
  ],
  handlers: () => [reloadHandler()],
});
