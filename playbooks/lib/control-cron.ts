import { z } from 'zod';
import { cron, directory } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { Task } from '../../runner/playbook/types.js';
import { joinArgv, quote } from '../../runner/shell/quote.js';

/** cron turns `%` into a newline and a path with a newline would end the entry. */
const cronSafePath = z
  .string()
  .regex(/^\//, 'an absolute path')
  .refine((s) => !/[%\n]/.test(s), 'no % or newline (cron would cut the line there)');
const cronField = z.string().regex(/^[0-9*,/-]+$/, 'a cron field such as 3, */6 or 1-5');

/** A path the cron entry runs or reads on the control machine: never chosen by a dashboard request. */
const local = { controlMachine: true };

/** The params of a vsa command run from this machine's crontab, with the schedule it defaults to. */
export function controlCronParams(what: string, at: { hour: string; minute: string }) {
  return z.object({
    inventory: cronSafePath.describe(`the inventory ${what} runs against`).meta(local),
    home: cronSafePath.describe(`the data directory (VSA_HOME): history, audit log and the entry's log under logs/`).meta(local),
    node: cronSafePath.default(process.execPath).describe('the node binary (cron has a minimal PATH)').meta(local),
    vsa: cronSafePath.default(process.argv[1] ?? '/usr/local/bin/vsa').describe('the vsa entry script').meta(local),
    hour: cronField.default(at.hour),
    minute: cronField.default(at.minute),
  });
}
export type ControlCronParams = z.output<ReturnType<typeof controlCronParams>>;

/** One vsa command in the crontab: its argv (after `vsa`, before `-i`) and the log under logs/. */
export interface ControlCronEntry {
  name: string;
  argv: string[];
  log: string;
}

/** The crontab line: runs as `cron` origin in the audit trail, appends to logs/LOG. */
export function cronJob(p: ControlCronParams, entry: ControlCronEntry): string {
  const env = `VSA_ORIGIN=cron VSA_HOME=${quote(p.home)}`;
  const cmd = joinArgv([p.node, p.vsa, ...entry.argv, '-i', p.inventory]);
  return `${env} ${cmd} >> ${quote(`${p.home}/logs/${entry.log}`)} 2>&1`;
}

/** A named entry in the user's crontab, so running it again changes nothing and other entries are never touched. */
export function controlCronTasks(p: ControlCronParams, entry: ControlCronEntry, label: string): Task[] {
  return [
    task(directory, 'log directory', { path: `${p.home}/logs`, mode: '0700' }),
    task(cron, label, { name: entry.name, job: cronJob(p, entry), hour: p.hour, minute: p.minute }),
  ];
}
