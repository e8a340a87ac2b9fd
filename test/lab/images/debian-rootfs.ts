import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { $ } from 'zx';

export const SUITE = 'bookworm';

export interface RootfsRecipe {
  /** Names the cached tarball: `.lab/cache/vsa-NAME-bookworm-KEY.tar`. */
  name: string;
  packages: readonly string[];
  /** mmdebstrap `--customize-hook` shell snippets; `$1` is the new root. */
  hooks: readonly string[];
}

/** Rebuilt only when the suite, the package list or the hooks change. */
function cacheKey(r: RootfsRecipe): string {
  const key = { SUITE, PACKAGES: r.packages, HOOKS: r.hooks };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 12);
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s.size > 0,
    () => false,
  );

/** The tarball's path (whether built yet or not) and its tag for image names. */
export function rootfsFile(r: RootfsRecipe, cwd = process.cwd()): { file: string; key: string } {
  const key = cacheKey(r);
  return { file: join(resolve(cwd, '.lab/cache'), `vsa-${r.name}-${SUITE}-${key}.tar`), key };
}

/**
 * A Debian rootfs tarball from Debian packages through the machine's apt sources (`mmdebstrap`),
 * cached under `.lab/cache/` so every lab (and slot) builds it once. Built to a temporary name and
 * renamed, so a concurrent lab never imports half a tarball.
 */
export async function debianRootfs(r: RootfsRecipe, cwd = process.cwd()): Promise<string> {
  const { file } = rootfsFile(r, cwd);
  if (await exists(file)) return file;
  await mkdir(resolve(cwd, '.lab/cache'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const hooks = r.hooks.flatMap((h) => ['--customize-hook', h]);
    // The format is given: mmdebstrap takes it from the name, and `.tmp` would make a directory.
    await $({ quiet: true })`mmdebstrap --quiet --format=tar --variant=apt --include=${r.packages.join(',')} ${hooks} ${SUITE} ${tmp}`;
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}
