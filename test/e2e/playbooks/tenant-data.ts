import { z } from 'zod';
import { command, copy, directory } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import { flag } from '../../../site/params.js';

/**
 * What a stack upload does with a tenant's folder (e2e fixture): its `.env` copied from the control
 * machine, a compose file written, a URL printed; `big` prints 100 MB instead.
 */
export default definePlaybook({
  name: 'e2e-tenant-data',
  description: 'Upload an env file and a compose file to a tenant folder, or print 100 MB',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/srv\/[\w./-]+$/)
      .default('/srv/vsa-tenant'),
    env: z.string().min(1).optional(),
    compose: z.string().default('services: {}\n'),
    url: z.string().default('http://example.test/'),
    big: flag(false),
  }),
  tasks: ({ root, env, compose, url, big }) =>
    big
      ? [
          task(command, 'print 100 MB', {
            argv: ['sh', '-c', "head -c 100000000 /dev/zero | tr '\\0' x; printf 'the end\\n'"],
          }),
        ]
      : [
          task(directory, 'env dir', { path: `${root}/env`, mode: '0750' }),
          ...(env ? [task(copy, 'env file', { src: env, dest: `${root}/env/.env`, mode: '0640' })] : []),
          task(copy, 'compose file', { dest: `${root}/compose.yml`, content: compose, mode: '0644' }),
          task(command, 'print the url', { argv: ['printf', '%s\\n', url], checkSafe: true }),
        ],
});
