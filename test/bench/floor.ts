import { mkdir, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { FloorSpec } from './floor-client.js';
import { timed, type Timed } from './timed.js';

/**
 * Builds floor-client.ts into `dir` as one plain ESM file: run with `node`, not through a
 * TypeScript loader, so its start-up is Node's own. ssh2 stays a package import, found through a
 * node_modules link beside the file.
 */
export async function buildFloor(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await symlink(resolve('node_modules'), join(dir, 'node_modules')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  const file = join(dir, 'floor-client.mjs');
  await build({
    entryPoints: [new URL('./floor-client.ts', import.meta.url).pathname],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ssh2'],
    logLevel: 'warning',
  });
  return file;
}

/** One floor run; fails when any host did. */
export async function runFloor(client: string, spec: FloorSpec): Promise<Timed> {
  const r = await timed(['node', client, JSON.stringify(spec)]);
  if (r.code !== 0) throw new Error(`floor client failed (exit ${r.code}): ${r.stderr.slice(-800)}`);
  return r;
}
