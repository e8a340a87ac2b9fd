import type { Task } from '../../runner/playbook/types.js';
import { httpsVhostName } from '../../site/paths.js';
import { renderHttpsVhost } from '../../site/vhost.js';
import { vhostTask } from './nginx-tasks.js';
import { recordedSiteOrFail, siteUpstream } from './site-tasks.js';

/** Re-renders a recorded site's HTTPS vhost with basic auth on or off. */
export function siteVhostTasks(name: string, domain: string, auth: boolean): Task[] {
  return [
    vhostTask(name, httpsVhostName(domain), (h) => {
      const site = { ...recordedSiteOrFail(h, domain), auth };
      return renderHttpsVhost(site, siteUpstream(h, site));
    }),
  ];
}
