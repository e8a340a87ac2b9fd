import { z } from 'zod';

/**
 * What collect-status records per host (the data of its task `collect`, kept by the store as the
 * host's last-known state); the dashboard's fleet views read it back with these same schemas.
 */
export const containerStatusSchema = z.object({
  name: z.string(),
  image: z.string(),
  /** `running`, `exited`, … */
  state: z.string(),
  /** The engine's own summary, e.g. `Up 5 minutes (healthy)`. */
  status: z.string(),
  health: z.enum(['healthy', 'unhealthy', 'starting']).optional(),
});

export const certStatusSchema = z.object({
  name: z.string(),
  issuer: z.string(),
  /** ISO 8601. */
  notAfter: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date'),
  /** Counted when the snapshot was taken. */
  daysLeft: z.number().int(),
  sans: z.array(z.string()),
});

/** A site record as the host keeps it (`/var/lib/vsa/sites/DOMAIN.json`); the site domain checks each field further. */
export const recordedSiteSchema = z.object({
  version: z.literal(1),
  domain: z.string(),
  /** The container behind the site, reached on the proxy network unless `externalPort` is set. */
  container: z.string().optional(),
  /** The container's port. */
  port: z.number().int(),
  /** A port published on the host: the proxy goes to 127.0.0.1 on it instead of the container's address. */
  externalPort: z.number().int().optional(),
  www: z.boolean(),
  auth: z.boolean(),
});

export const diskUsageSchema = z.object({
  filesystem: z.string(),
  mount: z.string(),
  sizeKb: z.number(),
  usedKb: z.number(),
  availKb: z.number(),
  usePercent: z.number(),
});

export const loadSchema = z.object({ one: z.number(), five: z.number(), fifteen: z.number() }).nullable();

export const hostStatusSchema = z.object({
  collectedAt: z.iso.datetime({ offset: true }),
  containers: z.array(containerStatusSchema),
  certificates: z.array(certStatusSchema),
  sites: z.array(recordedSiteSchema),
  disk: z.array(diskUsageSchema),
  load: loadSchema,
  /** Parts that could not be read (no container engine, no openssl, …), one line each. */
  errors: z.array(z.string()),
});

export type HostStatus = z.output<typeof hostStatusSchema>;
export type ContainerStatus = z.output<typeof containerStatusSchema>;
export type CertStatus = z.output<typeof certStatusSchema>;
export type DiskUsage = z.output<typeof diskUsageSchema>;
