import { definePlaybook } from '../runner/playbook/define.js';
import { controlCronParams, controlCronTasks, type ControlCronEntry } from './lib/control-cron.js';

export const STATUS_ENTRY: ControlCronEntry = { name: 'vsa collect-status', argv: ['run', 'collect-status'], log: 'status.log' };

/**
 * `vsa run collect-status` every 15 minutes on the control machine: what `vsa status` and the
 * dashboard's fleet pages show stays that fresh (the heartbeat of a fleet without agents).
 */
export default definePlaybook({
  name: 'install-status-cron',
  description: 'Install the collect-status snapshot every 15 minutes (crontab entry) on the control machine',
  hosts: 'localhost',
  params: controlCronParams('collect-status', { hour: '*', minute: '*/15' }),
  tasks: (p) => controlCronTasks(p, STATUS_ENTRY, 'status collection entry'),
});
