import { resolve } from 'node:path';
import { z } from 'zod';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { copy, directory } from '../modules/index.js';
import type { HostContext } from '../runner/playbook/types.js';
import { flag, port, slug } from '../site/params.js';
import { renderStack } from '../site/stack-scaffold.js';
import { pathExists } from './lib/reads.js';

const params = z.object({
  name: slug.describe('stack name: the directory stacks/NAME and the network NAME-net'),
  dir: z
    .string()
    .min(1)
    .default('stacks')
    .describe('where stacks live on the control machine (relative to the current directory)')
    .meta({ stacksDir: true }),
  image: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_./:@-]*$/, 'must be an image reference such as nginx:1.27-alpine')
    .default('nginx:1.27-alpine')
    .describe('image of the app service'),
  port: port.default(80).describe('port the app serves HTTP on inside the container'),
  force: flag(false).describe('overwrite the files of an existing stack'),
});

const stackExists = pathExists('existing stack');

/**
 * Scaffolds `stacks/NAME/` on the control machine from templates/stack/. Runs as a playbook on
 * `localhost` (a local connection) so it gets check mode, diffs and the audit trail like every
 * other change; an existing stack is left alone unless `force`.
 */
export default definePlaybook({
  name: 'stack-new',
  description:
    'Scaffold stacks/NAME (compose.yml with healthcheck, .env.example, README) on the control machine',
  hosts: 'localhost',
  params,
  tasks(p) {
    const root = resolve(p.dir, p.name);
    const fresh = (h: HostContext) => p.force || !stackExists.of(h);
    return [
      stackExists.task('look for an existing stack', root),
      task(directory, `stack directory ${p.dir}/${p.name}`, { path: root, mode: '0755' }, { when: fresh }),
      ...renderStack(p).map(({ file, content }) =>
        task(copy, `write ${file}`, { dest: `${root}/${file}`, content, mode: '0644' }, { when: fresh }),
      ),
    ];
  },
});
