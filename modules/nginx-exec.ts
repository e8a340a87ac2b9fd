/**
 * Where the nginx binary the NGINX modules call lives: on the host, or inside the container the
 * reverse proxy runs in (`docker exec CONTAINER nginx …`). The configuration files stay on the host
 * either way (bind-mounted into the container), so only the commands differ.
 */
import type { FactReader } from '../runner/module/types.js';
import { dockerFact } from './facts/docker.js';
import { nginxFact } from './facts/nginx.js';
import { dockerName } from './docker-network.js';

/** The module parameter: the container NGINX runs in; absent for a host NGINX. */
export const nginxContainerParam = dockerName
  .optional()
  .describe('the container NGINX runs in: `nginx -t` and reloads go through the engine’s exec');

export type NginxArgv = { argv: string[]; systemd: boolean } | { fail: string };

/** The argv prefix that runs nginx, or why it cannot run on this host. */
export async function nginxArgv(facts: FactReader, container: string | undefined): Promise<NginxArgv> {
  if (container) {
    const cli = (await facts.get(dockerFact)).cli;
    if (!cli) return { fail: `no container engine on this host to reach NGINX in ${container}` };
    return { argv: [cli, 'exec', container, 'nginx'], systemd: false };
  }
  const f = await facts.get(nginxFact);
  if (!f.bin) return { fail: 'nginx is not installed on this host' };
  return { argv: [f.bin], systemd: f.systemd };
}
