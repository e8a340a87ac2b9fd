import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { InventoryError } from '../../errors.js';
import { setVar, type Draft, type Origin, type SourceFile } from '../draft.js';

const run = promisify(execFile);

const Vars = z.record(z.string(), z.unknown());
const Group = z
  .object(
    {
      hosts: z.array(z.string(), { error: 'bad data for the host list: expected a list of names' }).optional(),
      vars: Vars.optional(),
      children: z.array(z.string(), { error: 'expected a list of group names' }).optional(),
    },
    { error: 'expected a list of hosts or a mapping of hosts, vars and children' },
  )
  .loose();
const ListOutput = z.record(z.string(), z.unknown());
const Meta = z.object({ hostvars: z.record(z.string(), Vars).optional() }).loose();

/**
 * Runs an executable inventory script as Ansible's `script` plugin does (`SCRIPT --list`, JSON of
 * groups, and `_meta.hostvars`; without `_meta`, `SCRIPT --host NAME` for each host) and adds
 * what it prints to the draft.
 */
export async function addScriptInventory(draft: Draft, path: string): Promise<void> {
  const file: SourceFile = { source: path, lineOf: () => undefined };
  const fail = (message: string): never => {
    throw new InventoryError(message, path);
  };
  const list = parseJson(await output(path, ['--list'], fail), ListOutput, '--list output', fail);
  const at = (...path: string[]): Origin => ({ file, path });
  const hosts = new Set<string>();
  let meta: Record<string, Record<string, unknown>> | undefined;
  for (const [name, data] of Object.entries(list)) {
    if (name === '_meta') {
      meta = parseJson(data, Meta, '_meta', fail).hostvars ?? meta;
      continue;
    }
    draft.group(name);
    const entry = parseJson(normalize(name, data), Group, `group '${name}'`, fail);
    for (const h of entry.hosts ?? []) {
      hosts.add(h);
      draft.addHost(h, name, undefined, at(name));
    }
    for (const [k, v] of Object.entries(entry.vars ?? {})) draft.setGroupVar(name, k, v, at(name, 'vars', k));
    for (const child of entry.children ?? []) draft.addChild(name, child, at(name, 'children'));
  }
  for (const h of hosts) {
    const vars = meta
      ? (meta[h] ?? {})
      : parseJson(await output(path, ['--host', h], fail), Vars, `${path} --host ${h}`, fail);
    for (const [k, v] of Object.entries(vars)) setVar(draft.hosts.get(h)!, k, v, at('_meta', h, k));
  }
}

/**
 * Ansible's reading of a group's value: a list is its hosts; a mapping without hosts, vars or
 * children is its vars, with the group itself as its host.
 */
function normalize(name: string, data: unknown): unknown {
  if (Array.isArray(data)) return { hosts: data };
  if (data && typeof data === 'object' && !['hosts', 'vars', 'children'].some((k) => k in data)) {
    return { hosts: [name], vars: data };
  }
  return data;
}

async function output(path: string, args: string[], fail: (m: string) => never): Promise<unknown> {
  let stdout: string;
  try {
    ({ stdout } = await run(path, args, { maxBuffer: 256 << 20, timeout: 120_000 }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return fail(`inventory script ${[path, ...args].join(' ')} failed: ${(err.stderr || err.message).trim().split('\n')[0]}`);
  }
  try {
    return JSON.parse(stdout) as unknown;
  } catch (e) {
    return fail(`inventory script ${[path, ...args].join(' ')} did not print JSON: ${(e as Error).message}`);
  }
}

function parseJson<T>(data: unknown, schema: z.ZodType<T>, what: string, fail: (m: string) => never): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return fail(`${what}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}
