import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { statusSnapshot } from '../site/status-snapshot.js';

/**
 * The agentless replacement for the seed's hub-and-agent: run from cron on the control machine, it
 * reads every host in one round trip each. The data of the task `collect` is a `HostStatus`
 * (runner/store/host-status.ts): containers, certificates, site records, disk, load, and what could not
 * be read. `hostState` makes the store keep it as each host's last-known state, for the dashboard.
 */
export default definePlaybook({
  name: 'collect-status',
  description: 'Snapshot containers, certificates, sites, disk and load of every host for the dashboard',
  hosts: 'all',
  params: z.object({}),
  tasks: () => [task(statusSnapshot, 'collect', {}, { hostState: true })],
});
