import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** One command that waits (browser test fixture): a run to kill while it goes. */
export default definePlaybook({
  name: 'browser-wait',
  description: 'Wait a number of seconds',
  hosts: 'all',
  params: z.object({ seconds: z.coerce.number().int().min(1).max(600) }),
  // checkSafe: it runs under --check, which takes no host lock, so the test needs no lab.
  tasks: ({ seconds }) => [task(command, 'wait', { argv: ['sleep', String(seconds)], checkSafe: true })],
});
