import { z } from 'zod';
import { command, copy } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/**
 * A config write that notifies a reload, then a pause: a run killed in the pause has changed the
 * config and not reloaded, as a run killed between an NGINX vhost write and its reload.
 */
export default definePlaybook({
  name: 'faults-pending',
  description: 'Write a config that notifies a reload, then pause (fault-injection fixture)',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/[\w./-]+$/)
      .default('/srv/vsa-pending'),
    pause: z.coerce.number().min(0).max(60).default(0),
  }),
  tasks: ({ root, pause }) => [
    task(copy, 'config', { dest: `${root}.conf`, content: 'auth_basic "closed";\n', mode: '0644' }, { notify: ['reload'] }),
    task(command, 'pause', { argv: ['sleep', String(pause)] }, { changedWhen: () => false }),
  ],
  // Appends a line per reload, so the test counts how often it ran.
  handlers: ({ root }) => [task(command, 'reload', { argv: ['sh', '-c', `echo reloaded >> ${root}.reloads`] })],
});
