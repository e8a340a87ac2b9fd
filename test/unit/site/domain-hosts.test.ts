import { describe, expect, it } from 'vitest';
import type { Connection, Connector } from '../../../runner/connection/types.js';
import { UnreachableError, UsageError } from '../../../runner/errors.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';
import { domainHosts, servesCommand } from '../../../site/domain-hosts.js';

const host = (name: string) => ({ name, become: false }) as InventoryHost;
const D = 'shop.example.com';

/** A fleet where `serving` hosts have the site record; every exec is logged. */
function fleet(serving: string[], down: string[] = []) {
  const log: string[] = [];
  const connect: Connector = async (h) => {
    if (down.includes(h.name)) throw new UnreachableError(h.name, 'connection refused');
    const conn: Partial<Connection> = {
      host: h.name,
      exec: async (cmd) => {
        log.push(`${h.name}: ${JSON.stringify(cmd)}`);
        return { code: serving.includes(h.name) ? 0 : 1, stdout: '', stderr: '' };
      },
      close: async () => {},
    };
    return conn as Connection;
  };
  return { connect, log };
}

const names = (hs: InventoryHost[]) => hs.map((h) => h.name);
const hosts = [host('web01'), host('web02'), host('web03')];

describe('domainHosts: a per-domain command without --limit', () => {
  it('acts only on the hosts whose site record names the domain', async () => {
    const f = fleet(['web02']);
    const got = await domainHosts(hosts, { domain: D, allowNew: true, source: 'hosts.yml' }, f.connect);
    expect(names(got)).toEqual(['web02']);
    expect(f.log).toEqual(
      ['web01', 'web02', 'web03'].map((h) => `${h}: ${JSON.stringify(servesCommand(D))}`),
    );
    expect(servesCommand(D)).toEqual({ argv: ['test', '-f', `/var/lib/vsa/sites/${D}.json`] });
  });

  it('a new domain on several hosts is refused with exit 5, naming --limit', async () => {
    const err = await domainHosts(hosts, { domain: D, allowNew: true, source: 'hosts.yml' }, fleet([]).connect).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(5);
    expect((err as Error).message).toBe(
      `${D} is a new site and hosts.yml has 3 hosts (web01, web02, web03): choose where with --limit HOST`,
    );
  });

  it('a command on an existing site that no host serves is refused with exit 5', async () => {
    await expect(
      domainHosts(hosts, { domain: D, allowNew: false, source: 'hosts.yml' }, fleet([]).connect),
    ).rejects.toThrow(`site ${D} is not provisioned on any host of hosts.yml (no /var/lib/vsa/sites/${D}.json)`);
  });

  it('one host needs no probe: it is the target', async () => {
    const f = fleet([]);
    const got = await domainHosts([host('web01')], { domain: D, allowNew: true, source: 'h.yml' }, f.connect);
    expect(names(got)).toEqual(['web01']);
    expect(f.log).toEqual([]);
  });

  it('an unreachable host makes the answer unknown: exit 4 naming the host and --limit', async () => {
    const err = await domainHosts(
      hosts,
      { domain: D, allowNew: true, source: 'h.yml' },
      fleet(['web01'], ['web03']).connect,
    ).catch((e: unknown) => e);
    expect((err as UnreachableError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/^web03: cannot tell whether it serves shop\.example\.com .*--limit/);
  });
});
