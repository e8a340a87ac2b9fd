import { mkdir, writeFile } from 'node:fs/promises';
import type { LabLayout } from '../layout.js';
import { podman } from './podman.js';
import { startSlotDaemon } from './slot-daemon.js';

export const REGISTRY_PORT = 5000;

/** Where fresh hosts pull the lab's images from, e.g. `198.18.96.1:5000`. */
export const registryAddress = (layout: LabLayout) => `${layout.gateway}:${REGISTRY_PORT}`;

/** The name a fresh host pulls a lab image by: `vsa-web:latest` → `198.18.96.1:5000/vsa-web:latest`. */
export const registryRef = (layout: LabLayout, name: string) => `${registryAddress(layout)}/${name}`;

/**
 * A registry of the slot's own (Debian's `docker-registry`), so fresh hosts pull images the way a
 * VPS pulls from Docker Hub, with no registry outside the lab. Plain HTTP on the gateway: the
 * hosts' engines list it as an insecure registry. Its storage is the slot's, gone with `lab:down`.
 */
export async function startRegistry(layout: LabLayout): Promise<number> {
  const dir = `${layout.dir}/registry`;
  await mkdir(`${dir}/storage`, { recursive: true });
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dir}/storage`,
    'http:',
    `  addr: ${registryAddress(layout)}`,
    '',
  ].join('\n');
  await writeFile(`${dir}/config.yml`, config);
  return startSlotDaemon(layout, {
    name: 'registry',
    argv: ['docker-registry', 'serve', `${dir}/config.yml`],
    log: `${dir}/registry.log`,
    port: REGISTRY_PORT,
  });
}

/** Pushes an image of the lab's Podman store into the slot's registry as `name`. */
export async function pushImage(layout: LabLayout, local: string, name: string): Promise<string> {
  const ref = registryRef(layout, name);
  await podman(['push', '-q', '--tls-verify=false', local, `docker://${ref}`]);
  return ref;
}
