import { chmod, mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $ } from 'zx';

/** The small web app every lab host runs as its `web` container (and the compose fixture uses). */
export const WEB_IMAGE = 'localhost/vsa-web:latest';

const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'httpd', 'wget', 'echo', 'cat', 'mkdir', 'sleep', 'hostname', 'ls', 'env'];

/**
 * Serves /www on $PORT (8080); the page names the lab host ($LAB_HOST) so a test can tell which
 * host answered through which proxy.
 */
const ENTRYPOINT = `#!/bin/sh
mkdir -p /www
echo "web \${LAB_HOST:-$(hostname)}" > /www/index.html
exec httpd -f -p "\${PORT:-8080}" -h /www
`;

/** The image's config, as `podman import --change` arguments. */
export const WEB_IMAGE_CHANGES = ['CMD ["/bin/web"]', 'EXPOSE 8080', 'ENV PORT=8080'];

/**
 * Writes a rootfs tarball of busybox-static plus the entry script: no registry is reachable, so
 * each host imports this with `podman import`.
 */
export async function buildWebRootfs(outFile: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vsa-web-'));
  try {
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'www'));
    await mkdir(join(dir, 'tmp'), { mode: 0o1777 });
    await copyFile(BUSYBOX, join(dir, 'bin/busybox'));
    await chmod(join(dir, 'bin/busybox'), 0o755);
    await Promise.all(APPLETS.map((a) => symlink('busybox', join(dir, 'bin', a))));
    await writeFile(join(dir, 'bin/web'), ENTRYPOINT, { mode: 0o755 });
    await $({ quiet: true })`tar --owner=0 --group=0 -C ${dir} -cf ${outFile} .`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
