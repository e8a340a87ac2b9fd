import { debianRootfs, SUITE, type RootfsRecipe } from './debian-rootfs.js';

/** The reverse proxy's image in the lab: Debian's NGINX, built here, since no registry is reachable. */
export const PROXY_IMAGE = `localhost/vsa-proxy:${SUITE}`;
const RECIPE: RootfsRecipe = {
  name: 'proxy',
  /** nginx for the proxy, wget for the compose file's healthcheck. */
  packages: ['nginx', 'wget'],
  /** Debian's default site claims `default_server`; the vhosts vsa writes bring their own default servers. */
  hooks: ['rm -f "$1"/etc/nginx/sites-enabled/default'],
};
/** The image's config, as `podman import --change` arguments: NGINX in the foreground as PID 1. */
export const PROXY_IMAGE_CHANGES = ['CMD ["nginx", "-g", "daemon off;"]', 'EXPOSE 80', 'EXPOSE 443', 'STOPSIGNAL SIGQUIT'];

/** The rootfs tarball of the proxy image (`.lab/cache/vsa-proxy-bookworm-KEY.tar`). */
export function proxyRootfs(cwd = process.cwd()): Promise<string> {
  return debianRootfs(RECIPE, cwd);
}
