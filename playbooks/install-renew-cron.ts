import { z } from 'zod';
import { cron, directory } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { joinArgv, quote } from '../runner/shell/quote.js';

/** cron turns `%` into a newline and a path with a newline would end the entry. */
const cronSafePath = z
  .string()
  .regex(/^\//, 'an absolute path')
  .refine((s) => !/[%\n]/.test(s), 'no % or newline (cron would cut the line there)');
const cronField = z.string().regex(/^[0-9*,/-]+$/, 'a cron field such as 3, */6 or 1-5');

/** A path the cron entry runs or reads on the control machine: never chosen by a dashboard request. */
const local = { controlMachine: true };
const params = z.object({
  inventory: cronSafePath.describe('the inventory the daily renew runs against').meta(local),
  home: cronSafePath.describe('the data directory (VSA_HOME): history, audit log and logs/renew.log').meta(local),
  node: cronSafePath.default(process.execPath).describe('the node binary (cron has a minimal PATH)').meta(local),
  vsa: cronSafePath.default(process.argv[1] ?? '/usr/local/bin/vsa').describe('the vsa entry script').meta(local),
  hour: cronField.default('3'),
  minute: cronField.default('17'),
});
type Params = z.output<typeof params>;

export const CRON_NAME = 'vsa cert renew';

/** The crontab line: runs as `cron` origin in the audit trail, appends to logs/renew.log. */
export function renewJob(p: Params): string {
  const env = `VSA_ORIGIN=cron VSA_HOME=${quote(p.home)}`;
  const cmd = joinArgv([p.node, p.vsa, 'cert', 'renew', '-i', p.inventory]);
  return `${env} ${cmd} >> ${quote(`${p.home}/logs/renew.log`)} 2>&1`;
}

/**
 * The daily `vsa cert renew` on the control machine: a named entry in the user's crontab, so
 * running it again changes nothing and other entries are never touched.
 */
export default definePlaybook({
  name: 'install-renew-cron',
  description: 'Install the daily certificate renewal (crontab entry) on the control machine',
  hosts: 'localhost',
  params,
  tasks: (p) => [
    task(directory, 'log directory', { path: `${p.home}/logs`, mode: '0700' }),
    task(cron, 'daily renew entry', { name: CRON_NAME, job: renewJob(p), hour: p.hour, minute: p.minute }),
  ],
});
