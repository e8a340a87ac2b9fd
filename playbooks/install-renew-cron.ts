import { definePlaybook } from '../runner/playbook/define.js';
import { controlCronParams, controlCronTasks, type ControlCronEntry } from './lib/control-cron.js';

export const RENEW_ENTRY: ControlCronEntry = { name: 'vsa cert renew', argv: ['cert', 'renew'], log: 'renew.log' };

/** The daily `vsa cert renew` on the control machine. */
export default definePlaybook({
  name: 'install-renew-cron',
  description: 'Install the daily certificate renewal (crontab entry) on the control machine',
  hosts: 'localhost',
  params: controlCronParams('the daily renew', { hour: '3', minute: '17' }),
  tasks: (p) => controlCronTasks(p, RENEW_ENTRY, 'daily renew entry'),
});
