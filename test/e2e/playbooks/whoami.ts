import { z } from 'zod';
import { command, copy } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** Who a become step runs as, and a write only root may do (e2e fixture for become with a password). */
export default definePlaybook({
  name: 'e2e-whoami',
  description: 'id -un with become, and a file in a root-only directory',
  hosts: 'all',
  become: true,
  params: z.object({ write: z.preprocess((v) => (v === 'false' ? false : v === 'true' ? true : v), z.boolean()).default(true) }),
  tasks: ({ write }) => [
    task(command, 'who', { argv: ['id', '-un'], checkSafe: true }, { changedWhen: () => false }),
    ...(write ? [task(copy, 'root-only file', { dest: '/var/lib/vsa/become-check', content: 'written as root\n', mode: '0600' })] : []),
  ],
});
