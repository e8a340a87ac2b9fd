import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../runner/errors.js';

/** A stack directory vsa will not upload as it is: it would bring a file from outside the stack. */
export class StackFileError extends UsageError {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path}: ${why}`);
  }
}

/** Files at the top of a stack directory that are for people, not for the host. */
const LOCAL_ONLY = new Set(['.env', '.env.example', 'README.md']);

export interface StackSource {
  /** The stack's real directory on the control machine. */
  root: string;
  /** Every file to upload (config files beside compose.yml), relative to `root`, sorted. */
  files: string[];
  /** The stack's `.env`, when it has one. */
  envFile?: string;
}

const within = (parent: string, path: string) => path === parent || path.startsWith(parent + sep);

/**
 * What `stack-up` uploads from `dir/name`, and nothing from elsewhere on the control machine: the
 * stack's real directory must lie inside `dir`'s, and every entry under it is a regular file or a
 * directory. A symbolic link anywhere in it is refused rather than followed or skipped, because a
 * link (`.env` → an inventory, `conf/` → `~/.ssh`) would put that file's content into the upload
 * and into the run's diff.
 */
export function stackSource(dir: string, name: string): StackSource {
  const wanted = resolve(dir, name);
  if (!existsSync(wanted)) return { root: wanted, files: [] };
  const base = realpathSync(resolve(dir));
  const root = realpathSync(wanted);
  if (!within(base, root) || root === base) throw new StackFileError(wanted, `resolves to ${root}, which is not a directory inside ${base}`);
  const files: string[] = [];
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    if (e.isSymbolicLink()) throw new StackFileError(path, 'is a symbolic link; a stack holds only regular files and directories');
    if (e.isFile()) files.push(relative(root, path));
    else if (!e.isDirectory()) throw new StackFileError(path, 'is not a regular file');
  }
  return {
    root,
    files: files.filter((f) => !LOCAL_ONLY.has(f)).sort(),
    ...(files.includes('.env') ? { envFile: join(root, '.env') } : {}),
  };
}
