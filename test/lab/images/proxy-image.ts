import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { $ } from 'zx';

/** The reverse proxy's image in the lab: Debian's NGINX, built here, since no registry is reachable. */
export const PROXY_IMAGE = 'localhost/vsa-proxy:bookworm';
/** nginx for the proxy, wget for the compose file's healthcheck. */
const PACKAGES = ['nginx', 'wget'];
const SUITE = 'bookworm';
/** Debian's default site claims `default_server`; the vhosts vsa writes bring their own default servers. */
const HOOKS = ['rm -f "$1"/etc/nginx/sites-enabled/default'];
/** The image's config, as `podman import --change` arguments: NGINX in the foreground as PID 1. */
export const PROXY_IMAGE_CHANGES = ['CMD ["nginx", "-g", "daemon off;"]', 'EXPOSE 80', 'EXPOSE 443', 'STOPSIGNAL SIGQUIT'];

/** Rebuilt only when the suite, the package list or the hooks change. */
function cacheKey(): string {
  return createHash('sha256').update(JSON.stringify({ SUITE, PACKAGES, HOOKS })).digest('hex').slice(0, 12);
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s.size > 0,
    () => false,
  );

/**
 * The rootfs tarball of the proxy image, from Debian packages through the machine's apt sources
 * (`mmdebstrap`), cached under `.lab/cache/` so every lab (and slot) builds it once. Built to a
 * temporary name and renamed, so a concurrent lab never imports half a tarball.
 */
export async function proxyRootfs(cwd = process.cwd()): Promise<string> {
  const dir = resolve(cwd, '.lab/cache');
  const file = join(dir, `vsa-proxy-${SUITE}-${cacheKey()}.tar`);
  if (await exists(file)) return file;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const hooks = HOOKS.flatMap((h) => ['--customize-hook', h]);
    await $({ quiet: true })`mmdebstrap --quiet --variant=apt --include=${PACKAGES.join(',')} ${hooks} ${SUITE} ${tmp}`;
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return file;
}
