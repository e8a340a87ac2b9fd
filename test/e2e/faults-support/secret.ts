import { z } from 'zod';
import { command, copy, directory } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/**
 * Uses a secret param the ways playbooks do (a file's content, a command's environment, a task
 * that fails with it in its output), for the redaction test.
 */
export default definePlaybook({
  name: 'faults-secret',
  description: 'Handle a secret param on hosts (redaction fixture)',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/[\w./-]+$/)
      .default('/srv/vsa-secret'),
    password: z.string().min(8).meta({ secret: true }),
    pause: z.coerce.number().min(0).max(60).default(0),
  }),
  tasks: ({ root, password, pause }) => [
    task(directory, 'root', { path: root, mode: '0700' }),
    task(copy, 'env file', { dest: `${root}/app.env`, content: `APP_PASSWORD=${password}\n`, mode: '0600' }),
    task(command, 'use the secret', {
      argv: [
        'sh',
        '-c',
        'sleep "$0"; test -n "$APP_PASSWORD" && echo "login as app with $APP_PASSWORD"',
        String(pause),
      ],
      env: { APP_PASSWORD: password },
    }),
    task(
      command,
      'fail with the secret',
      {
        argv: ['sh', '-c', 'echo "bad password $APP_PASSWORD" >&2; exit 3'],
        env: { APP_PASSWORD: password },
      },
      { ignoreErrors: true },
    ),
  ],
});
