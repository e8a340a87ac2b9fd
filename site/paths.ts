/**
 * Where vsa keeps a site's pieces on a host. Fixed paths (the seed's layout) so every playbook,
 * runbook and the dashboard agree; templates take them as variables so tests can point elsewhere.
 */
export const SITES_DIR = '/var/lib/vsa/sites';
export const WEBROOT = '/var/www/html';
export const SNIPPETS_DIR = '/etc/nginx/snippets';
export const HTPASSWD_DIR = '/etc/nginx/htpasswd';
export const NGINX_CONF_D = '/etc/nginx/conf.d';
export const LETSENCRYPT_DIR = '/etc/letsencrypt';
export const SRV_DIR = '/srv';
/** The shared network every stack joins so the reverse proxy reaches it. */
export const PROXY_NETWORK = 'flowbiz_ext';

export interface NginxPaths {
  snippets: string;
  webroot: string;
  /** certbot's `live/` directory. */
  certs: string;
  htpasswd: string;
}

export const HOST_PATHS: NginxPaths = {
  snippets: SNIPPETS_DIR,
  webroot: WEBROOT,
  certs: `${LETSENCRYPT_DIR}/live`,
  htpasswd: HTPASSWD_DIR,
};

export const siteRecordPath = (domain: string) => `${SITES_DIR}/${domain}.json`;
export const htpasswdPath = (domain: string) => `${HTPASSWD_DIR}/${domain}`;
/** The HTTPS vhost keeps the seed's name (`conf.d/<domain>.conf`); port 80 lives beside it. */
export const httpsVhostName = (domain: string) => domain;
export const httpVhostName = (domain: string) => `${domain}.http`;
export const SECURITY_HEADERS_FILE = `${SNIPPETS_DIR}/security_headers.conf`;
/** `00-` so it loads before the vhosts that use its zone and map. */
export const HTTP_CONTEXT_FILE = `${NGINX_CONF_D}/00-vsa.conf`;
/** The default servers (names no site owns); `00-` so they load before any vhost. */
export const DEFAULT_SERVER_FILE = `${NGINX_CONF_D}/00-default.conf`;
/** The resolver for container names (proxy container mode only). */
export const RESOLVER_FILE = `${NGINX_CONF_D}/00-resolver.conf`;
