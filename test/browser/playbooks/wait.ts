import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** Commands that wait, one after another (browser test fixture): a run to kill or cancel while it goes. */
export default definePlaybook({
  name: 'browser-wait',
  description: 'Wait a number of seconds, a number of times',
  hosts: 'all',
  params: z.object({
    seconds: z.coerce.number().int().min(1).max(600),
    times: z.coerce.number().int().min(1).max(100).default(1),
  }),
  // checkSafe: it runs under --check, which takes no host lock, so the test needs no lab.
  tasks: ({ seconds, times }) =>
    Array.from({ length: times }, (_, i) => task(command, `wait ${i + 1}`, { argv: ['sleep', String(seconds)], checkSafe: true })),
});
