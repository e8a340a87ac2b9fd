import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { InventoryError } from '../../errors.js';
import type { Origin } from '../draft.js';
import type { Layer, VarsFolder } from '../resolve.js';
import { readYaml } from '../yaml-source.js';
import { readText, type LoadOptions } from './read.js';
import { isDir } from '../../util/is-dir.js';

const extensions = ['.yml', '.yaml', '.json'];

/**
 * `group_vars/` and `host_vars/` of one folder, as Ansible's `host_group_vars` plugin finds them:
 * for a name, the first of `NAME` (a file, or a folder read whole, sorted, hidden and `~` files
 * skipped), `NAME.yml`, `NAME.yaml`, `NAME.json`; each file a YAML or JSON mapping, later files
 * replacing earlier ones' values.
 */
export function varsFolder(basedir: string, opts: LoadOptions): VarsFolder {
  const cache = new Map<string, Layer[]>();
  const secrets: string[] = [];
  const find = (sub: string, name: string): Layer[] => {
    const key = `${sub}/${name}`;
    let layers = cache.get(key);
    if (!layers) {
      const dir = join(basedir, sub);
      const files = !name.startsWith(sep) && isDir(dir) ? varsFiles(realpathSync(dir), name) : [];
      layers = files.map((f) => readVarsFile(f, opts, secrets)).filter((l) => Object.keys(l.vars).length);
      cache.set(key, layers);
    }
    return layers;
  };
  return { group: (name) => find('group_vars', name), host: (name) => find('host_vars', name), secrets: () => secrets };
}

function varsFiles(dir: string, name: string): string[] {
  for (const ext of ['', ...extensions]) {
    const path = join(dir, name + ext);
    if (!existsSync(path)) continue;
    return isDir(path) ? folderFiles(path) : [path];
  }
  return [];
}

function folderFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => !n.startsWith('.') && !n.endsWith('~'))
    .flatMap((n) => {
      const path = join(dir, n);
      const ext = extname(n);
      if (isDir(path)) return ext ? [] : folderFiles(path);
      return !ext || extensions.includes(ext) ? [path] : [];
    });
}

/** A file's variables; the values of one that ansible-vault encrypted whole go to `secrets`. */
function readVarsFile(file: string, opts: LoadOptions, secrets: string[]): Layer {
  const { text, vaulted } = readText(file, opts);
  const src = readYaml(text, file);
  const data = src.data;
  if (data === null || data === undefined) return { vars: {}, varOrigins: new Map() };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InventoryError('a variables file must be a mapping of names to values', file, 1);
  }
  const vars = data as Record<string, unknown>;
  if (vaulted) secrets.push(...leaves(vars));
  const varOrigins = new Map<string, Origin>(Object.keys(vars).map((k) => [k, { file: src, path: [k] }]));
  return { vars, varOrigins };
}


function leaves(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}
