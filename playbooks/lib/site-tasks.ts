import { copy } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import { siteRecordPath } from '../../site/paths.js';
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
