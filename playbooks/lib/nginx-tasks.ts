import { copy, directory, nginxReload, nginxVhost } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';
import {
  HTPASSWD_DIR,
  HTTP_CONTEXT_FILE,
  NGINX_CONF_D,
  SECURITY_HEADERS_FILE,
  SITES_DIR,
  SNIPPETS_DIR,
  WEBROOT,
} from '../../site/paths.js';
import { nginxContainer } from '../../site/proxy-mode.js';
import { renderHttpContext, renderSecurityHeaders } from '../../site/vhost.js';

/** The handler every NGINX change notifies: one reload per host at the end of the play. */
export const RELOAD = 'reload nginx';

/** The NGINX modules' target on this host: the proxy container, or the host's NGINX. */
export const nginxTarget = (h: HostContext) => ({ container: nginxContainer(h.vars, h.name) });

export function reloadHandler(): Task {
  return task(nginxReload, RELOAD, nginxTarget);
}

/** An NGINX file vsa renders (not a vhost: no test of its own), reloaded by the handler when it changes. */
export function confFileTask(
  name: string,
  dest: string,
  content: string | ((h: HostContext) => string),
  opts: TaskOptions = {},
): Task {
  const args = (h: HostContext) => ({ dest, content: typeof content === 'string' ? content : content(h), mode: '0644' });
  return task(copy, name, args, { notify: [RELOAD], ...opts });
}

/**
 * What every vsa vhost relies on: the ACME webroot, the site records, the snippets directory with
 * the security headers, and the http-level rate-limit zone. Shared by bootstrap and provision-site,
 * so a site can be provisioned on a host that was set up by hand.
 */
export function nginxBaseTasks(): Task[] {
  const dir = (path: string, mode = '0755') => task(directory, `directory ${path}`, { path, mode });
  return [
    dir(WEBROOT),
    dir(SITES_DIR),
    dir(SNIPPETS_DIR),
    dir(HTPASSWD_DIR),
    confFileTask('security headers snippet', SECURITY_HEADERS_FILE, renderSecurityHeaders()),
    confFileTask('rate-limit zone and upgrade map', HTTP_CONTEXT_FILE, renderHttpContext()),
  ];
}

/**
 * Writes a vhost into conf.d, where vhost-sync finds it too (tested with `nginx -t`, restored when
 * the test fails) and notifies the reload.
 */
export function vhostTask(
  name: string,
  vhost: string,
  content: (h: HostContext) => string,
  opts: TaskOptions = {},
): Task {
  return task(nginxVhost, name, (h) => ({ name: vhost, content: content(h), confDir: NGINX_CONF_D, ...nginxTarget(h) }), {
    notify: [RELOAD],
    ...opts,
  });
}

export function vhostAbsentTask(name: string, vhost: string): Task {
  return task(
    nginxVhost,
    name,
    (h) => ({ name: vhost, state: 'absent' as const, confDir: NGINX_CONF_D, ...nginxTarget(h) }),
    { notify: [RELOAD] },
  );
}

/** The group NGINX's workers run as (they read htpasswd files): inventory var `nginx_group`. */
export function nginxGroup(h: HostContext): string {
  const g = h.vars.nginx_group;
  return typeof g === 'string' && g ? g : 'www-data';
}
