import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';

export interface ExtraVars {
  vars: Record<string, unknown>;
  /** Keys whose value stands on the command line itself (not `@file`), where `ps` and shell history see it. */
  onCommandLine: Set<string>;
}

/**
 * `-e` values as ansible-playbook takes them: `key=value` (a string), `@file.yml` (YAML or JSON),
 * or an inline JSON/YAML mapping. Later ones win.
 */
export async function parseExtraVars(items: readonly string[]): Promise<ExtraVars> {
  const vars: Record<string, unknown> = {};
  const onCommandLine = new Set<string>();
  for (const item of items) {
    const part = await parseOne(item);
    for (const key of Object.keys(part)) {
      if (item.startsWith('@')) onCommandLine.delete(key);
      else onCommandLine.add(key);
    }
    Object.assign(vars, part);
  }
  return { vars, onCommandLine };
}

async function parseOne(item: string): Promise<Record<string, unknown>> {
  if (item.startsWith('@')) {
    const file = item.slice(1);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`-e @${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    return mapping(text, `-e @${file}`);
  }
  const trimmed = item.trim();
  if (trimmed.startsWith('{')) return mapping(trimmed, '-e');
  const out: Record<string, unknown> = {};
  // Several k=v pairs may share one -e, separated by spaces, as in Ansible.
  for (const pair of trimmed.split(/\s+(?=[A-Za-z_][\w.-]*=)/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-e "${item}": expected key=value, @file.yml or a JSON object`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function mapping(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${where}: not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${where}: expected a mapping of names to values`);
  }
  return value as Record<string, unknown>;
}
