import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import type { LabHost, LabPlugin } from './types.js';

const NGINX = '/usr/sbin/nginx';
/** Files of Debian's /etc/nginx that vhosts commonly include. */
const DEBIAN_FILES = ['mime.types', 'proxy_params', 'fastcgi_params'];

/**
 * NGINX in every host, configured like a fresh Debian install: `conf.d/*.conf` and
 * `sites-enabled/*` included, a default server on :80 serving /var/www/html with the ACME webroot.
 * Started daemonised inside the host, so it answers `nginx -t` and `nginx -s reload` over SSH
 * exactly as on a VPS; its master pid (from the host's /run/nginx.pid) is recorded for teardown.
 */
export function nginxPlugin(): LabPlugin {
  return {
    name: 'nginx',
    async setupHost(host, ctx) {
      await writeNginxTree(host);
      await ctx.runIn(host, [NGINX]);
      const pid = Number((await readFile(`${host.root}/run/nginx.pid`, 'utf8')).trim());
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${host.name}: nginx wrote no pid`);
      ctx.recordPid(host, pid);
    },
    // vsa's playbooks then use this NGINX, not the reverse-proxy container.
    vars: () => ({ proxy_mode: 'host' }),
  };
}

async function writeNginxTree(host: LabHost): Promise<void> {
  const etc = `${host.root}/etc/nginx`;
  const html = `${host.root}/var/www/html`;
  for (const d of ['conf.d', 'sites-available', 'sites-enabled', 'snippets'])
    await mkdir(`${etc}/${d}`, { recursive: true });
  await mkdir(`${html}/.well-known/acme-challenge`, { recursive: true });
  await Promise.all(DEBIAN_FILES.map((f) => copyFile(`/etc/nginx/${f}`, `${etc}/${f}`)));
  await writeFile(`${etc}/nginx.conf`, NGINX_CONF);
  await writeFile(`${etc}/sites-available/default`, DEFAULT_SITE);
  await symlink('/etc/nginx/sites-available/default', `${etc}/sites-enabled/default`);
  await writeFile(`${html}/index.html`, `nginx on ${host.name}\n`);
}

const NGINX_CONF = `user www-data;
worker_processes 1;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;

events {
	worker_connections 512;
}

http {
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;
	server_tokens off;
	server_names_hash_bucket_size 128;

	include /etc/nginx/mime.types;
	default_type application/octet-stream;

	access_log /var/log/nginx/access.log;

	include /etc/nginx/conf.d/*.conf;
	include /etc/nginx/sites-enabled/*;
}
`;

const DEFAULT_SITE = `server {
	listen 80 default_server;
	server_name _;
	root /var/www/html;
	index index.html;

	location ^~ /.well-known/acme-challenge/ {
		default_type text/plain;
		try_files $uri =404;
	}

	location / {
		try_files $uri $uri/ =404;
	}
}
`;
