import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { Draft } from './draft.js';
import { resolveInventory } from './resolve.js';
import { addSource, validYaml } from './sources/add-source.js';
import type { LoadOptions } from './sources/read.js';
import { varsFolder } from './sources/vars-folder.js';
import type { Inventory } from './types.js';
import { addYamlInventory } from './yaml-inventory.js';
import { readYaml } from './yaml-source.js';
import { isDir } from '../util/is-dir.js';

/**
 * Reads inventory sources (`-i`, in order) into one inventory, as Ansible's InventoryManager does:
 * files in any supported format, folders of them, scripts and host lists; then `group_vars/` and
 * `host_vars/` beside each source (a folder's own, a file's folder) and in the playbook's folder.
 */
export async function loadInventory(sources: string | string[], opts: LoadOptions = {}): Promise<Inventory> {
  const list = typeof sources === 'string' ? [sources] : sources;
  const draft = new Draft();
  for (const s of list) await addSource(draft, s, opts);
  draft.reconcile();
  const beside = list.filter((s) => !s.includes(',') || existsSync(s)).map((s) => (isDir(s) ? s : dirname(s)));
  return resolveInventory(draft, list.join(', '), {
    inventory: beside.map((d) => varsFolder(d, opts)),
    playbook: opts.playbookDir ? [varsFolder(opts.playbookDir, opts)] : [],
  });
}

/** Parses YAML inventory text; `source` names it in errors (`file:line: cause`). */
export function parseInventory(text: string, source: string): Inventory {
  const src = readYaml(text, source);
  const draft = new Draft();
  addYamlInventory(draft, validYaml(src), src);
  draft.reconcile();
  return resolveInventory(draft, source);
}

