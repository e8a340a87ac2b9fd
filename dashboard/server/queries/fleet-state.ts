import { z } from 'zod';
import { certStatusSchema, containerStatusSchema, recordedSiteSchema } from '../../../runner/store/host-status.js';
import type { Store } from '../../../runner/store/open.js';

/**
 * What the dashboard reads from a host's `host_state` snapshot (a `HostStatus`, written by
 * collect-status). Each entry is checked on its own against the runner's schema, leniently: a
 * field the page does not need may be missing, an entry it cannot read is left out rather than
 * failing the page. Days left are counted again from `notAfter`, now.
 */
const certificate = certStatusSchema
  .pick({ name: true, issuer: true, notAfter: true })
  .extend({ sans: certStatusSchema.shape.sans.default([]) });
const container = containerStatusSchema.partial().required({ name: true });
const site = recordedSiteSchema.omit({ version: true }).partial().required({ domain: true });

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
