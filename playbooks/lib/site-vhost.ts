import type { Task, TaskOptions } from '../../runner/playbook/types.js';
import { httpsVhostName } from '../../site/paths.js';
import { renderHttpsVhost } from '../../site/vhost.js';
import { vhostTask } from './nginx-tasks.js';
import { networkContainers, readAddressesTask, recordedSiteOrFail, siteUpstream } from './site-tasks.js';

/**
 * Re-renders a recorded site's HTTPS vhost with basic auth on or off: the container's current
 * address (when proxied over the network), then the vhost.
 */
export function siteVhostTasks(name: string, domain: string, auth: boolean, opts: TaskOptions = {}): Task[] {
  return [
    readAddressesTask((h) => networkContainers([recordedSiteOrFail(h, domain)]), opts),
    vhostTask(name, httpsVhostName(domain), (h) => {
      const site = { ...recordedSiteOrFail(h, domain), auth };
      return renderHttpsVhost(site, siteUpstream(h, site));
    }, opts),
  ];
}
