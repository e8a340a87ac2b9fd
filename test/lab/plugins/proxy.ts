import { PROXY_IMAGE, PROXY_IMAGE_CHANGES, proxyRootfs } from '../images/proxy-image.js';
import type { LabPlugin } from './types.js';

/**
 * The reverse proxy as a container (the default proxy mode): the proxy image imported into each
 * host's own Podman (each host has its own image store), named in the inventory as `proxy_image`
 * so `vsa bootstrap` runs the reverse-proxy stack with it. Needs the podman plugin before it.
 */
export function proxyPlugin(): LabPlugin {
  let rootfs = '';
  return {
    name: 'proxy',
    async setupGlobal() {
      rootfs = await proxyRootfs();
    },
    async setupHost(host, ctx) {
      const changes = PROXY_IMAGE_CHANGES.flatMap((c) => ['--change', c]);
      await ctx.runIn(host, ['podman', 'import', '-q', ...changes, rootfs, PROXY_IMAGE]);
    },
    vars: () => ({ proxy_image: PROXY_IMAGE }),
  };
}
