import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { PROXY_IMAGE_CHANGES, proxyRootfs } from '../images/proxy-image.js';
import { buildWebRootfs, WEB_IMAGE, WEB_IMAGE_CHANGES } from '../images/web-image.js';
import type { LabLayout } from '../layout.js';
import { podman } from './podman.js';
import { pushImage } from './registry.js';

/** The lab's images as fresh hosts pull them from the slot's registry. */
export interface FreshImages {
  /** The reverse proxy (Debian's NGINX), the inventory's `proxy_image`. */
  proxy: string;
  /** The small web app a test runs as a site's container (docs in web-image.ts). */
  web: string;
}

/** Imports a rootfs tarball into the lab's Podman store once per tarball (its name carries the recipe's key). */
export async function importRootfs(tarball: string, name: string, changes: readonly string[]): Promise<string> {
  const image = `localhost/${name}:${basename(tarball, '.tar').replace(/[^A-Za-z0-9_.-]/g, '-')}`;
  if ((await podman(['images', '-q', image])).trim()) return image;
  await podman(['import', '-q', ...changes.flatMap((c) => ['--change', c]), tarball, image]);
  return image;
}

/** The proxy and web images, built or taken from the cache, pushed into the slot's registry. */
export async function pushFreshImages(layout: LabLayout): Promise<FreshImages> {
  await mkdir(`${layout.dir}/images`, { recursive: true });
  const webTar = `${layout.dir}/images/vsa-web.tar`;
  const [proxyTar] = await Promise.all([proxyRootfs(), buildWebRootfs(webTar)]);
  const [proxy, web] = await Promise.all([
    importRootfs(proxyTar, 'vsa-proxy', PROXY_IMAGE_CHANGES),
    // Rebuilt at every lab: a few hundred kilobytes, and its entry script may have changed.
    podman(['import', '-q', ...WEB_IMAGE_CHANGES.flatMap((c) => ['--change', c]), webTar, WEB_IMAGE]).then(() => WEB_IMAGE),
  ]);
  return {
    proxy: await pushImage(layout, proxy, 'vsa-proxy:bookworm'),
    web: await pushImage(layout, web, 'vsa-web:latest'),
  };
}
