import { z } from 'zod';
import { apt, directory, dockerNetwork, file } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import type { HostContext } from '../runner/playbook/types.js';
import { flag } from '../site/params.js';
import { DEFAULT_SERVER_FILE, NGINX_CONF_D, PROXY_NETWORK, SRV_DIR } from '../site/paths.js';
import { proxyMode } from '../site/proxy-mode.js';
import { renderDefaultServers } from '../site/vhost.js';
import { confFileTask, nginxBaseTasks, RELOAD, reloadHandler } from './lib/nginx-tasks.js';
import { proxyStackTasks } from './lib/proxy-stack.js';

const pkg = z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, 'a Debian package name');

const params = z.object({
  packages: flag(true).describe('install the packages (false where they are already there, e.g. the lab)'),
  packageList: z
    .array(pkg)
    .default(['certbot', 'openssl', 'curl', 'docker.io', 'docker-compose'])
    .describe('what a vsa host needs: certbot, openssl, curl (the ACME preflight), a container engine and compose (and nginx in host mode)'),
});

const inHostMode = (h: HostContext) => proxyMode(h.vars, h.name) === 'host';
/** Debian's own default site also claims `default_server` on 80: only one server may. */
const DEBIAN_DEFAULT_SITE = '/etc/nginx/sites-enabled/default';

/**
 * Prepares a fresh VPS for vsa: packages, the directories of the seed's layout, the shared
 * `flowbiz_ext` network, the security-headers snippet, the rate-limit zone and the default servers
 * that answer names no site owns. The reverse proxy is the reverse-proxy stack's NGINX in a
 * container on flowbiz_ext (inventory var `proxy_mode`, default `container`), or the host's own
 * NGINX (`proxy_mode: host`).
 */
export default definePlaybook({
  name: 'bootstrap',
  description:
    'Prepare a fresh VPS: packages, directories, flowbiz_ext network, NGINX config, default servers, the reverse-proxy container',
  hosts: 'all',
  params,
  tasks: (p) => [
    ...(p.packages
      ? [
          task(apt, 'packages', { name: p.packageList, updateCache: true, cacheValidTime: 3600 }),
          task(apt, 'nginx on the host', { name: ['nginx'] }, { when: inHostMode }),
        ]
      : []),
    task(directory, `directory ${SRV_DIR}`, { path: SRV_DIR, mode: '0755' }),
    task(directory, `directory ${NGINX_CONF_D}`, { path: NGINX_CONF_D, mode: '0755' }),
    ...nginxBaseTasks(),
    confFileTask('default servers for names no site owns', DEFAULT_SERVER_FILE, renderDefaultServers()),
    task(
      file,
      "remove Debian's default site",
      { path: DEBIAN_DEFAULT_SITE, state: 'absent' },
      { when: inHostMode, notify: [RELOAD] },
    ),
    task(dockerNetwork, `network ${PROXY_NETWORK}`, { name: PROXY_NETWORK }),
    ...proxyStackTasks(),
  ],
  handlers: () => [reloadHandler()],
});
