import { existsSync } from 'node:fs';
import { UsageError } from '../runner/errors.js';
import { limitHosts, loadInventory, matchPattern } from '../runner/inventory/index.js';
import type { InventoryHost } from '../runner/inventory/types.js';
import { expandLimit, type RunLookup } from './limit-refs.js';

/** `-i`, else `$VSA_INVENTORY`, else `./inventory.yml`. */
export function inventoryPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const file = flag ?? env.VSA_INVENTORY ?? (existsSync('inventory.yml') ? 'inventory.yml' : undefined);
  if (!file) throw new UsageError('no inventory: pass -i FILE or set VSA_INVENTORY');
  return file;
}

/** The play's hosts: its own pattern, narrowed by `--limit`; no host at all is an error, not a no-op. */
export async function resolveHosts(pattern: string, flags: { inventory?: string; limit?: string }): Promise<InventoryHost[]> {
  const inv = await loadInventory(inventoryPath(flags.inventory));
  let hosts = matchPattern(inv, pattern).hosts;
  if (flags.limit) hosts = limitHosts(inv, hosts, await expandLimit(flags.limit, recordedRuns));
  if (hosts.length === 0) {
    const why = flags.limit ? `"${pattern}" limited by "${flags.limit}"` : `"${pattern}"`;
    throw new UsageError(`no hosts in ${inv.source} match ${why}`);
  }
  return hosts;
}

/** The run history, opened only for `--limit @failed:RUN` (so other runs never load SQLite for it). */
async function recordedRuns(): Promise<RunLookup> {
  const { dataDir, openStore } = await import('../runner/store/index.js');
  const store = openStore(dataDir());
  return { get: (ref) => store.history.get(ref), tasks: (id) => store.history.tasks(id), close: () => store.close() };
}
