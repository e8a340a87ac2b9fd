import { z } from 'zod';
import { copy, directory, dockerCompose, dockerNetwork, file, stackRelease } from '../modules/index.js';
import { definePlaybook, task } from '../runner/playbook/define.js';
import { flag, slug } from '../site/params.js';
import { PROXY_NETWORK, SRV_DIR } from '../site/paths.js';
import { proxyNames } from '../site/stack-proxy-names.js';
import { stackNamesFreeTask } from './lib/name-claims.js';
import { stackSource } from './lib/stack-files.js';
import { gateStack, SKIPPABLE_RULES } from './lib/stack-gate.js';
import { plannedCompose, releaseOf } from './lib/stack-plan.js';
import { composeUp, healthTimeout, restoreRelease } from './lib/stack-release.js';

const params = z.object({
  name: slug.describe('the stack: stacks/NAME on the control machine'),
  tenant: slug.default('flowbiz').describe('the tenant: the stack goes to /srv/TENANT/NAME'),
  dir: z.string().min(1).default('stacks').describe('where stacks live on the control machine').meta({ stacksDir: true }),
  timeout: healthTimeout,
  skipLint: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((r) => r.trim()).filter(Boolean) : v),
      z.array(z.enum(SKIPPABLE_RULES)),
    )
    .default([])
    .describe('stack lint rules this deploy may break (comma-separated); the run records them'),
  rollback: flag(true).describe('when the services do not come up healthy, bring the previous release back'),
});

const ENV_UPLOAD = 'env upload';

/** The directories those files need, parents before children. */
function stackDirs(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/').slice(0, -1);
    parts.forEach((_, i) => dirs.add(parts.slice(0, i + 1).join('/')));
  }
  return [...dirs].sort();
}

/**
 * Checks the stack on the control machine first (it exists, passes `stack lint` but for
 * `skipLint`), then uploads the stack directory `stacks/NAME/` (compose.yml and the config files it
 * mounts; `.env` when there is one, to `env/.env` with mode 0640) to `/srv/TENANT/NAME/` with its
 * data/env/logs/compose directories, makes sure `env/.env` exists (a service's `env_file:` needs
 * it on every engine), then `docker compose up -d` and waits until every service with a
 * healthcheck is healthy, and records the upload as the current release (`.vsa-releases`, by
 * content hash, the last 5 kept). In check mode the compose task plans from the files it would
 * upload. A run that fails part way puts the current release back up (the rescue) unless
 * `rollback` is off.
 */
export default definePlaybook({
  name: 'stack-up',
  description: 'Upload stacks/NAME to /srv/TENANT/NAME, docker compose up -d, wait until healthy',
  hosts: 'all',
  params,
  tasks(p) {
    const source = stackSource(p.dir, p.name);
    const compose = gateStack(p.dir, p.name, p.skipLint);
    const { root: local, files, envFile: localEnv } = source;
    const planned = plannedCompose(source);
    const root = `${SRV_DIR}/${p.tenant}/${p.name}`;
    const envFile = `${root}/env/.env`;
    // The tenant may write below /srv/TENANT: a link it planted there is never followed.
    const dir = (path: string, mode = '0755') => task(directory, `directory ${path}`, { path, mode, follow: false });
    return [
      stackNamesFreeTask(p.name, proxyNames(compose, p.name), root),
      dir(`${SRV_DIR}/${p.tenant}`),
      dir(root),
      dir(`${root}/data`),
      dir(`${root}/env`, '0750'),
      dir(`${root}/logs`),
      dir(`${root}/compose`),
      ...stackDirs(files).map((d) => dir(`${root}/${d}`)),
      ...files.map((f) => task(copy, f, { src: `${local}/${f}`, dest: `${root}/${f}`, mode: '0644' })),
      ...(localEnv ? [task(copy, 'env file', { src: localEnv, dest: envFile, mode: '0640' }, { register: ENV_UPLOAD })] : []),
      task(file, 'env file exists', { path: envFile, state: 'touch', mode: '0640', follow: false }),
      task(dockerNetwork, `network ${PROXY_NETWORK}`, { name: PROXY_NETWORK }),
      task(dockerCompose, `compose up ${p.name}`, (h) => ({
        ...composeUp(root, p.name, p.timeout),
        ...(planned ? { planned: { ...planned, envChanged: h.results[ENV_UPLOAD]?.status === 'changed' } } : {}),
      })),
      task(stackRelease, 'record the release', (h) => ({
        action: 'record' as const,
        projectDir: root,
        id: releaseOf(source),
        files,
        runId: h.run?.id ?? '',
        actor: h.run?.actor ?? '',
      })),
    ];
  },
  rescue(p) {
    const root = `${SRV_DIR}/${p.tenant}/${p.name}`;
    return p.rollback ? restoreRelease(root, p.name, p.timeout, 'current') : [];
  },
});
