import { rollbackPoint } from '../../modules/index.js';
import { PICK_DOCKER_CLI } from '../../modules/facts/docker.js';
import { task } from '../../runner/playbook/define.js';
import type { Task, TaskOptions } from '../../runner/playbook/types.js';
import { quote } from '../../runner/shell/quote.js';
import {
  htpasswdPath,
  httpsVhostName,
  httpVhostName,
  NGINX_CONF_D,
  PROXY_NETWORK,
  siteRecordPath,
} from '../../site/paths.js';
import { nginxTarget } from './nginx-tasks.js';
import { scriptRead } from './reads.js';

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

/** Fails, naming the cause, unless the container runs: its site could only answer 502. */
const containerRunning = scriptRead({
  name: 'container running',
  script: (container: string) =>
    [
      PICK_DOCKER_CLI,
      `s=$("$d" inspect --type container -f '{{.State.Running}}' ${quote(container)} 2>/dev/null) || s="no such container"`,
      `[ "$s" = true ] || { echo ${quote(`container ${container} is not running on ${PROXY_NETWORK}`)}" ($s)" >&2; exit 1; }`,
    ].join('\n'),
  parse: () => true,
});

export function containerRunningTask(container: string, opts: TaskOptions = {}): Task {
  return containerRunning.task(`container ${container} is running`, container, opts);
}
