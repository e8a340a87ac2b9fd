import { existsSync } from 'node:fs';
import { UsageError } from '../runner/errors.js';
import { limitHosts, loadInventory, matchPattern } from '../runner/inventory/index.js';
import type { InventoryHost } from '../runner/inventory/types.js';
import { revealVault } from '../runner/vault/reveal.js';
import type { VaultSecret } from '../runner/vault/secret.js';
import { expandLimit, type RunLookup } from './limit-refs.js';

export interface InventoryFlags {
  /** `-i`, repeatable: read in order into one inventory. */
  inventory: string[];
}

/** `-i` (each one), else `$VSA_INVENTORY`, else the `inventory` of ansible.cfg, else `./inventory.yml`. */
export function inventorySources(
  flags: string[],
  env: NodeJS.ProcessEnv = process.env,
  configured: string[] = [],
): string[] {
  if (flags.length) return flags;
  if (env.VSA_INVENTORY) return [env.VSA_INVENTORY];
  if (configured.length) return configured;
  if (existsSync('inventory.yml')) return ['inventory.yml'];
  throw new UsageError('no inventory: pass -i FILE or set VSA_INVENTORY');
}

/**
 * The play's hosts: its own pattern, narrowed by `--limit`; no host at all is an error, not a
 * no-op. Their `!vault` values are decrypted here, before any connection, and every decrypted
 * value comes back in `secrets` for the redactor.
 */
export async function resolveHosts(
  pattern: string,
  flags: InventoryFlags & { limit?: string; playbookDir?: string },
  vault: readonly VaultSecret[],
  configured: string[] = [],
): Promise<{ hosts: InventoryHost[]; secrets: string[] }> {
  const inv = await loadInventory(inventorySources(flags.inventory, process.env, configured), {
    vault,
    ...(flags.playbookDir ? { playbookDir: flags.playbookDir } : {}),
  });
  let hosts = matchPattern(inv, pattern).hosts;
  if (flags.limit) hosts = limitHosts(inv, hosts, await expandLimit(flags.limit, recordedRuns));
  if (hosts.length === 0) {
    const why = flags.limit ? `"${pattern}" limited by "${flags.limit}"` : `"${pattern}"`;
    throw new UsageError(`no hosts in ${inv.source} match ${why}`);
  }
  return { hosts, secrets: [...inv.secrets, ...revealVault(hosts, vault)] };
}

/** The run history, opened only for `--limit @failed:RUN` (so other runs never load SQLite for it). */
async function recordedRuns(): Promise<RunLookup> {
  const { dataDir, openStore } = await import('../runner/store/index.js');
  const store = openStore(dataDir());
  return { get: (ref) => store.history.get(ref), tasks: (id) => store.history.tasks(id), close: () => store.close() };
}
