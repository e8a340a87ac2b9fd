import { existsSync, readdirSync } from 'node:fs';
import { resolve, extname, basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { codeRoot } from '../util/package-info.js';
import type { PlaybookDef } from './types.js';

/** The project's own playbooks: built into dist, or the sources under test. */
const builtinDir = join(codeRoot, 'playbooks');

const isPath = (ref: string) => ref.includes('/') || /\.(ts|js|mjs)$/.test(ref);

/** Loads a playbook by name (a built-in) or by path (a user's TypeScript file, no build step). */
export async function loadPlaybook(ref: string): Promise<PlaybookDef> {
  const file = isPath(ref) ? resolve(ref) : builtinFile(ref);
  if (!file || !existsSync(file)) {
    const known = listPlaybookNames().join(', ');
    throw new UsageError(
      isPath(ref)
        ? `playbook file not found: ${ref}`
        : `unknown playbook "${ref}" (known: ${known || 'none'})`,
    );
  }
  let mod: { default?: unknown };
  try {
    mod =
      extname(file) === '.ts' && !process.env.VITEST
        ? await importTs(file)
        : await import(pathToFileURL(file).href);
  } catch (err) {
    throw new UsageError(`playbook ${ref} could not be loaded: ${loadFailure(err)}`, { cause: err });
  }
  // A .ts file outside an ESM package loads as CommonJS: its default export sits one level deeper.
  const value = mod.default as { default?: unknown } | undefined;
  return asPlaybook(isPlaybookLike(value) ? value : value?.default, file);
}

export function listPlaybookNames(): string[] {
  if (!existsSync(builtinDir)) return [];
  const names = readdirSync(builtinDir)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => basename(f).replace(/\.(js|ts)$/, ''));
  return [...new Set(names)].sort();
}

function builtinFile(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined;
  for (const ext of ['.js', '.ts']) {
    const f = resolve(builtinDir, name + ext);
    if (existsSync(f)) return f;
  }
  return undefined;
}

async function importTs(file: string): Promise<{ default?: unknown }> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
}

/** esbuild (through tsx) puts the cause of a syntax error on the line after "Transform failed…". */
function loadFailure(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter(Boolean);
  const located = /^Transform failed/.test(lines[0] ?? '') ? lines[1]?.replace(': ERROR: ', ': ') : undefined;
  return located ?? lines[0] ?? 'unknown error';
}

function isPlaybookLike(value: unknown): boolean {
  const pb = value as Partial<PlaybookDef> | undefined;
  return Boolean(
    pb &&
    typeof pb.name === 'string' &&
    typeof pb.tasks === 'function' &&
    typeof pb.params?.safeParse === 'function',
  );
}

function asPlaybook(value: unknown, file: string): PlaybookDef {
  const pb = value as PlaybookDef;
  if (!isPlaybookLike(pb))
    throw new UsageError(
      `${file}: the default export is not a playbook (use \`export default definePlaybook({...})\`)`,
    );
  return pb as PlaybookDef;
}
