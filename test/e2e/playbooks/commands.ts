import { z } from 'zod';
import { apt, command, cron, shell, systemd, waitFor } from '../../../modules/index.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';

/**
 * command, shell, cron (a cron.d file under the root: lab hosts share the control machine's cron
 * spool), wait_for against the lab's NGINX, apt and systemd (e2e fixture). apt and systemd only
 * read here: lab hosts share the control machine's dpkg database and have no systemd.
 * `removePkg` adds `apt absent` and `updateCache` tasks: only ever pass it with `--check`.
 */
export default definePlaybook({
  name: 'e2e-commands',
  description: 'command, shell, cron, wait_for, apt and systemd',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/srv\/[\w./-]+$/)
      .default('/srv/vsa-cmd'),
    rev: z.coerce.string().regex(/^\d+$/).default('1'),
    removePkg: z.string().optional(),
  }),
  tasks: ({ root, rev, removePkg }) => [
    task(command, 'make dirs', { argv: ['mkdir', '-p', `${root}/cron.d`], creates: `${root}/cron.d` }),
    task(shell, 'greeting', {
      script: 'printf "%s from %s\\n" "$GREETING" "$(hostname)" > greeting.txt',
      chdir: root,
      env: { GREETING: 'hello' },
      creates: `${root}/greeting.txt`,
    }),
    task(command, 'hostname', { argv: ['hostname'], checkSafe: true }, { changedWhen: () => false }),
    task(cron, 'backup entry', {
      name: 'e2e backup',
      job: `/usr/bin/true rev${rev}`,
      minute: '*/5',
      file: 'vsa-e2e',
      cronDir: `${root}/cron.d`,
    }),
    task(waitFor, 'nginx port', { port: 80, timeout: 10 }),
    task(waitFor, 'nginx url', { url: 'http://127.0.0.1/', timeout: 10 }),
    task(waitFor, 'closed port', { port: 81, state: 'stopped', timeout: 3 }),
    task(apt, 'coreutils', { name: 'coreutils' }),
    ...(removePkg
      ? [
          task(apt, 'remove package', { name: removePkg, state: 'absent' }),
          task(apt, 'cache fresh', {
            name: 'coreutils',
            updateCache: true,
            cacheValidTime: 10 * 365 * 86400,
          }),
        ]
      : []),
    // A unit no host has: where systemd does run, this fails as `not found` and starts nothing.
    task(systemd, 'unit', { name: 'vsa-e2e-none', state: 'started' }, { ignoreErrors: true }),
  ],
});
