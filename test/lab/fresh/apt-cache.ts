import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LabLayout } from '../layout.js';
import { startSlotDaemon } from './slot-daemon.js';

export const APT_CACHE_PORT = 3142;

/** What a fresh host's apt is told, so every download goes through the lab's cache. */
export const aptProxyConf = (layout: LabLayout) =>
  `Acquire::http::Proxy "http://${layout.gateway}:${APT_CACHE_PORT}";\n`;

/** Per slot: two caches never write the same files, and a slot's reruns find theirs. */
const cacheDir = (layout: LabLayout, cwd: string) => resolve(cwd, `.lab/cache/apt-cacher-ng/s${layout.slot}`);

/**
 * A config of the lab's own: the machine's remaps send Debian's archive to mirrors from a list
 * shipped with the package, not to the `deb.debian.org` the machine's apt uses. Without remaps,
 * apt-cacher-ng fetches each URL from the host it names, and caches it.
 */
export function aptCacheConf(layout: LabLayout, cwd = process.cwd()): string {
  const dir = `${layout.dir}/apt-cache`;
  return [
    `CacheDir: ${cacheDir(layout, cwd)}`,
    `LogDir: ${dir}`,
    'SupportDir: /usr/lib/apt-cacher-ng',
    `Port: ${APT_CACHE_PORT}`,
    `BindAddress: ${layout.gateway}`,
    `PidFile: ${dir}/apt-cacher-ng.pid`,
    `SocketPath: ${dir}/socket`,
    'ForeGround: 1',
    '',
  ].join('\n');
}

/** apt-cacher-ng on the slot's gateway address; resolves with its pid. */
export async function startAptCache(layout: LabLayout, cwd = process.cwd()): Promise<number> {
  const dir = `${layout.dir}/apt-cache`;
  await mkdir(dir, { recursive: true });
  await mkdir(cacheDir(layout, cwd), { recursive: true });
  await writeFile(`${dir}/acng.conf`, aptCacheConf(layout, cwd));
  return startSlotDaemon(layout, {
    name: 'apt-cache',
    argv: ['apt-cacher-ng', '-c', dir],
    log: `${dir}/stdout.log`,
    port: APT_CACHE_PORT,
  });
}
