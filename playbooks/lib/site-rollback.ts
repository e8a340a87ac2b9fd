import { rollbackPoint } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { Task } from '../../runner/playbook/types.js';
import {
  htpasswdPath,
  httpsVhostName,
  httpVhostName,
  NGINX_CONF_D,
  siteRecordPath,
} from '../../site/paths.js';
import { nginxTarget } from './nginx-tasks.js';

/** Everything of one site a change may touch: both vhosts, its record, its basic-auth users. */
export function siteFiles(domain: string): string[] {
  return [
    `${NGINX_CONF_D}/${httpsVhostName(domain)}.conf`,
    `${NGINX_CONF_D}/${httpVhostName(domain)}.conf`,
    siteRecordPath(domain),
    htpasswdPath(domain),
  ];
}

/**
 * `tasks` as one change of the site: a snapshot of its files first (rolling back an earlier run
 * that never finished), dropped at the end. Pair with `siteRescue` as the playbook's rescue.
 */
export function allOrNothing(domain: string, tasks: Task[]): Task[] {
  return [
    task(rollbackPoint, `rollback point for ${domain}`, (h) => ({
      action: 'begin' as const,
      id: domain,
      files: siteFiles(domain),
      ...nginxTarget(h),
    })),
    ...tasks,
    task(rollbackPoint, `${domain} changed as a whole`, { action: 'commit', id: domain }),
  ];
}

/** A failed or interrupted change puts the site's files back as they were, and NGINX with them. */
export function siteRescue(domain: string): Task[] {
  return [
    task(rollbackPoint, `put ${domain} back as it was`, (h) => ({ action: 'rollback' as const, id: domain, ...nginxTarget(h) })),
  ];
}
