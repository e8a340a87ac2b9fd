import type { ComposeFile, ComposeService } from './stack-lint/compose-schema.js';
import { serviceNetworks } from './stack-lint/compose-schema.js';
import { PROXY_NETWORK } from './paths.js';

/** A name one service of a stack answers to on the proxy network (the engine's DNS there). */
export interface ProxyName {
  service: string;
  name: string;
  /** The service's `container_name`: a site may proxy to it, it is this stack's own. */
  own: boolean;
}

type NetworkDef = NonNullable<ComposeFile['networks']>[string];

/** The engine's name of a compose network: `name:`, an external's own name, else PROJECT_KEY. */
function engineName(key: string, def: NetworkDef | undefined, project: string): string {
  if (def?.name) return def.name;
  const external = def?.external;
  if (external && typeof external === 'object' && external.name) return external.name;
  return external ? key : `${project}_${key}`;
}

/** The network keys a service joins; no `networks:` is Compose's `default`, `network_mode` none. */
function joinedKeys(svc: ComposeService): string[] {
  if (svc.network_mode) return [];
  const keys = serviceNetworks(svc);
  return keys.length ? keys : ['default'];
}

function aliasesOn(svc: ComposeService, key: string): string[] {
  if (!svc.networks || Array.isArray(svc.networks)) return [];
  const entry = svc.networks[key];
  const aliases = entry && typeof entry === 'object' ? (entry as { aliases?: unknown }).aliases : undefined;
  return Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Every name the stack's services take on the proxy network: the service name (Compose makes it an
 * alias on each network the service joins), its `container_name`, and its `aliases`. The proxy
 * resolves a site's container by name there, so each of these names is a claim on visitors.
 */
export function proxyNames(compose: ComposeFile, project: string): ProxyName[] {
  const out: ProxyName[] = [];
  for (const [service, svc] of Object.entries(compose.services)) {
    const containerName = typeof svc.container_name === 'string' ? svc.container_name : undefined;
    for (const key of joinedKeys(svc)) {
      if (engineName(key, compose.networks?.[key], project) !== PROXY_NETWORK) continue;
      const names = new Set([service, ...(containerName ? [containerName] : []), ...aliasesOn(svc, key)]);
      for (const name of names) out.push({ service, name, own: name === containerName });
    }
  }
  return out;
}
