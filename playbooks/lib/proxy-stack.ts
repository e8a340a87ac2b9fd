import { join } from 'node:path';
import { copy, directory, dockerCompose } from '../../modules/index.js';
import { inspectArray, networkDns } from '../../modules/docker-inspect.js';
import { PICK_DOCKER_CLI } from '../../modules/facts/docker.js';
import { VsaError } from '../../runner/errors.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import {
  HTPASSWD_DIR,
  LETSENCRYPT_DIR,
  NGINX_CONF_D,
  PROXY_NETWORK,
  RESOLVER_FILE,
  SNIPPETS_DIR,
  SRV_DIR,
  WEBROOT,
} from '../../site/paths.js';
import { PROXY_IMAGE_VAR, proxyMode } from '../../site/proxy-mode.js';
import { renderResolver } from '../../site/vhost.js';
import { projectRoot } from '../../runner/util/package-info.js';
import { confFileTask } from './nginx-tasks.js';
import { scriptRead } from './reads.js';

/** The reverse-proxy stack as vsa ships it, and where bootstrap puts it on a host. */
const STACK = join(projectRoot, 'stacks', 'reverse-proxy');
const PROXY_STACK_DIR = `${SRV_DIR}/reverse-proxy`;
const PROXY_LOG_DIR = '/var/log/nginx';

/** Only on hosts whose proxy runs in its container (the default mode). */
const inContainerMode = (h: HostContext) => proxyMode(h.vars, h.name) === 'container';

/**
 * The stack's .env on the host: the container sees the host's own NGINX paths, so vsa writes
 * vhosts, snippets, htpasswd files, ACME challenges and certificates where a host NGINX would have
 * them, and the image can be replaced (a locally built one, where no registry is reachable).
 */
function proxyEnv(vars: Record<string, unknown>): string {
  const image = vars[PROXY_IMAGE_VAR];
  const lines = [
    '# Managed by vsa (bootstrap): the proxy container mounts the host paths vsa writes.',
    ...(typeof image === 'string' && image ? [`NGINX_IMAGE=${image}`] : []),
    `NGINX_CONF_DIR=${NGINX_CONF_D}`,
    `NGINX_SNIPPETS_DIR=${SNIPPETS_DIR}`,
    `HTPASSWD_DIR=${HTPASSWD_DIR}`,
    `WEBROOT_DIR=${WEBROOT}`,
    `LETSENCRYPT_DIR=${LETSENCRYPT_DIR}`,
    `LOG_DIR=${PROXY_LOG_DIR}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The engine's DNS address on the proxy network, from `docker network inspect`. */
export const engineDns = scriptRead({
  name: `engine DNS on ${PROXY_NETWORK}`,
  script: () => `${PICK_DOCKER_CLI}\n"$d" network inspect ${quote(PROXY_NETWORK)}`,
  parse: (stdout, { host }): string => {
    const net = inspectArray(stdout, `network ${PROXY_NETWORK}`)[0];
    if (!net) throw new VsaError(`${host}: network ${PROXY_NETWORK} does not exist yet`);
    const dns = networkDns(net);
    if (!dns)
      throw new VsaError(
        `${host}: network ${PROXY_NETWORK} answers no container names (DNS disabled): re-create it with DNS on`,
      );
    return dns;
  },
});

/**
 * The proxy container (stacks/reverse-proxy on flowbiz_ext, ports 80 and 443): the resolver for
 * container names, the directories it mounts, the stack and its .env, then `compose up`.
 */
export function proxyStackTasks(): Task[] {
  const when = inContainerMode;
  const dir = (path: string, mode = '0755') => task(directory, `directory ${path}`, { path, mode }, { when });
  return [
    engineDns.task(`read the engine's DNS on ${PROXY_NETWORK}`, undefined, { when }),
    confFileTask('resolver for container names', RESOLVER_FILE, (h) => renderResolver(engineDns.of(h)), { when }),
    dir(LETSENCRYPT_DIR),
    dir(PROXY_LOG_DIR),
    dir(PROXY_STACK_DIR),
    dir(`${PROXY_STACK_DIR}/env`, '0750'),
    task(copy, 'reverse-proxy stack', { src: join(STACK, 'compose.yml'), dest: `${PROXY_STACK_DIR}/compose.yml`, mode: '0644' }, { when }),
    task(
      copy,
      'reverse-proxy env file',
      (h) => ({ dest: `${PROXY_STACK_DIR}/env/.env`, content: proxyEnv(h.vars), mode: '0640' }),
      { when },
    ),
    task(
      dockerCompose,
      'compose up reverse-proxy',
      { action: 'up', projectDir: PROXY_STACK_DIR, projectName: 'reverse-proxy', envFile: 'env/.env' },
      { when },
    ),
  ];
}
