import { z } from 'zod';

/**
 * The subset of the Compose specification vsa's stacks use, as far as the gates need it. Other keys
 * are allowed (loose objects): Compose grows, and the lint must not reject valid files.
 */
const stringOrList = z.union([z.string(), z.array(z.string())]);

const healthcheck = z.looseObject({
  test: stringOrList.optional(),
  disable: z.boolean().optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  retries: z.number().int().nonnegative().optional(),
  start_period: z.string().optional(),
});

const portLong = z.looseObject({
  target: z.union([z.number(), z.string()]),
  published: z.union([z.number(), z.string()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.string().optional(),
});
export const portSpec = z.union([z.string(), z.number(), portLong]);
export type PortSpec = z.infer<typeof portSpec>;

const build = z.union([
  z.string(),
  z.looseObject({ context: z.string().default('.'), dockerfile: z.string().optional() }),
]);

const service = z.looseObject({
  image: z.string().optional(),
  build: build.optional(),
  restart: z.string().optional(),
  healthcheck: healthcheck.optional(),
  ports: z.array(portSpec).optional(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.unknown().nullable())]).optional(),
  network_mode: z.string().optional(),
  env_file: z
    .union([z.string(), z.array(z.union([z.string(), z.looseObject({ path: z.string() })]))])
    .optional(),
});
export type ComposeService = z.infer<typeof service>;

const network = z
  .looseObject({
    external: z.union([z.boolean(), z.looseObject({ name: z.string().optional() })]).optional(),
    name: z.string().optional(),
    driver: z.string().optional(),
    internal: z.boolean().optional(),
  })
  .nullable();

export const composeFile = z.looseObject({
  services: z.record(z.string(), service),
  networks: z.record(z.string(), network).optional(),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});
export type ComposeFile = z.infer<typeof composeFile>;

/** Service names of `networks:` in either form (list or map). */
/** The env files a service reads, as written (relative to the compose file). */
export function serviceEnvFiles(svc: ComposeService): string[] {
  const f = svc.env_file;
  if (f === undefined) return [];
  return (typeof f === 'string' ? [f] : f).map((e) => (typeof e === 'string' ? e : e.path));
}

export function serviceNetworks(svc: ComposeService): string[] {
  if (!svc.networks) return [];
  return Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks);
}
