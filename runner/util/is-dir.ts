import { statSync } from 'node:fs';

/** Whether a path is a folder (following links); false when it does not exist. */
export function isDir(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
