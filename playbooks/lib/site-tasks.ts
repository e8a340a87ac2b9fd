import { copy } from '../../modules/index.js';
import { PICK_DOCKER_CLI } from '../../modules/facts/docker.js';
import { inspectArray } from '../../modules/docker-inspect.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import { PROXY_NETWORK, siteRecordPath } from '../../site/paths.js';
import { proxyMode } from '../../site/proxy-mode.js';
import {
  parseSite,
  serializeSite,
  SiteRecordError,
  upstreamOf,
  type SiteConfig,
  type Upstream,
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

/** Where the site's vhost proxies to on this host, by the host's proxy mode. */
export const siteUpstream = (h: HostContext, site: SiteConfig): Upstream =>
  upstreamOf(site, proxyMode(h.vars, h.name));

/**
 * The containers of `sites` that the proxy container reaches by name on this host. A host NGINX
 * reaches published loopback ports only, so no container stands behind its vhosts' upstreams.
 */
export function proxiedContainers(h: HostContext, sites: readonly SiteConfig[]): string[] {
  if (proxyMode(h.vars, h.name) !== 'container') return [];
  return sites.flatMap((s) => s.container ?? []);
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

/** The containers' states, from `docker inspect`. */
export const containerStates = scriptRead({
  name: 'container states',
  script: (names: string[]) =>
    names.length
      ? `${PICK_DOCKER_CLI}\n"$d" inspect --type container ${names.map(quote).join(' ')} 2>/dev/null || true`
      : 'true',
  parse: (stdout) => parseContainerStates(stdout),
});

/**
 * Why each site's container cannot serve it: missing, stopped, or not on the proxy network. A site
 * with a reason is not rendered (it could only answer 502); the reason names the cause NGINX would
 * hide behind that 502.
 */
export function containerProblems(h: HostContext, states: ContainerStates, sites: readonly SiteConfig[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const site of sites) {
    const [c] = proxiedContainers(h, [site]);
    const s = c ? states.get(c) : undefined;
    if (!c || (s?.running && s.onNetwork)) continue;
    out.set(site.domain, !s ? `container ${c} does not exist` : `container ${c} is not running on ${PROXY_NETWORK}`);
  }
  return out;
}
