import { z } from 'zod';
import { command, copy, directory, template } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/**
 * Four tasks around a pause, for fault tests: a fault injected while every host sits in the
 * pause hits each of them in the middle of a task.
 */
export default definePlaybook({
  name: 'faults-slow',
  description: 'Write a file, pause, write two more (fault-injection fixture)',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/[\w./-]+$/)
      .default('/srv/vsa-faults'),
    pause: z.coerce.number().min(0).max(60).default(0),
  }),
  tasks: ({ root, pause }) => [
    task(directory, 'root', { path: root, mode: '0755' }),
    task(command, 'pause', { argv: ['sleep', String(pause)] }, { changedWhen: () => false }),
    task(copy, 'after pause', { dest: `${root}/after`, content: 'after the pause\n', mode: '0644' }),
    task(template, 'host page', { dest: `${root}/host.txt`, inline: 'host {{ inventory_hostname }}\n' }),
  ],
});
