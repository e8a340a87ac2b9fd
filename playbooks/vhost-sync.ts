import { z } from 'zod';
import { nginxReload, shell } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { defineOutcome } from '../runner/playbook/outcome.js';
import type { HostContext } from '../runner/playbook/types.js';
import { quote } from '../runner/shell/quote.js';
import { NGINX_CONF_D, httpsVhostName, httpVhostName } from '../site/paths.js';
import { LIST_SITES_SCRIPT, parseSiteList } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { nginxBaseTasks, nginxTarget, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { scriptRead } from './lib/reads.js';
import { containerProblems, containerStates, proxiedContainers, siteUpstream } from './lib/site-tasks.js';
import { nginxVhosts } from '../modules/nginx-vhosts.js';

/** Every site recorded on the host. */
export const recordedSites = scriptRead({
  name: 'recorded sites',
  script: () => LIST_SITES_SCRIPT,
  parse: (stdout, { host }) => parseSiteList(stdout, host),
});
const synced = defineOutcome('vhost sync');
const brokenContainers = (h: HostContext) => containerProblems(h, containerStates.of(h), recordedSites.of(h));
const syncData = (h: HostContext) =>
  synced.of(h).data as { changed?: string[]; failed?: string[] } | undefined;

/** Every site that was not synced on this host, and why: its container, or NGINX's complaint. */
function problems(h: HostContext): string[] {
  const containers = [...brokenContainers(h)].map(
    ([d, why]) => `${d}: ${why}; its vhosts were left as they are`,
  );
  return [...containers, ...(syncData(h)?.failed ?? [])];
}

/**
 * Re-renders every site recorded on each host from the current templates, plus the shared
 * snippets. Vhosts name their containers (or a loopback port), so nothing here depends on where a
 * container happens to be running now. Each site stands alone: a site whose container is not
 * running is not rendered, a site whose new vhosts fail `nginx -t` (tested on a copy of the
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
    recordedSites.task('read the site records'),
    containerStates.task('read container states', (h) => proxiedContainers(h, recordedSites.of(h))),
    task(
      nginxVhosts,
      're-render the vhosts',
      (h) => {
        const broken = brokenContainers(h);
        return {
          confDir: NGINX_CONF_D,
          ...nginxTarget(h),
          vhosts: recordedSites
            .of(h)
            .filter((site) => !broken.has(site.domain))
            .flatMap((site) => [
              { name: httpVhostName(site.domain), content: renderHttpVhost(site), site: site.domain },
              {
                name: httpsVhostName(site.domain),
                content: renderHttpsVhost(site, siteUpstream(h, site)),
                site: site.domain,
              },
            ]),
        };
      },
      // A site that failed must not hold back the others': they are reloaded below, then it is reported.
      { notify: [RELOAD], keep: synced.keep, ignoreErrors: true },
    ),
    task(
      nginxReload,
      'reload nginx for the sites that were synced',
      nginxTarget,
      { when: (h) => synced.of(h).status === 'failed' && (syncData(h)?.changed?.length ?? 0) > 0 },
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
