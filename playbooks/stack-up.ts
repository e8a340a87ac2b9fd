import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { copy, directory, dockerCompose, dockerNetwork, stat } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { slug } from '../runner/site/params.js';
import { PROXY_NETWORK, SRV_DIR } from '../runner/site/paths.js';

const params = z.object({
  name: slug.describe('the stack: stacks/NAME on the control machine'),
  tenant: slug.default('flowbiz').describe('the tenant: the stack goes to /srv/TENANT/NAME'),
  dir: z.string().min(1).default('stacks').describe('where stacks live on the control machine'),
  timeout: z.coerce
    .number()
    .int()
    .positive()
    .default(120)
    .describe('seconds to wait for the services to be healthy'),
});

/**
 * Uploads `stacks/NAME/compose.yml` (and `.env` when there is one beside it, mode 0640) to
 * `/srv/TENANT/NAME/` with its data/env/logs/compose directories, then `docker compose up -d` and
 * waits until every service with a healthcheck is healthy.
 */
export default definePlaybook({
  name: 'stack-up',
  description: 'Upload stacks/NAME to /srv/TENANT/NAME, docker compose up -d, wait until healthy',
  hosts: 'all',
  params,
  tasks(p) {
    const local = resolve(p.dir, p.name);
    const root = `${SRV_DIR}/${p.tenant}/${p.name}`;
    const envFile = `${root}/env/.env`;
    const dir = (path: string, mode = '0755') => task(directory, `directory ${path}`, { path, mode });
    return [
      dir(`${SRV_DIR}/${p.tenant}`),
      dir(root),
      dir(`${root}/data`),
      dir(`${root}/env`, '0750'),
      dir(`${root}/logs`),
      dir(`${root}/compose`),
      task(copy, 'compose.yml', { src: `${local}/compose.yml`, dest: `${root}/compose.yml`, mode: '0644' }),
      ...(existsSync(`${local}/.env`)
        ? [task(copy, 'env file', { src: `${local}/.env`, dest: envFile, mode: '0640' })]
        : []),
      task(stat, 'look for the env file', { path: envFile }, { register: 'env' }),
      task(dockerNetwork, `network ${PROXY_NETWORK}`, { name: PROXY_NETWORK }),
      task(dockerCompose, `compose up ${p.name}`, (h) => ({
        action: 'up' as const,
        projectDir: root,
        projectName: p.name,
        timeout: p.timeout,
        ...(h.results.env?.data?.exists === true ? { envFile: 'env/.env' } : {}),
      })),
    ];
  },
});
