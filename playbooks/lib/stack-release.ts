import { z } from 'zod';
import { dockerCompose, stackRelease } from '../../modules/index.js';
import { task } from '../../runner/playbook/define.js';
import type { Task } from '../../runner/playbook/types.js';

/** The `timeout` param of stack-up and stack-rollback. */
export const healthTimeout = z.coerce
    .number()
    .int()
    .positive()
    .max(86_400)
    .default(120)
    .describe('seconds to wait for the services to be healthy (at most a day)');

/** docker_compose `up` of a stack as stack-up runs it: project NAME, env/.env, waiting `timeout` s. */
export const composeUp = (projectDir: string, name: string, timeout: number) => ({
  action: 'up' as const,
  projectDir,
  projectName: name,
  timeout,
  envFile: 'env/.env',
});

const RESTORED = 'release restored';

/**
 * A release's files back over the project's, then up and healthy again: `stack rollback`, and
 * stack-up's rescue (`to: 'current'`, the release that last came up healthy; nothing to do after
 * a first deploy, which has none).
 */
export function restoreRelease(projectDir: string, name: string, timeout: number, to: string): Task[] {
  return [
    task(
      stackRelease,
      to === 'current' ? 'roll back to the current release' : `restore release ${to}`,
      { action: 'restore', projectDir, to, missingOk: to === 'current' },
      { register: RESTORED },
    ),
    task(dockerCompose, `compose up ${name}`, composeUp(projectDir, name, timeout), {
      when: (h) => h.results[RESTORED]?.status === 'changed',
    }),
  ];
}
