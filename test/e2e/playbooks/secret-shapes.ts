import { z } from 'zod';
import { command, copy } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/** A secret param echoed by a host command in the shapes a leak takes (e2e fixture). */
export default definePlaybook({
  name: 'e2e-secret-shapes',
  description: 'Write and print a secret param in several shapes',
  hosts: 'all',
  params: z.object({
    token: z.string().min(1).meta({ secret: true }),
    root: z.string().default('/srv/vsa-adv-secret'),
  }),
  tasks: ({ token, root }) => [
    task(copy, 'secret in a file', { dest: `${root}/conf.txt`, content: `line one\nvalue ${token}\nend\n`, mode: '0600' }),
    task(command, 'stderr', { argv: ['sh', '-c', 'printf "%s\\n" "$1" >&2; printf "%s" "$1" | base64; exit 0', 'x', token] }),
    task(command, 'fail naming it', { argv: ['sh', '-c', 'echo "bad value: $1" >&2; exit 3', 'x', token] }),
  ],
});
