import { nginxPlugin } from './nginx.js';
import { pebblePlugin } from './pebble.js';
import { podmanPlugin } from './podman.js';
import { proxyPlugin } from './proxy.js';
import type { LabPlugin } from './types.js';

/** What a lab host can run besides sshd (which every lab has), in setup order. */
const FACTORIES = { nginx: nginxPlugin, podman: podmanPlugin, proxy: proxyPlugin, pebble: pebblePlugin } satisfies Record<
  string,
  () => LabPlugin
>;
export type PluginName = keyof typeof FACTORIES;
export const PLUGIN_NAMES = Object.keys(FACTORIES) as PluginName[];

export interface PluginChoice {
  /** Only these (plus sshd); `['sshd']` alone gives bare SSH hosts, as the benchmark wants. */
  only?: readonly string[];
  /**
   * Leave the container engine out. Podman costs about a second of CPU per host to set up, and
   * each host then runs conmon, a container and a healthcheck loop: fine for a few hosts, not 200.
   */
  containers?: boolean;
  /**
   * Where the hosts' reverse proxy runs (inventory var `proxy_mode`): `container` (the default:
   * the proxy image is imported, `vsa bootstrap` starts it) or `host` (NGINX started on each host;
   * the default without containers).
   * Never both: they would fight over ports 80 and 443.
   */
  proxy?: 'container' | 'host';
}

export function labPlugins(choice: PluginChoice = {}): LabPlugin[] {
  const unknown = (choice.only ?? []).filter((n) => n !== 'sshd' && !(n in FACTORIES));
  if (unknown.length)
    throw new Error(`unknown lab plugin ${unknown.join(', ')} (have sshd, ${PLUGIN_NAMES.join(', ')})`);
  const proxy = choice.proxy ?? (choice.containers === false ? 'host' : 'container');
  const notThisMode = proxy === 'host' ? 'proxy' : 'nginx';
  return PLUGIN_NAMES.filter((n) => (choice.only ? choice.only.includes(n) : n !== notThisMode))
    .filter((n) => choice.containers !== false || (n !== 'podman' && n !== 'proxy'))
    .map((n) => FACTORIES[n]());
}
