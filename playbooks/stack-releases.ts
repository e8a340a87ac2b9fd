import { z } from 'zod';
import { stackRelease } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { slug } from '../site/params.js';
import { SRV_DIR } from '../site/paths.js';

/** Lists the releases `stack up` kept of a stack on each host: id, time, run id, actor, the current one. */
export default definePlaybook({
  name: 'stack-releases',
  description: 'List the releases of /srv/TENANT/NAME kept on the hosts',
  hosts: 'all',
  params: z.object({
    name: slug.describe('the stack: /srv/TENANT/NAME on the hosts'),
    tenant: slug.default('flowbiz').describe('the tenant'),
  }),
  tasks: (p) => [task(stackRelease, 'releases', { action: 'list', projectDir: `${SRV_DIR}/${p.tenant}/${p.name}` })],
});
