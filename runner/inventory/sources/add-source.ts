import { accessSync, constants, existsSync, openSync, readSync, closeSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InventoryError } from '../../errors.js';
import { parseAddress } from '../address.js';
import type { Draft, SourceFile } from '../draft.js';
import { InventoryFileSchema, type InventoryFile } from '../schema.js';
import { addYamlInventory } from '../yaml-inventory.js';
import { readYaml, type YamlSource } from '../yaml-source.js';
import { addIniInventory } from './ini.js';
import { readText, type LoadOptions } from './read.js';
import { addScriptInventory } from './script.js';
import { isDir } from '../../util/is-dir.js';

/**
 * What Ansible skips in an inventory folder (`IGNORED` in ansible/inventory/manager.py): hidden
 * entries, `group_vars`, `host_vars`, `vars_plugins`, and the extensions of its default
 * `INVENTORY_IGNORE_EXTS` (so an `.ini` file in a folder is not read, as in Ansible).
 */
const ignored =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const yamlExtensions = ['', '.yml', '.yaml', '.json'];

/**
 * Adds one `-i` source to the draft, choosing the reader as Ansible's enabled inventory plugins
 * do, in their order: a comma-separated host list, an executable script, YAML (by extension, or
 * a file without one that reads as a YAML mapping), else INI. A folder adds every entry in it,
 * sorted, sub-folders included.
 */
export async function addSource(draft: Draft, path: string, opts: LoadOptions): Promise<void> {
  if (!existsSync(path) && path.includes(',')) return addHostList(draft, path);
  if (isDir(path)) {
    const names = readdirSync(path).sort().filter((n) => !ignored.test(n));
    // Ansible only warns that nothing was parsed, then runs on no hosts.
    if (!names.length) throw new InventoryError('the inventory folder holds no inventory file', path);
    for (const name of names) await addSource(draft, join(path, name), opts);
    return;
  }
  if (isScript(path)) return addScriptInventory(draft, path);
  const { text } = readText(path, opts);
  const ext = extname(path);
  if (yamlExtensions.includes(ext)) {
    const src = ext ? readYaml(text, path) : yamlMapping(text, path);
    if (src) return addYamlInventory(draft, validYaml(src), src);
  }
  addIniInventory(draft, text, path);
}

/** `-i 'web1,web2:2222,'`: hosts in `ungrouped` (Ansible's `host_list` plugin). */
function addHostList(draft: Draft, list: string): void {
  const file: SourceFile = { source: list, lineOf: () => undefined };
  for (const entry of list.split(',').map((h) => h.trim()).filter(Boolean)) {
    const addr = parseAddress(entry);
    const name = addr?.host ?? entry;
    if (!draft.hosts.has(name)) draft.addHost(name, 'ungrouped', addr?.port, { file, path: [] });
  }
}

/** A file without an extension is YAML when it reads as a YAML mapping; otherwise INI is tried, as Ansible does. */
function yamlMapping(text: string, path: string): YamlSource | undefined {
  try {
    const src = readYaml(text, path);
    return src.data && typeof src.data === 'object' && !Array.isArray(src.data) ? src : undefined;
  } catch {
    return undefined;
  }
}

export function validYaml(src: YamlSource): InventoryFile {
  const fail = (message: string, path: string[] = []): never => {
    throw new InventoryError(message, src.source, src.lineOf(path));
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
  return parsed.data as InventoryFile;
}


/** Ansible's `script` plugin: an executable file that starts with `#!`. */
function isScript(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return false;
  }
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    return head.toString() === '#!';
  } finally {
    closeSync(fd);
  }
}

