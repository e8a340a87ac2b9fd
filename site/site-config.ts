import { z } from 'zod';
import { VsaError } from '../runner/errors.js';
import { recordedSiteSchema } from '../runner/store/host-status.js';
import { describeZodError } from '../runner/util/zod-message.js';
import { containerName, domain, port } from './params.js';
import { SITES_DIR } from './paths.js';
import type { ProxyMode } from './proxy-mode.js';

/**
 * What provision-site records on the host (`/var/lib/vsa/sites/DOMAIN.json`): enough to render the
 * site's vhosts again (vhost-sync, add-auth) and to find its pieces (unprovision). No timestamps,
 * so re-provisioning the same site leaves the file byte-identical.
 */
export const siteConfigSchema = recordedSiteSchema.extend({
  domain,
  container: containerName.optional(),
  port,
  externalPort: port.optional(),
});
export type SiteConfig = z.output<typeof siteConfigSchema>;

export class SiteRecordError extends VsaError {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(`${host}: ${message}`, 2);
  }
}

/** Stable key order and a trailing newline: the recorded file only changes when the site does. */
export function serializeSite(site: SiteConfig): string {
  const { version, domain: d, container, port: p, externalPort, www, auth } = site;
  return `${JSON.stringify({ version, domain: d, container, port: p, externalPort, www, auth }, null, 2)}\n`;
}

export function parseSite(text: string, where: string, host: string): SiteConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SiteRecordError(host, `${where}: not JSON (${(err as Error).message})`);
  }
  const r = siteConfigSchema.safeParse(value);
  if (!r.success) throw new SiteRecordError(host, describeZodError(r.error, where));
  return r.data;
}

const MARK = '@@vsa-site ';

/** Prints every recorded site as `@@vsa-site FILE` followed by its JSON; nothing when there is none. */
export const LIST_SITES_SCRIPT = [
  `for f in ${SITES_DIR}/*.json; do`,
  '  [ -f "$f" ] || continue',
  `  echo "${MARK}$f"`,
  '  cat -- "$f"',
  'done',
].join('\n');

export function parseSiteList(stdout: string, host: string): SiteConfig[] {
  return stdout
    .split(MARK)
    .slice(1)
    .map((block) => {
      const nl = block.indexOf('\n');
      return parseSite(block.slice(nl + 1), block.slice(0, nl).trim(), host);
    });
}

/**
 * Where NGINX sends a site's requests. `byName`: the container's name on the proxy network, looked
 * up when requests arrive (so a restarted or re-created container is found at its new address);
 * otherwise a port published on the host's loopback. Never a container's address.
 */
export interface Upstream {
  url: string;
  byName: boolean;
}

export function upstreamOf(site: SiteConfig, mode: ProxyMode): Upstream {
  if (mode === 'host') {
    if (site.externalPort === undefined)
      throw new VsaError(
        `site ${site.domain}: the host's NGINX reaches only ports published on loopback, and no external port is recorded: provision it again with --external-port PORT`,
      );
    return { url: `http://127.0.0.1:${site.externalPort}`, byName: false };
  }
  if (!site.container)
    throw new VsaError(
      `site ${site.domain}: the proxy container reaches sites by container name, and no container is recorded: provision it again with --container NAME --port PORT`,
    );
  return { url: `http://${site.container}:${site.port}`, byName: true };
}
