import { z } from 'zod';
import type { Store } from '../../../runner/store/open.js';

/**
 * What the dashboard reads from a host's `host_state` snapshot (written by `collect-status`):
 * `{certificates: CertInfo[], containers: [...], sites: SiteConfig[]}`. Each entry is checked on
 * its own; one the dashboard cannot read is left out rather than failing the page.
 */
const certificate = z.object({
  name: z.string(),
  issuer: z.string(),
  notAfter: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date'),
  sans: z.array(z.string()).default([]),
  fingerprint: z.string().optional(),
});
const container = z.object({
  name: z.string(),
  image: z.string().optional(),
  state: z.string().optional(),
  status: z.string().optional(),
  health: z.string().optional(),
  ports: z.union([z.string(), z.array(z.string())]).optional(),
  project: z.string().optional(),
});
const site = z.object({
  domain: z.string(),
  container: z.string().optional(),
  port: z.number().optional(),
  externalPort: z.number().optional(),
  www: z.boolean().optional(),
  auth: z.boolean().optional(),
});

export type Urgency = 'expired' | 'critical' | 'warning' | 'ok';

export interface CertificateRow extends z.output<typeof certificate> {
  host: string;
  daysLeft: number;
  urgency: Urgency;
  collectedAt: string;
}
export type ContainerRow = z.output<typeof container> & { host: string; collectedAt: string };
export type SiteRow = z.output<typeof site> & {
  host: string;
  collectedAt: string;
  certificate: { daysLeft: number; urgency: Urgency; notAfter: string } | null;
};

const DAY_MS = 86_400_000;

/** Days left counted now, not when the snapshot was taken. */
export function urgencyOf(daysLeft: number): Urgency {
  if (daysLeft < 0) return 'expired';
  if (daysLeft < 7) return 'critical';
  if (daysLeft < 30) return 'warning';
  return 'ok';
}

function entries<S extends z.ZodType>(state: unknown, key: string, schema: S): z.output<S>[] {
  const list = (state as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) => {
    const r = schema.safeParse(e);
    return r.success ? [r.data] : [];
  });
}

export function certificates(store: Store, now = Date.now()): CertificateRow[] {
  return store.hostState
    .list()
    .flatMap((h) =>
      entries(h.state, 'certificates', certificate).map((c) => {
        const daysLeft = Math.floor((Date.parse(c.notAfter) - now) / DAY_MS);
        return { ...c, host: h.host, collectedAt: h.collectedAt, daysLeft, urgency: urgencyOf(daysLeft) };
      }),
    )
    .sort((a, b) => a.daysLeft - b.daysLeft || a.host.localeCompare(b.host));
}

export function containers(store: Store): ContainerRow[] {
  return store.hostState
    .list()
    .flatMap((h) => entries(h.state, 'containers', container).map((c) => ({ ...c, host: h.host, collectedAt: h.collectedAt })));
}

/** Recorded sites with the certificate that covers each on the same host. */
export function sites(store: Store, now = Date.now()): SiteRow[] {
  const certs = certificates(store, now);
  return store.hostState.list().flatMap((h) =>
    entries(h.state, 'sites', site).map((s) => {
      const c = certs.find((x) => x.host === h.host && (x.name === s.domain || x.sans.includes(s.domain)));
      return {
        ...s,
        host: h.host,
        collectedAt: h.collectedAt,
        certificate: c ? { daysLeft: c.daysLeft, urgency: c.urgency, notAfter: c.notAfter } : null,
      };
    }),
  );
}
