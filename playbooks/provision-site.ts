import { z } from 'zod';
import { certbot, dockerNetwork, nginxReload } from '../modules/index.js';
import { PICK_DOCKER_CLI } from '../modules/facts/docker.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { defineOutcome } from '../runner/playbook/outcome.js';
import type { HostContext } from '../runner/playbook/types.js';
import { quote } from '../runner/shell/quote.js';
import { containerName, domain, flag, port } from '../site/params.js';
import { httpsVhostName, httpVhostName, PROXY_NETWORK } from '../site/paths.js';
import { PROXY_MODE_VAR, proxyMode, type ProxyMode } from '../site/proxy-mode.js';
import type { SiteConfig } from '../site/site-config.js';
import { renderHttpsVhost, renderHttpVhost } from '../site/vhost.js';
import { acmeArgs } from './lib/acme.js';
import { nginxBaseTasks, nginxTarget, reloadHandler, vhostTask } from './lib/nginx-tasks.js';
import { scriptRead } from './lib/reads.js';
import { containerRunningTask, siteNamesFreeTask } from './lib/name-claims.js';
import { allOrNothing, siteRescue } from './lib/site-rollback.js';
import { readSiteTask, recordSiteTask, siteRecord, siteUpstream } from './lib/site-tasks.js';

const params = z
  .object({
    domain: domain.describe('the site domain, e.g. shop.example.com'),
    container: containerName.optional().describe('the container serving the site'),
    port: port.optional().describe("the container's port"),
    detect: flag(false).describe('proxy to the host port the container publishes for `port`'),
    externalPort: port
      .optional()
      .describe('proxy to 127.0.0.1 on this (published) port instead of the container network'),
    noWww: flag(false).describe('no www. alias'),
    email: z
      .email()
      .optional()
      .describe('ACME account e-mail (default: inventory var acme_email, else admin@DOMAIN)'),
  })
  .superRefine((p, ctx) => {
    const need = (field: 'container' | 'port', why: string) => {
      if (p[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `is required ${why}` });
    };
    if (p.detect) {
      need('container', 'with detect');
      need('port', 'with detect');
    } else if (p.externalPort === undefined) {
      need('container', 'unless externalPort is given');
      need('port', 'unless externalPort is given');
    }
  });
type Params = z.output<typeof params>;

/**
 * The host port a container publishes for one of its ports. `docker port C P` prints
 * `0.0.0.0:8090` (and `[::]:8090`); the probe keeps the port, checked against `expect`.
 */
export const publishedPort = scriptRead({
  name: 'published port',
  script: ({ container, port, expect }: { container: string; port: number; expect: number | undefined }) =>
    [
      PICK_DOCKER_CLI,
      `out=$("$d" port ${quote(container)} ${port}) || exit 1`,
      'hp=$(printf "%s\\n" "$out" | head -n 1); hp=${hp##*:}',
      expect === undefined
        ? ''
        : `[ "$hp" = ${expect} ] || { echo "container ${container} publishes port ${port} on host port $hp, not ${expect}" >&2; exit 1; }`,
      'echo "$hp"',
    ].join('\n'),
  parse: (stdout) => Number(stdout.trim()),
});

/** The HTTP vhost's outcome: the ACME challenge needs NGINX reloaded before certbot when it changed. */
export const httpVhost = defineOutcome('HTTP vhost');

/**
 * A host NGINX reaches only loopback-published ports; the proxy container reaches containers by
 * name (its loopback is its own). Never a container's address, in either mode.
 */
function routeProblem(p: Params, mode: ProxyMode): string | undefined {
  const byPort = p.detect || p.externalPort !== undefined;
  if (mode === 'host' && !byPort)
    return `--container without --external-port: with ${PROXY_MODE_VAR}: host, NGINX on the host reaches only ports published on loopback; give --external-port PORT (or --detect)`;
  if (mode === 'container' && p.container === undefined)
    return `--external-port without --container: with ${PROXY_MODE_VAR}: container, the proxy reaches sites by container name; give --container NAME --port PORT`;
  return undefined;
}

/** The proxy container reaches the site's container by name (not a host NGINX on a published port). */
const byName = (h: HostContext) => proxyMode(h.vars, h.name) === 'container';

/** The site as it will be recorded: from the params, keeping basic auth of an earlier provision. */
function siteOf(p: Params, h: HostContext): SiteConfig {
  const detected = p.detect ? publishedPort.of(h) : undefined;
  return {
    version: 1,
    domain: p.domain,
    container: p.container,
    port: p.port ?? p.externalPort!,
    externalPort: p.externalPort ?? detected,
    www: !p.noWww,
    auth: siteRecord.of(h)?.auth ?? false,
  };
}

/**
 * The seed's `vsa site provision`: the container on the proxy network (or a published port), the
 * HTTP vhost serving ACME challenges and redirecting, the certificate, then the HTTPS vhost with
 * security headers, HSTS, rate limiting and proxy headers. Every step is idempotent: a second run
 * changes nothing.
 */
export default definePlaybook({
  name: 'provision-site',
  description:
    'Put a container behind NGINX with a certificate: proxy network, HTTP vhost, certificate, HTTPS vhost, reload',
  hosts: 'all',
  perDomain: { allowNew: true },
  params,
  tasks(p) {
    const www = !p.noWww;
    return [
      ...nginxBaseTasks(),
      // Before the rollback point: a refused name leaves nothing of this site to put back.
      siteNamesFreeTask(p.domain, www),
      ...allOrNothing(p.domain, [
        readSiteTask(p.domain, false),
        ...(p.container !== undefined
          ? [
              task(
                dockerNetwork,
                `attach ${p.container} to ${PROXY_NETWORK}`,
                { name: PROXY_NETWORK, containers: [p.container] },
                // Only the proxy container reaches it there; a host NGINX goes to its published port.
                { when: byName },
              ),
              containerRunningTask(p.container, { when: byName }),
            ]
          : []),
        ...(p.detect
          ? [
              publishedPort.task(`detect the host port of ${p.container}:${p.port}`, {
                container: p.container!,
                port: p.port!,
                expect: p.externalPort,
              }),
            ]
          : []),
        recordSiteTask('record the site', (h) => siteOf(p, h)),
        vhostTask(
          'HTTP vhost (ACME webroot, redirect to HTTPS)',
          httpVhostName(p.domain),
          (h) => renderHttpVhost(siteOf(p, h)),
          { keep: httpVhost.keep },
        ),
        // Handlers wait for the end of the play; the challenge must be served before certbot asks for it.
        task(nginxReload, 'reload nginx for the ACME challenge', nginxTarget, {
          when: (h) => httpVhost.of(h).status === 'changed',
        }),
        task(certbot, `certificate for ${p.domain}`, (h) => ({
          action: 'issue' as const,
          domain: p.domain,
          www,
          ...acmeArgs(h, p.domain, p.email),
        })),
        vhostTask('HTTPS vhost', httpsVhostName(p.domain), (h) => {
          const site = siteOf(p, h);
          return renderHttpsVhost(site, siteUpstream(h, site));
        }),
      ]),
    ];
  },
  handlers: () => [reloadHandler()],
  rescue: (p) => siteRescue(p.domain),
  checkHost: (p, vars, host) => routeProblem(p, proxyMode(vars, host)),
});
