import { z } from 'zod';
import { UsageError } from '../runner/errors.js';
import { describeZodError } from '../runner/util/zod-message.js';

/**
 * Where a host's reverse proxy runs, from the inventory var `proxy_mode`:
 * - `container` (default): the reverse-proxy stack's NGINX in a container on flowbiz_ext, which
 *   reaches each site's container by name;
 * - `host`: the host's own NGINX, which reaches only ports published on loopback.
 */
export const PROXY_MODES = ['container', 'host'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];
export const PROXY_MODE_VAR = 'proxy_mode';

/** The NGINX container of stacks/reverse-proxy (its `container_name`). */
export const PROXY_CONTAINER = 'reverse-proxy-nginx';
/** Inventory var: the image of that container, for hosts that build or load it themselves. */
export const PROXY_IMAGE_VAR = 'proxy_image';

const modeSchema = z.enum(PROXY_MODES).default('container');

export function proxyMode(vars: Record<string, unknown>, host: string): ProxyMode {
  const r = modeSchema.safeParse(vars[PROXY_MODE_VAR]);
  if (!r.success) throw new UsageError(`${host}: ${describeZodError(r.error, `inventory var ${PROXY_MODE_VAR}`)}`);
  return r.data;
}

/** The container the NGINX modules exec into on this host; undefined for a host NGINX. */
export function nginxContainer(vars: Record<string, unknown>, host: string): string | undefined {
  return proxyMode(vars, host) === 'container' ? PROXY_CONTAINER : undefined;
}
