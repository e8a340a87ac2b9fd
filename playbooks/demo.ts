import { z } from 'zod';
import { command, directory, lineInFile, stat, template } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { port } from '../site/params.js';

/**
 * A site skeleton in ten tasks: 4 directories, 2 templates that notify a handler, 2 line edits,
 * 1 read-only command and 1 stat. It is the demo's job and the benchmark's playbook (the same
 * ten tasks are written for ansible-playbook in test/bench/).
 */
export default definePlaybook({
  name: 'demo',
  description: 'Lay out a small app under a root directory (demo and benchmark playbook)',
  hosts: 'all',
  params: z.object({
    root: z
      .string()
      .regex(/^\/[\w./-]+$/, 'an absolute path')
      .default('/srv/vsa-demo')
      .describe('where the app lives'),
    app: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
      .default('demo'),
    listen: port.default(8080),
  }),
  tasks: ({ root, app, listen }) => {
    const vars = { app, listen, playbook: 'demo' };
    return [
      task(directory, 'app directory', { path: root, mode: '0755' }),
      task(directory, 'config directory', { path: `${root}/conf`, mode: '0750' }),
      task(directory, 'web root', { path: `${root}/www`, mode: '0755' }),
      task(directory, 'log directory', { path: `${root}/logs`, mode: '0750' }),
      task(
        template,
        'app config',
        { dest: `${root}/conf/app.conf`, src: 'demo/app.conf.njk', vars, mode: '0640' },
        {
          notify: ['restart app'],
        },
      ),
      task(
        template,
        'home page',
        { dest: `${root}/www/index.html`, src: 'demo/index.html.njk', vars, mode: '0644' },
        {
          notify: ['restart app'],
        },
      ),
      // In a file of their own: edits to app.conf would be undone by its template on every run.
      task(lineInFile, 'log level', {
        path: `${root}/conf/env`,
        regexp: '^log_level',
        line: 'log_level = info',
        create: true,
        mode: '0640',
      }),
      task(lineInFile, 'environment', {
        path: `${root}/conf/env`,
        regexp: '^env',
        line: 'env = production',
        create: true,
        mode: '0640',
      }),
      task(
        command,
        'check config',
        { argv: ['grep', '-c', '=', `${root}/conf/app.conf`], checkSafe: true },
        { changedWhen: () => false },
      ),
      task(stat, 'web root present', { path: `${root}/www/index.html` }),
    ];
  },
  handlers: ({ root }) => [task(command, 'restart app', { argv: ['touch', `${root}/logs/restarted`] })],
});
