import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** One command that keeps changing the host for a while (e2e fixture): a run killed in it. */
export default definePlaybook({
  name: 'e2e-slow-write',
  description: 'Append to a file once a second for a number of seconds',
  hosts: 'all',
  params: z.object({
    file: z.string().regex(/^\/srv\/[\w./-]+$/),
    seconds: z.coerce.number().int().min(1).max(600),
  }),
  tasks: ({ file, seconds }) => [
    task(command, 'slow write', {
      argv: [
        'sh',
        '-c',
        'i=0; while [ $i -lt "$2" ]; do date +%s.%N >> "$1"; sleep 1; i=$((i+1)); done',
        'x',
        file,
        String(seconds),
      ],
    }),
  ],
});
