import type { Connector } from '../runner/connection/types.js';
import { UnreachableError, UsageError } from '../runner/errors.js';
import type { InventoryHost } from '../runner/inventory/types.js';
import { argv } from '../runner/shell/command.js';
import { siteRecordPath } from './paths.js';

export interface DomainTargets {
  domain: string;
  allowNew: boolean;
  /** The inventory file, named in the messages. */
  source: string;
}

/** `test -f` of the site record: 0 when the host serves the domain, 1 when not. */
export const servesCommand = (domain: string) => argv('test', '-f', siteRecordPath(domain));

/**
 * The hosts a per-domain command acts on when no `--limit` was given: those whose site record names
 * the domain. A domain no host serves is new: on one host that host gets it, on several the
 * operator must say where (exit 5) — a provision must never land on every host of a fleet.
 */
export async function domainHosts(
  hosts: InventoryHost[],
  t: DomainTargets,
  connect: Connector,
): Promise<InventoryHost[]> {
  if (hosts.length <= 1) return hosts;
  const serving = await Promise.all(hosts.map((h) => serves(h, t.domain, connect)));
  const found = hosts.filter((_, i) => serving[i]);
  if (found.length > 0) return found;
  if (!t.allowNew)
    throw new UsageError(
      `site ${t.domain} is not provisioned on any host of ${t.source} (no ${siteRecordPath(t.domain)})`,
    );
  throw new UsageError(
    `${t.domain} is a new site and ${t.source} has ${hosts.length} hosts (${hosts.map((h) => h.name).join(', ')}): ` +
      'choose where with --limit HOST',
  );
}

async function serves(host: InventoryHost, domain: string, connect: Connector): Promise<boolean> {
  const conn = await connect(host).catch((err: Error) => {
    throw new UnreachableError(host.name, `cannot tell whether it serves ${domain} (${err.message}); choose hosts with --limit`, { cause: err });
  });
  try {
    const r = await conn.exec(servesCommand(domain), { become: host.become });
    return r.code === 0;
  } finally {
    await conn.close();
  }
}
