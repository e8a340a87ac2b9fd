import { renderTemplate } from '../modules/lib/render.js';
import type { SiteConfig, Upstream } from './site-config.js';
import { HOST_PATHS, type NginxPaths } from './paths.js';

/** The zone every vhost shares: 10 requests/s per client address, bursts of 20 served at once. */
export const RATE_LIMIT = { zone: 'vsa_req', rate: '10r/s', burst: 20 };
export const HSTS_MAX_AGE = 63_072_000;
/** Strict by default but workable for typical web apps (inline styles, images from https, websockets). */
export const DEFAULT_CSP =
  "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; " +
  "font-src 'self' data:; connect-src 'self' https: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function serverNames(site: Pick<SiteConfig, 'domain' | 'www'>): string[] {
  return site.www ? [site.domain, `www.${site.domain}`] : [site.domain];
}

export function renderHttpVhost(site: SiteConfig, paths: NginxPaths = HOST_PATHS): string {
  return renderTemplate({
    src: 'nginx/http-vhost.conf.njk',
    vars: { serverNames: serverNames(site), paths },
  });
}

export function renderHttpsVhost(site: SiteConfig, upstream: Upstream, paths: NginxPaths = HOST_PATHS): string {
  return renderTemplate({
    src: 'nginx/https-vhost.conf.njk',
    vars: {
      domain: site.domain,
      serverNames: serverNames(site),
      upstream,
      auth: site.auth,
      paths,
      rateLimit: RATE_LIMIT,
      clientMaxBodySize: '50m',
    },
  });
}

export function renderSecurityHeaders(): string {
  return renderTemplate({
    src: 'nginx/security_headers.conf.njk',
    vars: { csp: DEFAULT_CSP, hstsMaxAge: HSTS_MAX_AGE },
  });
}

export function renderHttpContext(): string {
  return renderTemplate({ src: 'nginx/rate-limit.conf.njk', vars: { rateLimit: RATE_LIMIT } });
}

/** The servers for names no site owns: 444 on port 80 (ACME tokens aside), a refused handshake on 443. */
export function renderDefaultServers(paths: NginxPaths = HOST_PATHS): string {
  return renderTemplate({ src: 'nginx/default-server.conf.njk', vars: { paths } });
}

/**
 * How long NGINX keeps a container name's address: a re-created container is reached at its new
 * address at most this long after it starts.
 */
export const RESOLVE_VALID = '10s';

/** The http-level resolver for container names: the engine's DNS on the proxy network. */
export function renderResolver(address: string): string {
  return renderTemplate({ src: 'nginx/resolver.conf.njk', vars: { address, valid: RESOLVE_VALID } });
}
