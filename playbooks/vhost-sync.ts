import { z } from 'zod';
import { nginxReload, shell } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import type { HostContext } from '../runner/playbook/types.js';
import { quote } from '../runner/shell/quote.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { nginxBaseTasks, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { readTask, stdoutOf } from './lib/reads.js';
import { containerProblems, networkContainers, readAddressesTask, siteUpstreams } from './lib/site-tasks.js';
import { nginxVhosts } from '../modules/nginx-vhosts.js';

const SITES = 'sites';
const SYNCED = 'synced';
const sitesOf = (h: HostContext) => parseSiteList(stdoutOf(h, SITES), h.name);
const brokenContainers = (h: HostContext) => containerProblems(h, sitesOf(h));
const synced = (h: HostContext) => h.results[SYNCED]?.data as { changed?: string[]; failed?: string[] } | undefined;

/** Every site that was not synced on this host, and why: its container, or NGINX's complaint. */
function problems(h: HostContext): string[] {
  const containers = [...brokenContainers(h)].map(([d, why]) => `${d}: ${why}; its vhosts were left as they are`);
  return [...containers, ...(synced(h)?.failed ?? [])];
}

/**
 * Re-renders every site recorded on each host from the current templates (and the containers'
 * current addresses), plus the shared snippets. Each site stands alone: a site whose container is
 * not running is not rendered, a site whose new vhosts fail `nginx -t` (tested on a copy of the
 * configuration first, in check mode too) is left as it was, and the other sites are synced and
 * served; the host then fails naming each site left behind and why. Only files whose bytes change
 * are written; NGINX reloads once per host, and only where something changed.
 */
export default definePlaybook({
  name: 'vhost-sync',
  description:
    'Re-render every recorded site’s vhosts from the templates, each site on its own; reload NGINX once per host where they changed',
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
        const broken = brokenContainers(h);
        return {
          confDir: NGINX_CONF_D,
          vhosts: sitesOf(h)
            .filter((site) => !broken.has(site.domain))
            .flatMap((site) => [
              { name: httpVhostName(site.domain), content: renderHttpVhost(site), site: site.domain },
              { name: httpsVhostName(site.domain), content: renderHttpsVhost(site, upstream(site)), site: site.domain },
            ]),
        };
      },
      // A site that failed must not hold back the others': they are reloaded below, then it is reported.
      { notify: [RELOAD], register: SYNCED, ignoreErrors: true },
    ),
    task(
      nginxReload,
      'reload nginx for the sites that were synced',
      {},
      { when: (h) => h.results[SYNCED]?.status === 'failed' && (synced(h)?.changed?.length ?? 0) > 0 },
    ),
    task(
      shell,
      'sites left as they were',
      (h) => ({ script: `printf '%s\\n' ${quote(problems(h).join('\n'))} >&2; exit 1`, checkSafe: true }),
      { when: (h) => problems(h).length > 0 },
    ),
  ],
  handlers: () => [reloadHandler()],
});
