import { homedir } from 'node:os';
import { join } from 'node:path';
import { NODE_IMAGE_CHANGES, nodeRootfs } from '../images/node-image.js';
import type { LabLayout } from '../layout.js';
import { APT_CACHE_PORT } from './apt-cache.js';
import { importRootfs } from './fresh-images.js';
import { podman } from './podman.js';
import { pushImage } from './registry.js';

const LOCAL = 'localhost/vsa-dashboard:lab';

/**
 * The argv of the build: the stack's own Dockerfile, only its base image changed. apt in it goes
 * through the slot's cache (Docker's predefined `http_proxy` argument); npm installs from the
 * machine's npm cache (filled by `npm ci`), mounted as an overlay so the build never writes it.
 */
export function dashboardBuildArgv(layout: LabLayout, base: string): string[] {
  return [
    'build',
    '-q',
    '--build-arg',
    `http_proxy=http://${layout.gateway}:${APT_CACHE_PORT}`,
    '-v',
    `${join(homedir(), '.npm')}:/root/.npm:O`,
    '--ulimit',
    'nofile=1024:20000',
    '--ulimit',
    'nproc=4096:4096',
    '--build-arg',
    `BASE=${base}`,
    '-f',
    'stacks/dashboard/Dockerfile',
    '-t',
    LOCAL,
    '.',
  ];
}

/**
 * `stacks/dashboard` built from this checkout on the lab's Node base (no registry is reachable
 * here for `node:20-bookworm-slim`) and pushed into the slot's registry. Podman keeps the layers in
 * the lab's store, so a second build with the same sources takes seconds.
 */
export async function buildDashboardImage(layout: LabLayout): Promise<string> {
  const base = await importRootfs(await nodeRootfs(), 'vsa-node', NODE_IMAGE_CHANGES);
  await podman(dashboardBuildArgv(layout, base));
  return pushImage(layout, LOCAL, 'vsa-dashboard:lab');
}
