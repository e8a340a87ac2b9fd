import { access, mkdir, writeFile } from 'node:fs/promises';
import { buildWebRootfs, WEB_IMAGE, WEB_IMAGE_CHANGES } from '../images/web-image.js';
import type { LabContext, LabHost, LabPlugin } from './types.js';

/** The network the mission's containers join (created on every host, as `vsa bootstrap` would). */
export const EXT_NETWORK = 'flowbiz_ext';
/** The web app container each host runs, published on the host's port 8080. */
export const WEB_CONTAINER = 'web';
export const WEB_PORT = 8080;

/** sshd's default PATH looks here before /usr/bin, where podman-docker's `docker` lives. */
const SHADOWING_DIRS = ['/usr/local/sbin', '/usr/local/bin'];
/** No systemd in the lab, so healthchecks get no timers: this loop plays the timer's part. */
const HEALTH_TICK_SECONDS = 2;

/**
 * Podman as each host's Docker (see LAB-NOTES.md): its own /etc/containers and state per host,
 * runc with explicit ulimits, the web image imported, `flowbiz_ext` created and the `web`
 * container running. Container processes are children of conmon, which lives in the host's
 * namespaces, so the lab's teardown reaches them.
 */
export function podmanPlugin(): LabPlugin {
  let rootfs = '';
  return {
    name: 'podman',
    mounts: ['/etc/containers'],
    async setupGlobal(ctx) {
      await mkdir(`${ctx.layout.dir}/images`, { recursive: true });
      rootfs = `${ctx.layout.dir}/images/vsa-web.tar`;
      await buildWebRootfs(rootfs);
    },
    async setupHost(host, ctx) {
      await writeContainersConf(host);
      await useDockerShim(host, ctx);
      const changes = WEB_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
      await ctx.runIn(host, [
        'sh',
        '-ec',
        HOST_SETUP,
        'sh',
        rootfs,
        WEB_IMAGE,
        EXT_NETWORK,
        WEB_CONTAINER,
        host.name,
        ...changes,
      ]);
      ctx.spawnIn(host, ['sh', '-c', HEALTH_TICKER, 'sh', String(HEALTH_TICK_SECONDS)]);
    },
  };
}

/** Arguments: rootfs tarball, image, network, container, host name, then `--change VALUE` pairs. */
const HOST_SETUP = `rootfs=$1 image=$2 net=$3 name=$4 host=$5; shift 5
podman import -q "$@" "$rootfs" "$image" >/dev/null
podman network create "$net" >/dev/null
podman run -d -q --name "$name" --network "$net" -p ${WEB_PORT}:${WEB_PORT} --stop-signal KILL \\
  --restart unless-stopped -e LAB_HOST="$host" "$image" >/dev/null`;

const HEALTH_TICKER = `while :; do
  for c in $(podman ps -q --filter health=starting --filter health=healthy --filter health=unhealthy 2>/dev/null); do
    podman healthcheck run "$c" >/dev/null 2>&1
  done
  sleep "$1"
done`;

async function writeContainersConf(host: LabHost): Promise<void> {
  const dir = `${host.root}/etc/containers`;
  await mkdir(`${dir}/networks`, { recursive: true });
  await writeFile(`${dir}/containers.conf`, CONTAINERS_CONF);
  await writeFile(
    `${dir}/policy.json`,
    `${JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] })}\n`,
  );
  // Short names never resolve: the lab reaches no registry.
  await writeFile(`${dir}/registries.conf`, 'unqualified-search-registries = []\n');
  // podman-docker's `docker` prints a notice on every call unless this exists.
  await writeFile(`${dir}/nodocker`, '');
}

/** Makes `docker` on the host mean podman-docker even when another docker CLI comes first on PATH. */
async function useDockerShim(host: LabHost, ctx: LabContext): Promise<void> {
  for (const dir of SHADOWING_DIRS) {
    const found = await access(`${dir}/docker`).then(
      () => true,
      () => false,
    );
    if (found) await ctx.runIn(host, ['mount', '--bind', '/usr/bin/docker', `${dir}/docker`]);
  }
}

const CONTAINERS_CONF = `[containers]
# Without explicit ulimits every run fails: "error setting rlimit type 7: operation not permitted".
default_ulimits = ["nofile=1024:20000", "nproc=4096:4096"]
log_driver = "k8s-file"

[engine]
# crun fails here with "cgroups in hybrid mode not supported".
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;
