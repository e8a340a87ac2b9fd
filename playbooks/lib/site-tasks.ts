import { copy } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import { siteRecordPath } from '../../runner/site/paths.js';
import { proxyMode } from '../../runner/site/proxy-mode.js';
import {
  parseSite,
  serializeSite,
  SiteRecordError,
  upstreamOf,
  type SiteConfig,
  type Upstream,
} from '../../runner/site/site-config.js';
import { readTask, stdoutOf } from './reads.js';

const SITE = 'site';

/** Reads the recorded config of `domain`; with `required`, a site that is not provisioned fails here. */
export function readSiteTask(domain: string, required: boolean): Task {
  const f = siteRecordPath(domain);
  const missing = required
    ? `echo ${quote(`site ${domain} is not provisioned on this host (no ${f})`)} >&2; exit 1`
    : 'exit 0';
  return readTask(
    `read the site record of ${domain}`,
    `if [ -f ${quote(f)} ]; then cat -- ${quote(f)}; else ${missing}; fi`,
    SITE,
  );
}

export function recordedSite(h: HostContext, domain: string): SiteConfig | undefined {
  const text = stdoutOf(h, SITE);
  return text.trim() ? parseSite(text, siteRecordPath(domain), h.name) : undefined;
}

export function recordedSiteOrFail(h: HostContext, domain: string): SiteConfig {
  const site = recordedSite(h, domain);
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
