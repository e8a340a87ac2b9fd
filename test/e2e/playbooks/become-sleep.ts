import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** A become step that lasts, so a watcher of every process's command line sees sudo's (e2e fixture). */
export default definePlaybook({
  name: 'e2e-become-sleep',
  description: 'id -un, then sleep 2, with become',
  hosts: 'all',
  become: true,
  params: z.object({}),
  tasks: () => [
    task(command, 'who', { argv: ['id', '-un'], checkSafe: true }, { changedWhen: () => false }),
    task(command, 'sleep', { argv: ['sleep', '2'], checkSafe: true }, { changedWhen: () => false }),
  ],
});
