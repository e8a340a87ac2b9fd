import { z } from 'zod';
import { apt } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** One apt task from the command line (e2e fixture for the apt module on a fresh host). */
export default definePlaybook({
  name: 'e2e-apt-package',
  description: 'apt NAME to STATE, the cache updated when older than an hour',
  hosts: 'all',
  become: true,
  params: z.object({ name: z.string(), state: z.enum(['present', 'absent', 'latest']) }),
  tasks: ({ name, state }) => [task(apt, `apt ${state} ${name}`, { name, state, updateCache: true, cacheValidTime: 3600 })],
});
