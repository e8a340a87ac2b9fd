import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/**
 * Become steps that read their standard input, after one that lets sudo cache its credentials:
 * whatever they find there (e2e fixture: a become password must not be it).
 */
export default definePlaybook({
  name: 'e2e-become-stdin',
  description: 'what a become step finds on its stdin',
  hosts: 'all',
  become: true,
  params: z.object({}),
  tasks: () => [
    task(command, 'first', { argv: ['id', '-un'], checkSafe: true }, { changedWhen: () => false }),
    task(command, 'rev', { argv: ['rev'], checkSafe: true }, { changedWhen: () => false }),
    task(command, 'cat to a file', { argv: ['sh', '-c', 'cat > /var/lib/vsa/become-stdin; wc -c < /var/lib/vsa/become-stdin'] }, { changedWhen: () => false }),
  ],
});
