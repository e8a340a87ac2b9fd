import { copy } from '../../modules/index.js';
import { PICK_DOCKER_CLI } from '../../modules/facts/docker.js';
import { inspectArray } from '../../modules/docker-inspect.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import { PROXY_NETWORK, siteRecordPath } from '../../site/paths.js';
import {
  networkContainer,
  parseSite,
  serializeSite,
  SiteRecordError,
  upstreamOf,
  type SiteConfig,
} from '../../site/site-config.js';
import { scriptRead } from './reads.js';

/** The recorded config of a site; with `required`, a site that is not provisioned fails the read. */
export const siteRecord = scriptRead({
  name: 'site record',
  script: ({ domain, required }: { domain: string; required: boolean }) => {
    const f = siteRecordPath(domain);
    const missing = required
      ? `echo ${quote(`site ${domain} is not provisioned on this host (no ${f})`)} >&2; exit 1`
      : 'exit 0';
    return `if [ -f ${quote(f)} ]; then cat -- ${quote(f)}; else ${missing}; fi`;
  },
  parse: (text, { host, arg }): SiteConfig | undefined =>
    text.trim() ? parseSite(text, siteRecordPath(arg.domain), host) : undefined,
});

export function readSiteTask(domain: string, required: boolean): Task {
  return siteRecord.task(`read the site record of ${domain}`, { domain, required });
}

export function recordedSiteOrFail(h: HostContext, domain: string): SiteConfig {
  const site = siteRecord.of(h);
  if (!site)
    throw new SiteRecordError(h.name, `site ${domain} is not provisioned (no ${siteRecordPath(domain)})`);
  return site;
}

export function recordSiteTask(
  name: string,
  site: (h: HostContext) => SiteConfig,
  opts: TaskOptions = {},
): Task {
  return task(
    copy,
    name,
    (h) => {
      const s = site(h);
      return { dest: siteRecordPath(s.domain), content: serializeSite(s), mode: '0644' };
    },
    opts,
  );
}

/**
 * The addresses of containers on the proxy network. NGINX runs on the host, where container names
 * do not resolve, so vhosts proxy to the container's address on `flowbiz_ext`.
 */
const containerAddressesScript = (names: string[]) =>
  names.length
    ? `${PICK_DOCKER_CLI}\n"$d" inspect --type container ${names.map(quote).join(' ')} 2>/dev/null || true`
    : 'true';

export const containerAddresses = scriptRead({
  name: 'container addresses',
  script: containerAddressesScript,
  parse: (stdout) => parseAddresses(stdout),
});

export function readAddressesTask(containers: (h: HostContext) => string[], opts: TaskOptions = {}): Task {
  return containerAddresses.task('read container addresses on the proxy network', containers, opts);
}

/** Container name → its IPv4 address on the proxy network, from `docker inspect` JSON. */
export function parseAddresses(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const j of inspectArray(stdout, 'containers')) {
    const nets = (j.NetworkSettings as { Networks?: Record<string, { IPAddress?: string }> } | undefined)
      ?.Networks;
    const ip = nets?.[PROXY_NETWORK]?.IPAddress;
    const name = typeof j.Name === 'string' ? j.Name.replace(/^\//, '') : '';
    if (name && ip) out.set(name, ip);
  }
  return out;
}

/** Where the site's vhost proxies to on this host, with its container's current address. */
export function siteUpstream(h: HostContext, site: SiteConfig): string {
  const container = networkContainer(site);
  // Undefined before the container is attached (a check run on a fresh host): the name stands in.
  const address = container ? containerAddresses.of(h).get(container) : undefined;
  return upstreamOf(site, address);
}

/** The containers of `sites` that NGINX reaches over the proxy network. */
export function networkContainers(sites: readonly SiteConfig[]): string[] {
  return sites.flatMap((s) => networkContainer(s) ?? []);
}

/** Each container's state as far as the proxy cares: running, and attached to the proxy network. */
export type ContainerStates = Map<string, { running: boolean; onNetwork: boolean }>;

export function parseContainerStates(stdout: string): ContainerStates {
  const seen: ContainerStates = new Map();
  for (const j of inspectArray(stdout, 'containers')) {
    const name = typeof j.Name === 'string' ? j.Name.replace(/^\//, '') : '';
    const state = j.State as { Running?: boolean } | undefined;
    const nets = (j.NetworkSettings as { Networks?: Record<string, unknown> } | undefined)?.Networks ?? {};
    if (name) seen.set(name, { running: state?.Running === true, onNetwork: PROXY_NETWORK in nets });
  }
  return seen;
}

/** The containers' states, by the same `docker inspect` as their addresses. */
export const containerStates = scriptRead({
  name: 'container states',
  script: (names: string[]) => containerAddressesScript(names),
  parse: (stdout) => parseContainerStates(stdout),
});

/**
 * Why each site's container cannot serve it: missing, stopped, or not on the proxy network. A site
 * with a reason is not rendered (its vhost could only fail `nginx -t` or answer 502); the reason
 * names the cause NGINX would hide.
 */
export function containerProblems(
  states: ContainerStates,
  sites: readonly SiteConfig[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const site of sites) {
    const c = networkContainer(site);
    const s = c ? states.get(c) : undefined;
    if (!c || (s?.running && s.onNetwork)) continue;
    out.set(
      site.domain,
      !s ? `container ${c} does not exist` : `container ${c} is not running on ${PROXY_NETWORK}`,
    );
  }
  return out;
}
