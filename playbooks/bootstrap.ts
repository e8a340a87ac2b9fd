import { z } from 'zod';
import { apt, directory, dockerNetwork } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { flag } from '../site/params.js';
import { PROXY_NETWORK, SRV_DIR } from '../site/paths.js';
import { nginxBaseTasks, reloadHandler } from './lib/nginx-tasks.js';

const pkg = z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/, 'a Debian package name');

const params = z.object({
  packages: flag(true).describe('install the packages (false where they are already there, e.g. the lab)'),
  packageList: z
    .array(pkg)
    .default(['nginx', 'certbot', 'openssl', 'docker.io', 'docker-compose'])
    .describe('what a vsa host needs: NGINX, certbot, openssl, a container engine and compose'),
});

/**
 * Prepares a fresh VPS for vsa: packages, the directories of the seed's layout, the shared
 * `flowbiz_ext` network, the security-headers snippet and the rate-limit zone. NGINX runs on the
 * host as the reverse proxy (installed here), so there is no separate reverse-proxy container.
 */
export default definePlaybook({
  name: 'bootstrap',
  description:
    'Prepare a fresh VPS: packages, directories, flowbiz_ext network, security headers and rate-limit config',
  hosts: 'all',
  params,
  tasks: (p) => [
    ...(p.packages
      ? [task(apt, 'packages', { name: p.packageList, updateCache: true, cacheValidTime: 3600 })]
      : []),
    task(directory, `directory ${SRV_DIR}`, { path: SRV_DIR, mode: '0755' }),
    ...nginxBaseTasks(),
    task(dockerNetwork, `network ${PROXY_NETWORK}`, { name: PROXY_NETWORK }),
  ],
  handlers: () => [reloadHandler()],
});
