import { readFile } from 'node:fs/promises';
import { InventoryError } from '../errors.js';
import { buildDraft } from './build.js';
import { resolveInventory } from './resolve.js';
import { InventoryFileSchema, type InventoryFile } from './schema.js';
import type { Inventory } from './types.js';
import { readYaml } from './yaml-source.js';

/** Reads an Ansible-format YAML inventory file. */
export async function loadInventory(file: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(e);
    throw new InventoryError(`cannot read inventory: ${why}`, file);
  }
  return parseInventory(text, file);
}

/** Parses inventory text; `source` names it in errors (`file:line: cause`). */
export function parseInventory(text: string, source: string): Inventory {
  const src = readYaml(text, source);
  const fail = (message: string, path: string[] = []): never => {
    throw new InventoryError(message, source, src.lineOf(path));
  };
  const data = src.data;
  if (data === null || data === undefined) fail('the inventory is empty');
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail('an inventory must be a mapping of groups (all, or group names)');
  }
  if ('plugin' in (data as object)) {
    fail('inventory plugin configurations are not supported: give a YAML inventory of hosts', ['plugin']);
  }
  const parsed = InventoryFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') path.push(String(issue.keys[0]));
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    fail(`${where}${issue.message}`, path);
  }
  // The schema validated the whole tree; only its recursive type needs restating.
  const file = parsed.data as InventoryFile;
  return resolveInventory(buildDraft(file, src, source), src, source);
}
