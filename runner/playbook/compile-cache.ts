import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { sha256 } from '../util/sha256.js';
import type { CompiledPlaybook } from './compile-playbook.js';

/** Bumped when what the compiler emits changes, so older entries are not loaded. */
const FORMAT = 1;

const entrySchema = z.object({
  format: z.literal(FORMAT),
  vsa: z.string(),
  entry: z.string(),
  inputs: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
  externals: z.array(z.string()),
  output: z.string().regex(/^[0-9a-f]{32}-[0-9a-f]{64}\.mjs$/),
});
type Entry = z.infer<typeof entrySchema>;

export interface PlaybookCache {
  /** Where entries live: `<key>.json` names the compiled `<key>-<sha256>.mjs` and its inputs. */
  dir: string;
  /** vsa's version: an entry compiled by another vsa is compiled again. */
  vsa: string;
  /** Loaded only on a miss: a hit never loads the compiler. */
  compile?: (file: string) => Promise<CompiledPlaybook>;
}

export interface CachedPlaybook {
  /** The compiled module to import. */
  url: string;
  from: 'cache' | 'compiler';
}

/** Older compiled files of an entry are removed after this: a run that just checked one imports it within it. */
const STALE_MS = 60_000;

/**
 * A playbook file compiled once per content: the compiled module is reused while the file, every
 * local file it imports and vsa's version are the same and every package it imports is still there.
 * Entries are written to a temporary name and renamed, so a concurrent run sees a whole entry or
 * none; the compiled file is named by its hash and never rewritten, so a run that checked it
 * imports what it checked. An entry that does not parse or check is compiled again and replaced.
 */
export async function cachedPlaybook(file: string, cache: PlaybookCache): Promise<CachedPlaybook> {
  const key = sha256(`${FORMAT}\0${cache.vsa}\0${file}`).slice(0, 32);
  const manifest = join(cache.dir, `${key}.json`);
  const hit = validEntry(manifest, file, cache);
  if (hit) return { url: pathToFileURL(join(cache.dir, hit.output)).href, from: 'cache' };

  const compile = cache.compile ?? (await import('./compile-playbook.js')).compilePlaybook;
  const compiled = await compile(file);
  const output = `${key}-${sha256(compiled.code)}.mjs`;
  mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
  writeWhole(join(cache.dir, output), compiled.code);
  const entry: Entry = {
    format: FORMAT,
    vsa: cache.vsa,
    entry: file,
    inputs: compiled.inputs,
    externals: compiled.externals,
    output,
  };
  writeWhole(manifest, `${JSON.stringify(entry)}\n`);
  removeStale(cache.dir, key, output);
  return { url: pathToFileURL(join(cache.dir, output)).href, from: 'compiler' };
}

function validEntry(manifest: string, file: string, cache: PlaybookCache): Entry | undefined {
  let entry: Entry;
  try {
    const parsed = entrySchema.safeParse(JSON.parse(readFileSync(manifest, 'utf8')));
    if (!parsed.success) return undefined;
    entry = parsed.data;
  } catch {
    return undefined;
  }
  if (entry.entry !== file || entry.vsa !== cache.vsa) return undefined;
  if (!entry.externals.every((p) => existsSync(p))) return undefined;
  try {
    for (const input of entry.inputs) if (sha256(readFileSync(input.path)) !== input.sha256) return undefined;
    const code = readFileSync(join(cache.dir, entry.output));
    if (entry.output.slice(33, -4) !== sha256(code)) return undefined;
  } catch {
    return undefined;
  }
  return entry;
}

function writeWhole(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Compiled files an entry no longer names, and temporary files a killed run left behind. */
function removeStale(dir: string, key: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(key) || name === keep || name === `${key}.json`) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > STALE_MS) rmSync(join(dir, name), { force: true });
    } catch {
      // Removed by a concurrent run.
    }
  }
}
