import { z } from 'zod';
import { releaseId } from '../modules/stack-release.js';
import { definePlaybook } from '../runner/playbook/define.js';
import { slug } from '../site/params.js';
import { SRV_DIR } from '../site/paths.js';
import { stackNamesFreeTask } from './lib/name-claims.js';
import { healthTimeout, restoreRelease } from './lib/stack-release.js';

const params = z.object({
  name: slug.describe('the stack: /srv/TENANT/NAME on the hosts'),
  tenant: slug.default('flowbiz').describe('the tenant'),
  to: z
    .union([z.literal('previous'), releaseId])
    .default('previous')
    .describe('the release to bring back (vsa stack releases NAME): by default the one before the current'),
  timeout: healthTimeout,
});

/**
 * Puts an earlier release of a stack (kept on the host by `stack up`) back over its files, makes it
 * current, and brings it up, waiting until healthy. `data/` and `env/.env` stay as they are. A
 * stack name that another tenant's stack (or a project beside the tenants) also has is refused first,
 * as `stack up` refuses it: bringing the release up would replace that project's containers.
 */
export default definePlaybook({
  name: 'stack-rollback',
  description: 'Bring an earlier release of /srv/TENANT/NAME back up and wait until healthy',
  hosts: 'all',
  params,
  tasks: (p) => {
    const root = `${SRV_DIR}/${p.tenant}/${p.name}`;
    return [stackNamesFreeTask(p.name, [], root), ...restoreRelease(root, p.name, p.timeout, p.to)];
  },
});
