import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { debianRootfs, rootfsFile, type RootfsRecipe } from './debian-rootfs.js';

/** Where the running Node is installed (`/usr` for Debian-style packages, `/usr/local` for a tarball). */
const PREFIX = dirname(dirname(realpathSync(process.execPath)));

/**
 * A base for the stacks' Node images where no registry is reachable: Debian 12 with the control
 * machine's own Node (the project's version; Debian's is older) and npm, and the `node` user (uid
 * 1000) as the upstream `node:20-bookworm-slim` has it. The build tools and the SSH client the
 * dashboard's Dockerfile installs are already in, so its apt step only updates the lists.
 */
const RECIPE: RootfsRecipe = {
  name: 'node',
  packages: ['ca-certificates', 'python3', 'make', 'g++', 'openssh-client'],
  hooks: [
    `# node ${process.version}`,
    `cp ${PREFIX}/bin/node "$1"/usr/bin/node`,
    `cp -a ${PREFIX}/include/node "$1"/usr/include/node`,
    `mkdir -p "$1"/usr/lib/node_modules && cp -a ${PREFIX}/lib/node_modules/npm "$1"/usr/lib/node_modules/`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1"/usr/bin/npm',
    'ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1"/usr/bin/npx',
    'chroot "$1" useradd -m -u 1000 -s /bin/sh node',
    // npm reads only the cache the build mounts, and native modules compile against these headers:
    // neither npm's registry nor a prebuilt binary's host is reached from inside the lab.
    `mkdir -p "$1"/usr/etc && printf 'nodedir=/usr\\noffline=true\\nbuild-from-source=true\\n' > "$1"/usr/etc/npmrc`,
  ],
};

/** `podman import --change` arguments: as the upstream image, a shell-less default command. */
export const NODE_IMAGE_CHANGES = ['CMD ["node"]'];

/** The tarball's tag: a new Node or recipe is a new image. */
export const nodeImageTag = (cwd = process.cwd()) => rootfsFile(RECIPE, cwd).key;

/** `.lab/cache/vsa-node-bookworm-KEY.tar`. */
export function nodeRootfs(cwd = process.cwd()): Promise<string> {
  return debianRootfs(RECIPE, cwd);
}
