import { existsSync, readdirSync } from 'node:fs';
import { resolve, extname, basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { dataDir } from '../store/data-dir.js';
import { codeRoot, packageVersion } from '../util/package-info.js';
import { cachedPlaybook } from './compile-cache.js';
import type { PlaybookDef } from './types.js';

/** A playbook and the file it came from (messages name the file). */
export type LoadedPlaybook = PlaybookDef & { file: string };

/** The project's own playbooks: built into dist, or the sources under test. */
const builtinDir = join(codeRoot, 'playbooks');

const isPath = (ref: string) => ref.includes('/') || /\.(ts|js|mjs)$/.test(ref);

/** Loads a playbook by name (a built-in) or by path (a user's TypeScript file, no build step). */
export async function loadPlaybook(ref: string): Promise<LoadedPlaybook> {
  const file = isPath(ref) ? resolve(ref) : builtinFile(ref);
  if (!file || !existsSync(file)) {
    const known = listPlaybookNames().join(', ');
    throw new UsageError(
      isPath(ref)
        ? `playbook file not found: ${ref}`
        : `unknown playbook "${ref}" (known: ${known || 'none'})`,
    );
  }
  const loading = (async (): Promise<{ default?: unknown }> => {
    try {
      return extname(file) === '.ts' && !process.env.VITEST
        ? await importTs(file)
        : await import(pathToFileURL(file).href);
    } catch (err) {
      throw new UsageError(`playbook ${ref} could not be loaded: ${loadFailure(err, file)}`, { cause: err });
    }
  })();
  const mod = await failIfStuck(loading, file);
  // A .ts file outside an ESM package loads as CommonJS: its default export sits one level deeper.
  const value = mod.default as { default?: unknown } | undefined;
  return { ...asPlaybook(isPlaybookLike(value) ? value : value?.default, file), file };
}

/**
 * A top-level await that never settles leaves Node nothing to do, and it would exit 13 without a
 * word: when the event loop runs dry while the playbook still loads, say so (exit 5) instead.
 */
function failIfStuck<T>(loading: Promise<T>, file: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stuck = () =>
      reject(
        new UsageError(
          `playbook ${file} never finished loading: a top-level await in it (or in a module it imports) waits for something that never happens`,
        ),
      );
    process.once('beforeExit', stuck);
    loading.then(resolve, reject).finally(() => process.removeListener('beforeExit', stuck));
  });
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

/** A TypeScript playbook compiled once per content (VSA_HOME/cache/playbooks), then imported. */
async function importTs(file: string): Promise<{ default?: unknown }> {
  const compiled = await cachedPlaybook(file, { dir: join(dataDir(), 'cache', 'playbooks'), vsa: packageVersion() });
  // Stack traces name the playbook's own lines, as they did when it ran through a TypeScript loader.
  process.setSourceMapsEnabled(true);
  return (await import(compiled.url)) as { default?: unknown };
}

/** esbuild's first error, located: `FILE:LINE:COLUMN: text` (esbuild names it from the playbook's folder). */
function loadFailure(err: unknown, file: string): string {
  const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] })
    .errors?.[0];
  if (first?.location) return `${resolve(dirname(file), first.location.file)}:${first.location.line}:${first.location.column}: ${first.text}`;
  if (first) return first.text;
  return (err instanceof Error ? err.message : String(err)).split('\n').find(Boolean) ?? 'unknown error';
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
