import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../runner/errors.js';
import { dataDir } from '../runner/store/data-dir.js';

/**
 * What the cron entry needs, resolved now: cron runs in another directory with another
 * environment, so the inventory, data dir and vsa itself are given as absolute paths.
 */
export function controlCronPreset(inventories: string[] | undefined, what: string, env: NodeJS.ProcessEnv = process.env) {
  if ((inventories ?? []).length > 1) throw new UsageError(`the cron entry of ${what} takes one inventory: give -i once`);
  const inventory = inventories?.[0];
  const inv = resolve(inventory ?? env.VSA_INVENTORY ?? 'inventory.yml');
  if (!existsSync(inv))
    throw new UsageError(`inventory ${inv} not found: give the one ${what} should use with -i`);
  return {
    inventory: inv,
    home: dataDir(env),
    node: process.execPath,
    vsa: resolve(process.argv[1] ?? 'vsa'),
  };
}
