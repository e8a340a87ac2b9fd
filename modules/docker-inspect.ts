/**
 * Parsing `docker inspect` / `docker network inspect` JSON as both engines print it. Docker capitalises
 * keys (`Name`, `Driver`, `Containers`) and prefixes container names with `/`; Podman 4's netavark
 * networks use lower-case keys (`name`, `driver`) and list no containers; both give a container's
 * networks as `NetworkSettings.Networks` keyed by network name, and health as `State.Health`
 * (Podman: `Status` "" when the container has no healthcheck).
 */
import { ProbeError } from './lib/errors.js';

export interface NetworkInfo {
  name: string;
  id: string;
  driver: string;
}

export interface ContainerInfo {
  id: string;
  name: string;
  /** `running`, `exited`, `created`, … */
  state: string;
  startedAt: string;
  /** `healthy`, `unhealthy`, `starting`; undefined without a healthcheck. */
  health?: string;
  labels: Record<string, string>;
  networks: string[];
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The JSON array an inspect printed; podman-docker may print a notice before it. */
export function inspectArray(text: string, what: string): Json[] {
  const at = text.indexOf('[');
  if (at < 0) return [];
  try {
    const v: unknown = JSON.parse(text.slice(at, text.lastIndexOf(']') + 1));
    return Array.isArray(v) ? v.map(obj) : [];
  } catch (err) {
    throw new ProbeError(what, 0, `unparsable inspect output: ${(err as Error).message}`);
  }
}

export function toNetwork(j: Json): NetworkInfo {
  return { name: str(j.Name ?? j.name), id: str(j.Id ?? j.id), driver: str(j.Driver ?? j.driver) };
}

export function toContainer(j: Json): ContainerInfo {
  const state = obj(j.State);
  const health = str(obj(state.Health ?? state.Healthcheck).Status);
  return {
    id: str(j.Id),
    name: str(j.Name).replace(/^\//, ''),
    state: str(state.Status),
    startedAt: str(state.StartedAt),
    ...(health ? { health } : {}),
    labels: Object.fromEntries(Object.entries(obj(obj(j.Config).Labels)).map(([k, v]) => [k, str(v)])),
    networks: Object.keys(obj(obj(j.NetworkSettings).Networks)),
  };
}

/** "not found" from either engine, as opposed to a daemon that cannot be reached. */
export function isNotFound(text: string): boolean {
  return /no such|not found|unable to find/i.test(text);
}

/** Docker's embedded DNS, which containers on a user-defined network ask for each other's names. */
export const DOCKER_EMBEDDED_DNS = '127.0.0.11';

/**
 * The address where containers on a network look up each other's names: Docker's embedded DNS,
 * or (Podman with netavark) aardvark-dns on the network's IPv4 gateway. Undefined when the network
 * answers no names (Podman with `dns_enabled: false`).
 */
export function networkDns(j: Json): string | undefined {
  const subnets = j.subnets;
  if (!Array.isArray(subnets)) return DOCKER_EMBEDDED_DNS;
  if (j.dns_enabled !== true) return undefined;
  return subnets.map((s) => str(obj(s).gateway)).find((g) => /^\d+\.\d+\.\d+\.\d+$/.test(g));
}
