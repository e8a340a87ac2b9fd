import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { InventoryError } from '../../errors.js';
import { setVar, type Draft, type Origin, type SourceFile } from '../draft.js';

const run = promisify(execFile);

const Vars = z.record(z.string(), z.unknown());
const Group = z.union([
  z.array(z.string()),
  z
    .object({
      hosts: z.array(z.string(), { error: 'bad data for the host list: expected a list of names' }).optional(),
      vars: Vars.optional(),
      children: z.array(z.string()).optional(),
    })
    .loose(),
]);
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
  const list = parseJson(await output(path, ['--list'], fail), ListOutput, `${path} --list`, fail);
  const at = (...path: string[]): Origin => ({ file, path });
  const hosts = new Set<string>();
  let meta: Record<string, Record<string, unknown>> | undefined;
  for (const [name, data] of Object.entries(list)) {
    if (name === '_meta') {
      meta = parseJson(data, Meta, `${path}: _meta`, fail).hostvars ?? meta;
      continue;
    }
    draft.group(name);
    const g = parseJson(normalize(name, data), Group, `${path}: group '${name}'`, fail);
    const entry = Array.isArray(g) ? { hosts: g } : g;
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

/** Ansible's reading of a group that is a mapping without hosts, vars or children: its vars, and itself as its host. */
function normalize(name: string, data: unknown): unknown {
  if (data && typeof data === 'object' && !Array.isArray(data) && !['hosts', 'vars', 'children'].some((k) => k in data)) {
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
